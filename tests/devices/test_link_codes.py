"""Pairing codes: format, entropy, normalisation, keyed hashing, constant-time comparison."""

from __future__ import annotations

import hmac
import inspect
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verse_tui.errors import InputError
from verse_tui.services import link_codes
from verse_tui.services.link_codes import (
    ALPHABET,
    MalformedLinkCodeError,
    format_code,
    generate_code,
    half_hashes,
    hash_code,
    hashes_match,
    new_server_key,
    normalize_code,
)

codes = st.text(alphabet=ALPHABET, min_size=8, max_size=8)


def test_alphabet_is_rfc_8628_and_code_has_at_least_34_bits() -> None:
    assert ALPHABET == "BCDFGHJKLMNPQRSTVWXZ"
    assert 8 * math.log2(len(ALPHABET)) >= 34
    assert link_codes.CODE_BITS >= 34


def test_codes_come_from_secrets() -> None:
    source = inspect.getsource(link_codes.generate_code)
    assert "secrets." in source
    assert "random." not in source


def test_generated_codes_use_only_the_alphabet_and_vary() -> None:
    generated = {generate_code() for _ in range(2000)}
    assert all(re.fullmatch(f"[{ALPHABET}]{{8}}", code) for code in generated)
    assert len(generated) == 2000  # 2000 draws from 2.56e10 codes: a repeat means no randomness
    used = set("".join(generated))
    assert used == set(ALPHABET)


def test_display_form_is_two_groups_of_four() -> None:
    assert format_code("BCDFGHJK") == "BCDF-GHJK"
    assert re.fullmatch(r"[A-Z]{4}-[A-Z]{4}", format_code(generate_code()))


@pytest.mark.parametrize(
    "typed",
    ["BCDF-GHJK", "bcdf-ghjk", "BcDfGhJk", "bcdf ghjk", " BCDF - GHJK ", "bcdfghjk", "BCDF\tGHJK"],
)
def test_any_case_with_or_without_dash_or_spaces_is_accepted(typed: str) -> None:
    assert normalize_code(typed) == "BCDFGHJK"


@pytest.mark.parametrize(
    "typed", ["", "BCDF-GHJ", "BCDF-GHJKL", "ABCD-EFGH", "BCDF-GHJ1", "BCDF_GHJK"]
)
def test_malformed_codes_get_a_clear_input_error(typed: str) -> None:
    with pytest.raises(MalformedLinkCodeError) as excinfo:
        normalize_code(typed)
    assert isinstance(excinfo.value, InputError)
    assert "8 letters" in str(excinfo.value)


@given(codes)
def test_display_form_round_trips(code: str) -> None:
    assert normalize_code(format_code(code)) == code
    assert normalize_code(format_code(code).lower()) == code


@given(codes)
def test_hash_is_keyed_hmac_sha256_of_the_canonical_code(code: str) -> None:
    key = b"k" * 32
    digest = hash_code(key, format_code(code).lower())
    assert digest == hmac.new(key, code.encode(), "sha256").hexdigest()
    assert code not in digest
    assert hash_code(b"j" * 32, code) != digest


@given(codes, codes)
def test_half_hashes_match_exactly_the_codes_sharing_that_half(code: str, other: str) -> None:
    key = b"k" * 32
    first, second = half_hashes(key, format_code(code).lower())
    other_first, other_second = half_hashes(key, other)
    assert (first == other_first) == (code[:4] == other[:4])
    assert (second == other_second) == (code[4:] == other[4:])
    assert len({first, second, hash_code(key, code)}) == 3  # labelled apart, even "BBBBBBBB"
    assert half_hashes(b"j" * 32, code) != (first, second)


def test_hash_refuses_a_short_key() -> None:
    with pytest.raises(ValueError, match="128 bits"):
        hash_code(b"short", "BCDFGHJK")


def test_server_keys_are_random_and_long() -> None:
    first, second = new_server_key(), new_server_key()
    assert len(first) == 32 and first != second


def test_hashes_match_only_equal_hashes_and_never_a_wiped_one() -> None:
    key = new_server_key()
    stored = hash_code(key, "BCDFGHJK")
    assert hashes_match(stored, hash_code(key, "bcdf-ghjk"))
    assert not hashes_match(stored, hash_code(key, "BCDFGHJL"))
    assert not hashes_match(None, stored)


def test_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(link_codes.hmac, "compare_digest", spy)
    assert hashes_match("ab" * 32, "ab" * 32)
    assert calls == [(b"ab" * 32, b"ab" * 32)]
