"""A reader for the compressed SWORD module formats, used at build time only.

No SWORD library is needed: the formats are zlib blocks plus little-endian index files.

- Verse-keyed modules (zText Bibles, zCom/zCom4 commentaries), one file set per testament
  (`ot.*`, `nt.*`): `*.?zs` holds one 12-byte entry (offset, compressed size, size) per zlib
  block of `*.?zz`; `*.?zv` holds one slot per verse-index entry: (block, offset, size) with a
  2-byte size for zText/zCom and a 4-byte size for the "4" drivers. The MHCC module's conf says
  zCom4 but its index has 10-byte slots (24,115 x 10 bytes for the Old Testament), which is why
  readers that trust the conf map its verses wrongly; the slot width is read from the file size.
- The verse index has a slot for the module header and one for the testament, then for each
  book of the module's versification (`versification.py`: KJV, or NRSVA with its
  deuterocanon) a book slot and for each chapter a chapter slot before its verses:
  slot(Gen 1:1) = 4. The chapter slot holds what stands before verse 1 (the KJV puts Psalm
  119's first stanza letter, ALEPH, there); it is read as verse 0. Commentary sections that
  cover several verses point every one of those slots at the same text.
- zLD dictionaries (`*.idx` -> `*.dat` key records -> `*.zdx` -> zlib blocks in `*.zdt`):
  a key record is the key, "\\r\\n" or "\\n", then (block, entry) as two 4-byte integers; a
  block starts with its entry count, then (offset, size) per entry, then the texts.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from verse_tui.bible.versification import KJV, BookLayout, Versification

SWORD_ROOT = Path("/usr/share/sword")


class SwordFormatError(Exception):
    """A module file does not have the layout this reader expects."""


def kjv_verse_count(book: int, chapter: int) -> int:
    return KJV.verse_count(book, chapter)


def kjv_verses(books: range = range(1, 67)) -> Iterator[tuple[int, int, int]]:
    """(book, chapter, verse) of every KJV verse of `books`, in order."""
    return KJV.verses(books)


def _slots(books: tuple[BookLayout, ...]) -> tuple[dict[tuple[int, int, int], int], int]:
    """The index slot of every verse (verse 0: the chapter's own slot) of one testament's
    books that Verse shows, and the number of slots (module and testament slots first)."""
    slots: dict[tuple[int, int, int], int] = {}
    slot = 2
    for book in books:
        slot += 1  # the book slot
        for chapter, count in enumerate(book.verses, start=1):
            for verse in range(count + 1):  # the chapter slot, then the verses
                if book.number is not None:
                    slots[(book.number, chapter, verse)] = slot
                slot += 1
    return slots, slot


@dataclass(frozen=True, slots=True)
class Entry:
    """Where one verse's text is: the same (block, offset, size) for verses sharing a text."""

    block: int
    offset: int
    size: int


class _Testament:
    def __init__(
        self, folder: Path, prefix: str, books: tuple[BookLayout, ...], letter: str
    ) -> None:
        blocks = (folder / f"{prefix}.{letter}zs").read_bytes()
        self._index = (folder / f"{prefix}.{letter}zv").read_bytes()
        self._data = (folder / f"{prefix}.{letter}zz").read_bytes()
        self._blocks = [struct.unpack_from("<III", blocks, i) for i in range(0, len(blocks), 12)]
        self._slots, expected = _slots(books)
        width = len(self._index) // expected
        if width not in (10, 12) or width * expected != len(self._index):
            raise SwordFormatError(f"{folder}/{prefix}: {len(self._index)} index bytes")
        self._format = "<IIH" if width == 10 else "<III"
        self._width = width
        self._cache: dict[int, bytes] = {}

    def entry(self, ref: tuple[int, int, int]) -> Entry:
        return Entry(*struct.unpack_from(self._format, self._index, self._slots[ref] * self._width))

    def text(self, entry: Entry) -> str:
        if entry.size == 0:
            return ""
        if entry.block not in self._cache:
            offset, size, _ = self._blocks[entry.block]
            self._cache[entry.block] = zlib.decompress(self._data[offset : offset + size])
        raw = self._cache[entry.block][entry.offset : entry.offset + entry.size]
        return raw.decode("utf-8")


class VerseModule:
    """A zText / zCom / zCom4 module in the KJV (default) or another versification."""

    def __init__(self, folder: Path, versification: Versification = KJV) -> None:
        letter = "c" if (folder / "ot.czv").is_file() else "b"  # BlockType CHAPTER uses .cz?
        self.folder = folder
        self.versification = versification
        self._ot = _Testament(folder, "ot", versification.ot, letter)
        self._nt = _Testament(folder, "nt", versification.nt, letter)

    def _part(self, book: int) -> _Testament:
        return self._ot if book < 40 else self._nt

    def entry(self, book: int, chapter: int, verse: int) -> Entry:
        return self._part(book).entry((book, chapter, verse))

    def text(self, book: int, chapter: int, verse: int) -> str:
        """A verse's markup; verse 0 is what the chapter slot holds (before verse 1)."""
        part = self._part(book)
        return part.text(part.entry((book, chapter, verse)))


def read_dictionary(base: Path) -> dict[str, str]:
    """Every (key, text) of a zLD dictionary (`base` without the extension), in key order."""
    index = base.with_suffix(".idx").read_bytes()
    records = base.with_suffix(".dat").read_bytes()
    block_index = base.with_suffix(".zdx").read_bytes()
    data = base.with_suffix(".zdt").read_bytes()
    blocks: dict[int, bytes] = {}
    out: dict[str, str] = {}
    for i in range(0, len(index), 8):
        start, size = struct.unpack_from("<II", index, i)
        record = records[start : start + size]
        key, newline, pointer = record.partition(b"\n")
        if not newline or len(pointer) != 8:
            raise SwordFormatError(f"{base}: unexpected key record {record[:40]!r}")
        block, item = struct.unpack("<II", pointer)
        if block not in blocks:
            offset, length = struct.unpack_from("<II", block_index, block * 8)
            blocks[block] = zlib.decompress(data[offset : offset + length])
        text_start, text_size = struct.unpack_from("<II", blocks[block], 4 + item * 8)
        text = blocks[block][text_start : text_start + text_size].rstrip(b"\0")
        out[key.decode("utf-8").strip()] = text.decode("utf-8")  # UTF-8 whatever the conf says
    return out


def read_conf(path: Path) -> dict[str, str]:
    """A module's .conf as {key: value} (the first value of a repeated key)."""
    values: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        match = re.match(r"^(\w+)=(.*)$", line)
        if match and match.group(1) not in values:
            values[match.group(1)] = match.group(2).strip()
    return values
