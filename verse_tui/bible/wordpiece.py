"""BERT's uncased WordPiece tokenizer in plain Python (no `tokenizers` package at run time).

It reproduces what all-MiniLM-L6-v2's `tokenizer.json` does (BertNormalizer with lowercase and
accent stripping, BertPreTokenizer, WordPiece with the `##` prefix), without the padding to 128
tokens that file configures: meaning search only needs the token ids of one short query.
Checked against `tokenizers` 0.23.3 with that file on all 124,388 verses of `bible.sqlite`
(no difference) when written; `tests/bible/test_meaning.py` checks known splits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

MAX_WORD_CHARS = 100


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _normalize(text: str) -> str:
    """Clean, pad CJK characters, lowercase and strip accents, as BertNormalizer does."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if code in (0, 0xFFFD):
            continue
        category = unicodedata.category(char)
        if char in "\t\n\r" or category == "Zs":
            out.append(" ")
        elif category in ("Cc", "Cf"):
            continue
        elif _is_cjk(code):
            out.append(f" {char} ")
        else:
            out.append(char)
    folded = unicodedata.normalize("NFD", "".join(out).lower())
    return "".join(c for c in folded if unicodedata.category(c) != "Mn")


def basic_words(text: str) -> list[str]:
    """Split normalised text on whitespace and punctuation (each punctuation mark is a word)."""
    words: list[str] = []
    for chunk in _normalize(text).split():
        current: list[str] = []
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(char)
            else:
                current.append(char)
        if current:
            words.append("".join(current))
    return words


def _word_pieces(word: str, vocab: Mapping[str, int], unk: int) -> list[int]:
    if len(word) > MAX_WORD_CHARS:
        return [unk]
    pieces: list[int] = []
    start = 0
    while start < len(word):
        end = len(word)
        found = -1
        while start < end:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            found = vocab.get(piece, -1)
            if found >= 0:
                break
            end -= 1
        if found < 0:
            return [unk]
        pieces.append(found)
        start = end
    return pieces


def tokenize(text: str, vocab: Mapping[str, int], unk: int) -> list[int]:
    """Token ids of `text` (no [CLS]/[SEP], no padding, no truncation)."""
    ids: list[int] = []
    for word in basic_words(text):
        ids.extend(_word_pieces(word, vocab, unk))
    return ids
