"""Pairing codes: generation, display, normalisation and keyed hashing. Pure, no I/O.

A code is 8 characters from RFC 8628's unambiguous consonant alphabet (20 symbols, so
8 * log2(20) = 34.6 bits), drawn with `secrets`, shown as `XXXX-XXXX` and accepted in any
case, with or without the dash or spaces. The database stores only
HMAC-SHA256(server key, code): the key lives in the database, not in the code, so a leaked
table of hashes cannot be searched offline without it. Hashes are compared in constant time.

Each request also keeps a keyed hash of each half of its code (`half_hashes`, labelled so
they can never equal a whole-code hash). A wrong code that shares a half with a live
request is a near miss on that request (a typo, or a guess by someone who saw half of it)
and counts against it; see `link_guard` for why this is the rule.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets

from verse_tui.errors import InputError

ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
CODE_LENGTH = 8
CODE_BITS = CODE_LENGTH * math.log2(len(ALPHABET))
KEY_BYTES = 32
_IGNORED = str.maketrans("", "", " -\t")


class MalformedLinkCodeError(InputError):
    """The text cannot be a link code at all (wrong length or characters)."""

    def __init__(self) -> None:
        super().__init__(
            f"A link code is {CODE_LENGTH} letters like BCDF-GHJK (no vowels or digits). "
            "Copy it from the screen of the new device (`verse devices link`)."
        )


def generate_code() -> str:
    """A fresh code in canonical form: 8 upper-case letters, no dash."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """The display form `XXXX-XXXX` of a code given in any accepted form."""
    canonical = normalize_code(code)
    half = CODE_LENGTH // 2
    return f"{canonical[:half]}-{canonical[half:]}"


def normalize_code(text: str) -> str:
    """The canonical form of a typed code: upper case, dashes and spaces removed.

    Raises MalformedLinkCodeError if what is left is not 8 letters of the alphabet.
    """
    canonical = text.translate(_IGNORED).upper()
    if len(canonical) != CODE_LENGTH or any(ch not in ALPHABET for ch in canonical):
        raise MalformedLinkCodeError()
    return canonical


def new_server_key() -> bytes:
    """A random key for hashing codes, created once per database."""
    return secrets.token_bytes(KEY_BYTES)


def hash_code(key: bytes, code: str) -> str:
    """The keyed hash (HMAC-SHA256, hex) of a code given in any accepted form."""
    return _keyed(key, normalize_code(code))


def half_hashes(key: bytes, code: str) -> tuple[str, str]:
    """Keyed hashes (HMAC-SHA256, hex) of the first and of the second half of a code.

    The labels keep them apart from each other and from `hash_code` (whose input is the bare
    8 letters), so a half can match only the same half of another code.
    """
    canonical = normalize_code(code)
    half = CODE_LENGTH // 2
    return (
        _keyed(key, f"first:{canonical[:half]}"),
        _keyed(key, f"second:{canonical[half:]}"),
    )


def _keyed(key: bytes, text: str) -> str:
    if len(key) < 16:
        raise ValueError("the code-hashing key must hold at least 128 bits")
    return hmac.new(key, text.encode("ascii"), hashlib.sha256).hexdigest()


def hashes_match(stored: str | None, candidate: str) -> bool:
    """Constant-time comparison of a stored hash with a candidate; a wiped hash never matches."""
    if stored is None:
        return False
    return hmac.compare_digest(stored.encode("ascii"), candidate.encode("ascii"))
