"""Build `data/study.sqlite` from the SWORD modules: `python -m verse_tui.bible.build_study`.

Needs the Debian packages sword-text-kjv, sword-dict-strongs-greek, sword-dict-strongs-hebrew,
sword-comm-mhcc, sword-comm-tdavid and sword-dict-naves (read from /usr/share/sword with
Verse's own reader, `sword.py`; no SWORD library). The same module versions give the same
bytes. Layout (read by `sqlite_study_client.py`, which holds every run-time query):

- `kjv_words(id, tagged, paragraph)`: every KJV verse with its Strong's numbers, id as in
  `bible.sqlite` (KJV = translation 1: 1_01_001_001 is Genesis 1:1); `tagged` in the
  `tagged_text` notation ("In the {beginning|H7225} ..."), supplied words in [brackets];
  `paragraph` = 1 where the verse starts a paragraph.
- `kjv_titles(id, tagged)`: the titles printed before verse `id`: the 116 psalm
  superscriptions (before verse 1) and the Hebrew letters of Psalm 119's stanzas.
- `lexicon(number, lemma, transliteration, pronunciation, definition, verses, occurrences)`:
  Strong's Greek (G1..) and Hebrew (H1..) entries, with how many KJV verses and word groups
  carry each number; `renderings(number, text, count)`: the English words the KJV renders it
  with; `strongs_verses(number, id)`: the concordance (KJV verse ids, as `kjv_words`).
- `commentary(id, source, first, last, heading, text)`: MHCC ("mhcc") and Treasury of David
  ("tdavid") sections, each covering local verse ids first..last (book * 10^6 + chapter *
  10^3 + verse); `commentary_chapters(source, chapter, section)` lists the chapters (book *
  1000 + chapter) each section touches, so a passage's sections are one index range.
- `topics(id, name, text, refs, see_also)`: Nave's topics, `refs` the cited osisRefs in order
  (space-separated); `topic_verses(chapter, first, last, topic)`: each reference cut at chapter
  ends, local ids, for "which topics cite this verse".
- `sources(module, package, version, license, description)` and `meta` (schema version).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from verse_tui.bible.study_commentary import mhcc_sections, tdavid_sections
from verse_tui.bible.study_sources import (
    MODULES,
    chapter_pieces,
    concordance,
    kjv_rows,
    lexicon_rows,
    module_conf,
    ref_range,
    topic_rows,
)
from verse_tui.bible.sword import SWORD_ROOT
from verse_tui.config import shipped_data_dir

STUDY_DB_NAME = "study.sqlite"
STUDY_SCHEMA_VERSION = "1"
KJV_BASE = 100_000_000  # KJV is translation 1 in bible.sqlite

SCHEMA = """
PRAGMA page_size = 4096;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sources (
    module TEXT PRIMARY KEY, package TEXT NOT NULL, version TEXT NOT NULL,
    license TEXT NOT NULL, description TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE kjv_words (
    id INTEGER PRIMARY KEY, tagged TEXT NOT NULL, paragraph INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE kjv_titles (id INTEGER PRIMARY KEY, tagged TEXT NOT NULL);
CREATE TABLE lexicon (
    number TEXT PRIMARY KEY, lemma TEXT NOT NULL, transliteration TEXT NOT NULL,
    pronunciation TEXT NOT NULL, definition TEXT NOT NULL,
    verses INTEGER NOT NULL, occurrences INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE renderings (
    number TEXT NOT NULL, text TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (number, text)
) WITHOUT ROWID;
CREATE TABLE strongs_verses (
    number TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (number, id)
) WITHOUT ROWID;
CREATE TABLE commentary (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, first INTEGER NOT NULL,
    last INTEGER NOT NULL, heading TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE commentary_chapters (
    source TEXT NOT NULL, chapter INTEGER NOT NULL, section INTEGER NOT NULL,
    PRIMARY KEY (source, chapter, section)
) WITHOUT ROWID;
CREATE TABLE topics (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, text TEXT NOT NULL,
    refs TEXT NOT NULL, see_also TEXT NOT NULL
);
CREATE TABLE topic_verses (
    chapter INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL,
    topic INTEGER NOT NULL, PRIMARY KEY (chapter, first, last, topic)
) WITHOUT ROWID;
"""


def _sources(db: sqlite3.Connection, root: Path) -> None:
    for module in MODULES:
        conf = module_conf(module, root)
        db.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?)",
            (
                module.name,
                module.package,
                conf.get("Version", ""),
                conf.get("DistributionLicense", ""),
                conf.get("Description", ""),
            ),
        )


def _kjv_and_lexicon(db: sqlite3.Connection, root: Path) -> dict[str, int]:
    rows = list(kjv_rows(root))
    db.executemany(
        "INSERT INTO kjv_words VALUES (?, ?, ?)", [(KJV_BASE + i, t, p) for i, t, p, _ in rows]
    )
    titles = [(KJV_BASE + i, title) for i, _, _, title in rows if title]
    db.executemany("INSERT INTO kjv_titles VALUES (?, ?)", titles)
    verses, renderings = concordance(rows)
    lexicon = list(lexicon_rows(root))
    db.executemany(
        "INSERT INTO lexicon VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (*entry, len(verses.get(entry[0], ())), sum(renderings.get(entry[0], {}).values()))
            for entry in lexicon
        ],
    )
    known = {entry[0] for entry in lexicon}
    db.executemany(
        "INSERT INTO renderings VALUES (?, ?, ?)",
        sorted(
            (number, text, count)
            for number, counter in renderings.items()
            if number in known
            for text, count in counter.items()
        ),
    )
    db.executemany(
        "INSERT INTO strongs_verses VALUES (?, ?)",
        sorted((n, KJV_BASE + i) for n, ids in verses.items() if n in known for i in ids),
    )
    return {"verses": len(rows), "titles": len(titles), "lexicon": len(lexicon)}


def _commentary(db: sqlite3.Connection, root: Path) -> int:
    count = 0
    for sections in (mhcc_sections(root), tdavid_sections(root)):
        for source, first, last, heading, text in sections:
            count += 1
            db.execute(
                "INSERT INTO commentary VALUES (?, ?, ?, ?, ?, ?)",
                (count, source, first, last, heading, text),
            )
            db.executemany(
                "INSERT OR IGNORE INTO commentary_chapters VALUES (?, ?, ?)",
                [(source, chapter, count) for chapter, _, _ in chapter_pieces(first, last)],
            )
    return count


def _topics(db: sqlite3.Connection, root: Path) -> int:
    count = 0
    for name, text, refs, see in topic_rows(root):
        count += 1
        db.execute(
            "INSERT INTO topics VALUES (?, ?, ?, ?, ?)",
            (count, name, text, " ".join(refs), "; ".join(see)),
        )
        pieces: set[tuple[int, int, int]] = set()
        for ref in refs:
            span = ref_range(ref)
            assert span is not None  # topic_rows keeps only the references that are valid
            pieces.update(chapter_pieces(*span))
        db.executemany(
            "INSERT INTO topic_verses VALUES (?, ?, ?, ?)",
            sorted((chapter, a, b, count) for chapter, a, b in pieces),
        )
    return count


def build(output: Path, root: Path = SWORD_ROOT) -> dict[str, int]:
    """Build the database at `output` (replacing it); returns what it counted."""
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp, isolation_level=None)
    try:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
        db.execute("BEGIN")
        db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (STUDY_SCHEMA_VERSION,))
        _sources(db, root)
        counts = _kjv_and_lexicon(db, root)
        counts["commentary sections"] = _commentary(db, root)
        counts["topics"] = _topics(db, root)
        db.execute("COMMIT")
        db.execute("VACUUM")
    finally:
        db.close()
    tmp.replace(output)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m verse_tui.bible.build_study", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--output", type=Path, default=shipped_data_dir() / STUDY_DB_NAME, help="database path"
    )
    parser.add_argument("--sword", type=Path, default=SWORD_ROOT, help="SWORD library root")
    args = parser.parse_args(argv)
    if not (args.sword / "mods.d").is_dir():
        print(f"No SWORD modules under {args.sword}: install the sword-* packages.")
        return 1
    counts = build(args.output, args.sword)
    for name, count in counts.items():
        print(f"{name}: {count}")
    print(f"wrote {args.output} ({args.output.stat().st_size / 1_000_000:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
