"""Read-only access to the shipped study library (`study.sqlite`): the one place with its SQL.

Synchronous `sqlite3`, like `SqliteBibleClient`: the fast CLI (`verse strongs`) calls it
directly and `StudyService` calls the same methods with `asyncio.to_thread`. One connection,
read-only and immutable, shared between threads behind a lock. Layout: `build_study.py`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from _thread import allocate_lock
from pathlib import Path

from verse_tui.bible import canon
from verse_tui.bible.references import format_range
from verse_tui.bible.shipped_db import open_shipped
from verse_tui.bible.tagged_text import normalise_number, segments
from verse_tui.config import shipped_data_dir
from verse_tui.domain.bible import Reference, VerseRange, VerseRef
from verse_tui.domain.lexicon import (
    Commentary,
    CommentarySection,
    Concordance,
    ConcordanceHit,
    Rendering,
    StrongsEntry,
    TaggedWord,
    Topic,
    VerseTopics,
    VerseWords,
)
from verse_tui.errors import InputError, NotFoundError, VerseError

TYPE_CHECKING = False  # `typing` costs ~7 ms to import; type checkers treat this as True
if TYPE_CHECKING:
    from typing import Any

STUDY_DB_NAME = "study.sqlite"
SUPPORTED_SCHEMA = "1"
KJV_BASE = canon.VERSE_KEY_SPAN  # the KJV's row ids, as in bible.sqlite
COMMENTARIES = {"mhcc": "Matthew Henry's Concise Commentary", "tdavid": "The Treasury of David"}
REINSTALL = (
    "Reinstall Verse (`pip install --force-reinstall .` in its source folder), or if "
    "VERSE_STUDY_DB is set, point it at a good copy of study.sqlite."
)

_WORDS_SQL = "SELECT id, tagged, paragraph FROM kjv_words WHERE id BETWEEN ? AND ? ORDER BY id"
_TITLES_SQL = "SELECT id, tagged FROM kjv_titles WHERE id BETWEEN ? AND ?"
_ENTRY_SQL = "SELECT * FROM lexicon WHERE number = ?"
_RENDERINGS_SQL = "SELECT text, count FROM renderings WHERE number = ? ORDER BY count DESC, text"
_COUNT_SQL = "SELECT count(*) FROM strongs_verses WHERE number = ? AND id BETWEEN ? AND ?"
_HITS_SQL = """
SELECT w.id, w.tagged FROM strongs_verses AS s JOIN kjv_words AS w ON w.id = s.id
WHERE s.number = ? AND s.id BETWEEN ? AND ? ORDER BY s.id LIMIT ? OFFSET ?
"""
# The chapter index picks the sections by id (an IN list has no duplicates), so no DISTINCT
# has to copy their text into a temporary b-tree: 4x faster on Psalm 119's 1.4 MB.
_COMMENTARY_SQL = """
SELECT id, first, last, heading, text FROM commentary
WHERE id IN (
    SELECT section FROM commentary_chapters WHERE source = ? AND chapter BETWEEN ? AND ?
) AND first <= ? AND last >= ?
ORDER BY id
"""
_VERSE_TOPICS_SQL = """
SELECT DISTINCT t.name FROM topic_verses AS v JOIN topics AS t ON t.id = v.topic
WHERE v.chapter BETWEEN ? AND ? AND v.first <= ? AND v.last >= ? ORDER BY t.name
"""
_TOPIC_SQL = "SELECT name, text, refs, see_also FROM topics WHERE name = ?"
_TAG_TAIL = re.compile(r"\|[^}]*\}")  # "|G26}": with the "{" removed, a tag is gone
_TOPIC_LIKE_SQL = "SELECT name FROM topics WHERE name LIKE ? ORDER BY name LIMIT 3"


class StudyDataError(VerseError):
    """The study library database is missing or damaged."""


def study_db_path(environ: dict[str, str] | None = None) -> Path:
    """`$VERSE_STUDY_DB`, else the shipped `study.sqlite`."""
    env = os.environ if environ is None else environ
    override = env.get("VERSE_STUDY_DB")
    return Path(override).expanduser() if override else shipped_data_dir() / STUDY_DB_NAME


def strongs_number(text: str) -> str:
    """'G0026', 'g26' -> 'G26'; an InputError that shows the form otherwise."""
    number = normalise_number(text)
    if number is None:
        raise InputError(
            f"{text!r} is not a Strong's number: give G (Greek) or H (Hebrew) and a number, "
            "e.g. G26 or H430."
        )
    return number


def _kjv_id(ref: VerseRef) -> int:
    return KJV_BASE + canon.verse_key(ref)


def _plain(text: str) -> str:
    return text.replace("[", "").replace("]", "")


class SqliteStudyClient:
    """Strong's tags, lexicon, concordance, commentary and topics over `study.sqlite`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = allocate_lock()
        self._db = self._connect(self.path)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        return open_shipped(
            path,
            name="The study library",
            schema=SUPPORTED_SCHEMA,
            error=StudyDataError,
            remedy=REINSTALL,
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StudyDataError(
                    f"Cannot read the study library {self.path} ({exc}). {REINSTALL}"
                ) from exc

    # -- the tagged KJV -----------------------------------------------------------------------

    def verse_words(self, first: VerseRef, last: VerseRef | None = None) -> tuple[VerseWords, ...]:
        """The KJV verses first..last (inclusive) as word groups with their Strong's numbers."""
        low, high = _kjv_id(first), _kjv_id(last or first)
        titles = dict(self._query(_TITLES_SQL, (low, high)))
        out = []
        for verse_id, tagged, paragraph in self._query(_WORDS_SQL, (low, high)):
            ref = canon.ref_of_key(verse_id)
            words = tuple(TaggedWord(text, numbers) for text, numbers in segments(tagged))
            title = titles.get(verse_id)
            plain_title = "".join(t for t, _ in segments(title)) if title else None
            out.append(VerseWords(ref, canon.osis_id(ref), words, plain_title, bool(paragraph)))
        return tuple(out)

    def titles(self, first: VerseRef, last: VerseRef) -> dict[VerseRef, str]:
        """{verse: the title printed before it} for KJV verses first..last: the psalm
        superscriptions (before verse 1) and Psalm 119's stanza letters."""
        rows = self._query(_TITLES_SQL, (_kjv_id(first), _kjv_id(last)))
        return {
            canon.ref_of_key(verse_id): _TAG_TAIL.sub("", tagged).replace("{", "")
            for verse_id, tagged in rows
        }

    # -- the lexicon and the concordance ------------------------------------------------------

    def entry(self, number: str) -> StrongsEntry:
        """A Strong's entry with the KJV's renderings of it, most frequent first."""
        key = strongs_number(number)
        rows = self._query(_ENTRY_SQL, (key,))
        if not rows:
            top = "5624" if key.startswith("G") else "8674"
            raise NotFoundError(
                f"There is no Strong's entry {key}: numbers run from 1 to {top} "
                f"({'Greek' if key.startswith('G') else 'Hebrew'})."
            )
        _, lemma, translit, pron, definition, verses, occurrences = rows[0]
        renderings = tuple(Rendering(t, c) for t, c in self._query(_RENDERINGS_SQL, (key,)))
        return StrongsEntry(key, lemma, translit, pron, definition, renderings, verses, occurrences)

    def concordance(
        self, number: str, *, book: int | None = None, limit: int = 20, offset: int = 0
    ) -> Concordance:
        """KJV verses tagged with `number` in canonical order (optionally in one book)."""
        key = strongs_number(number)
        if limit < 1 or offset < 0:
            raise InputError("The result limit must be at least 1 and the offset at least 0.")
        if book is None:
            low, high = KJV_BASE + 1_000_000, KJV_BASE + 66_999_999
        else:
            canon.book(book)  # raises ReferenceError for a bad number
            low, high = KJV_BASE + book * 1_000_000, KJV_BASE + book * 1_000_000 + 999_999
        total = self._query(_COUNT_SQL, (key, low, high))[0][0]
        rows = self._query(_HITS_SQL, (key, low, high, limit, offset)) if total else []
        return Concordance(key, total, offset, _hits(key, rows))

    # -- commentary and topics ----------------------------------------------------------------

    def commentary(self, reference: Reference, source: str = "mhcc") -> Commentary:
        """The sections of one commentary that cover any verse of the passage, in order."""
        key = source.strip().lower()
        if key not in COMMENTARIES:
            raise InputError(f"Unknown commentary {source!r}: use mhcc or tdavid.")
        sections: dict[int, CommentarySection] = {}
        covers: dict[tuple[int, int], tuple[VerseRange, str]] = {}  # sections share ranges
        for rng in reference.ranges:
            first, last = canon.verse_key(rng.start), canon.verse_key(rng.end)
            params = (key, first // 1000, last // 1000, last, first)
            for section_id, a, b, heading, text in self._query(_COMMENTARY_SQL, params):
                span = covers.get((a, b)) or covers.setdefault((a, b), _covers(a, b))
                sections[section_id] = CommentarySection(key, span[0], span[1], heading, text)
        ordered = tuple(sections[i] for i in sorted(sections))
        return Commentary(_format(reference), key, COMMENTARIES[key], ordered)

    def topics_of(self, reference: Reference) -> VerseTopics:
        """The Nave's topics that cite any verse of the passage, alphabetical."""
        names: set[str] = set()
        for rng in reference.ranges:
            first, last = canon.verse_key(rng.start), canon.verse_key(rng.end)
            params = (first // 1000, last // 1000, last, first)
            names.update(row[0] for row in self._query(_VERSE_TOPICS_SQL, params))
        return VerseTopics(_format(reference), tuple(sorted(names)))

    def topic(self, name: str) -> Topic:
        """One Nave's topic by name (any case): its outline and the verses it cites."""
        wanted = " ".join(name.split()).upper()
        rows = self._query(_TOPIC_SQL, (wanted,))
        if not rows:
            close = [r[0] for r in self._query(_TOPIC_LIKE_SQL, (wanted[:4] + "%",))]
            hint = f" Did you mean {' or '.join(close)}?" if close else ""
            raise NotFoundError(f"Nave's Topical Bible has no topic {name!r}.{hint}")
        topic_name, text, refs, see_also = rows[0]
        return Topic(
            topic_name, text, tuple(refs.split()), tuple(s for s in see_also.split("; ") if s)
        )


def _format(reference: Reference) -> str:
    from verse_tui.bible.references import format_reference

    return format_reference(reference)


def _covers(first: int, last: int) -> tuple[VerseRange, str]:
    """A section's range from its stored verse keys, and the range formatted."""
    covers = VerseRange(canon.ref_of_key(first), canon.ref_of_key(last))
    return covers, format_range(covers)


def _hits(number: str, rows: list[tuple[Any, ...]]) -> tuple[ConcordanceHit, ...]:
    """Concordance lines, with C-level regex work only (a common number has ~1,000 verses):
    this number's word groups become «…», every other tag is dropped."""
    this = re.compile(
        r"\{([^|}]*)\|(?:" + number + r"|[^}]* " + number + r")(?: [^}]*)?\}"
    )  # `number` is normalised ("G26"): no regex metacharacters
    hits = []
    for verse_id, tagged in rows:
        ref = canon.ref_of_key(verse_id)
        renderings = tuple(dict.fromkeys(this.findall(tagged)))
        snippet = _TAG_TAIL.sub("", this.sub(r"«\1»", tagged)).replace("{", "")
        text = _TAG_TAIL.sub("", tagged).replace("{", "")
        hits.append(
            ConcordanceHit(ref, canon.osis_id(ref), _plain(text), _plain(snippet), renderings)
        )
    return tuple(hits)
