"""The commentary sections of `study.sqlite`, each keyed to the verses it covers (build time).

MHCC links every verse of a section ("Verses 28-31") to one text in the module's index, so a
section is a run of consecutive verses sharing one entry. The Treasury of David keeps a whole
psalm under its first verse; it is cut at its headings (OVERVIEW, EXPOSITION, EXPLANATORY
NOTES AND QUAINT SAYINGS, HINTS...) and, inside them, at the "Verse 4." markers ("Ver. 4."
in Psalm 119), so each piece covers the verses it names and the rest covers the psalm.
(Matthew Henry has no text on Psalm 108, which repeats Psalms 57 and 60.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from verse_tui.bible.study_sources import MHCC, TDAVID, local_id, module_path
from verse_tui.bible.sword import SWORD_ROOT, VerseModule, kjv_verse_count, kjv_verses
from verse_tui.bible.sword_markup import prose

Section = tuple[str, int, int, str, str]  # (source, first id, last id, heading, text)
_HEADING = re.compile(r'<title type="x-s">(.*?)</title>', re.S)
_VERSE_MARK = re.compile(
    r'<hi type="bold">\s*(?:Verses?|Vers?\.)\s+(\d+)(?:\s*(?:-|to|and|,)\s*(\d+))?\s*\.?\s*</hi>',
    re.I,
)
_MHCC_LABEL = re.compile(r'<hi type="bold">\s*(Verses?\s+[\d\s,\-–]+)\.?\s*</hi>', re.I)


def mhcc_sections(root: Path = SWORD_ROOT) -> Iterator[Section]:
    """Runs of consecutive verses that share one MHCC text, in canonical order."""
    module = VerseModule(module_path(MHCC, root))
    run: list[tuple[int, int, int]] = []
    runs: list[list[tuple[int, int, int]]] = []
    for ref in kjv_verses():
        if run and (run[0][0] != ref[0] or module.entry(*run[0]) != module.entry(*ref)):
            runs.append(run)
            run = []
        run.append(ref)
    runs.append(run)
    yield from _extend_over_empty(_mhcc_section(module, run) for run in runs)


def _extend_over_empty(sections: Iterator[Section]) -> Iterator[Section]:
    """Verses without text of their own (Genesis 36:2-43) belong to the section before them
    in the same chapter (Genesis 36:1 comments on the whole chapter)."""
    pending: Section | None = None
    for section in sections:
        if not section[4]:
            if pending is not None and pending[2] // 1000 == section[1] // 1000:
                pending = (*pending[:2], section[2], *pending[3:])
            continue
        if pending is not None:
            yield pending
        pending = section
    if pending is not None:
        yield pending


def merge_repeats(sections: Iterator[Section]) -> Iterator[Section]:
    """Consecutive pieces with the same verses and heading (the Treasury's many quoted notes
    on one verse) become one section."""
    pending: Section | None = None
    for section in sections:
        if pending is not None and pending[:4] == section[:4]:
            pending = (*pending[:4], pending[4] + "\n\n" + section[4])
            continue
        if pending is not None:
            yield pending
        pending = section
    if pending is not None:
        yield pending


def _mhcc_section(module: VerseModule, run: list[tuple[int, int, int]]) -> Section:
    markup = module.text(*run[0])
    label = _MHCC_LABEL.search(markup)
    heading = label.group(1).strip() if label else ""
    return "mhcc", local_id(*run[0]), local_id(*run[-1]), heading, prose(markup)


def tdavid_sections(root: Path = SWORD_ROOT) -> Iterator[Section]:
    """Each psalm's text cut at its headings and verse markers."""
    module = VerseModule(module_path(TDAVID, root))
    for chapter in range(1, 151):
        last_verse = kjv_verse_count(19, chapter)
        for verse in range(1, last_verse + 1):
            markup = module.text(19, chapter, verse)
            if markup.strip():
                yield from merge_repeats(_psalm_sections(chapter, last_verse, markup))


def _psalm_sections(chapter: int, last_verse: int, markup: str) -> Iterator[Section]:
    whole = (local_id(19, chapter, 1), local_id(19, chapter, last_verse))
    parts = _HEADING.split(markup)
    pieces = [("", parts[0]), *zip(parts[1::2], parts[2::2], strict=True)]
    for raw_heading, body in pieces:
        heading = prose(raw_heading)
        marks = list(_VERSE_MARK.finditer(body))
        lead = body[: marks[0].start()] if marks else body
        if prose(lead):
            yield "tdavid", *whole, heading, prose(lead)
        for mark, following in zip(marks, [*marks[1:], None][: len(marks)], strict=True):
            end = following.start() if following else len(body)
            first = int(mark.group(1))
            last = int(mark.group(2) or first)
            if not 1 <= first <= last <= last_verse:
                first, last = 1, last_verse
            label = prose(mark.group(0)).rstrip(".")
            yield (
                "tdavid",
                local_id(19, chapter, first),
                local_id(19, chapter, last),
                f"{heading} — {label}" if heading else label,
                prose(body[mark.start() : end]),
            )
