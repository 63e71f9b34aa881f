"""What `study.sqlite` is built from: the SWORD modules, cut into rows (build time only).

Each function reads one installed module (Debian `sword-*` packages) and yields plain rows;
`build_study.py` writes them. Verse ids are `book * 10^6 + chapter * 10^3 + verse` ("local"
ids, as in `bible.sqlite` without the translation part).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from verse_tui.bible import canon
from verse_tui.bible.sword import (
    SWORD_ROOT,
    VerseModule,
    kjv_verse_count,
    kjv_verses,
    read_conf,
    read_dictionary,
)
from verse_tui.bible.sword_markup import (
    kjv_verse,
    lexicon_entry,
    osis_refs,
    prose,
    see_also,
)
from verse_tui.bible.tagged_text import segments


@dataclass(frozen=True, slots=True)
class Module:
    name: str  # the SWORD module name, as in its .conf
    conf: str  # the .conf file under mods.d
    data: str  # the data path under the SWORD root
    package: str  # the Debian package


KJV = Module(
    "engKJV2006eb", "engKJV2006eb.conf", "modules/texts/ztext/engKJV2006eb", "sword-text-kjv"
)
GREEK = Module(
    "StrongsGreek", "strongsgreek.conf", "modules/lexdict/zld/strongsgreek/dict",
    "sword-dict-strongs-greek",
)  # fmt: skip
HEBREW = Module(
    "StrongsHebrew", "strongshebrew.conf", "modules/lexdict/zld/strongshebrew/dict",
    "sword-dict-strongs-hebrew",
)  # fmt: skip
MHCC = Module("MHCC", "mhcc.conf", "modules/comments/zcom/mhcc", "sword-comm-mhcc")
TDAVID = Module("TDavid", "tdavid.conf", "modules/comments/zcom/tdavid", "sword-comm-tdavid")
NAVE = Module("Nave", "nave.conf", "modules/lexdict/zld/nave/nave", "sword-dict-naves")
MODULES = (KJV, GREEK, HEBREW, MHCC, TDAVID, NAVE)
COMMENTARY_NAMES = {"mhcc": "Matthew Henry's Concise Commentary", "tdavid": "The Treasury of David"}


def module_path(module: Module, root: Path = SWORD_ROOT) -> Path:
    return root / module.data


def module_conf(module: Module, root: Path = SWORD_ROOT) -> dict[str, str]:
    return read_conf(root / "mods.d" / module.conf)


def local_id(book: int, chapter: int, verse: int) -> int:
    return book * 1_000_000 + chapter * 1000 + verse


# -- the KJV with Strong's numbers ---------------------------------------------------------


def kjv_rows(root: Path = SWORD_ROOT) -> Iterator[tuple[int, str, int, str | None]]:
    """(local id, tagged text, paragraph flag, title) of every KJV verse. A verse 1's title
    includes one the module keeps in the chapter's own slot (Psalm 119's first stanza letter,
    "א ALEPH.")."""
    module = VerseModule(module_path(KJV, root))
    for ref in kjv_verses():
        verse = kjv_verse(module.text(*ref))
        title = verse.title
        if ref[2] == 1:
            heading = kjv_verse(module.text(ref[0], ref[1], 0)).title
            title = " ".join(t for t in (heading, title) if t) or None
        yield local_id(*ref), verse.tagged, int(verse.paragraph), title


def rendering(text: str) -> str:
    """How a tagged word group is counted as an English rendering: lower case, no edge
    punctuation ("Love," -> "love")."""
    return re.sub(r"^[^\w]+|[^\w’']+$", "", text.lower()).strip()


def concordance(
    rows: list[tuple[int, str, int, str | None]],
) -> tuple[dict[str, set[int]], dict[str, Counter[str]]]:
    """{number: verse ids} and {number: Counter of renderings} over the verse texts."""
    verses: dict[str, set[int]] = {}
    renderings: dict[str, Counter[str]] = {}
    for verse_id, tagged, _paragraph, _title in rows:
        for text, numbers in segments(tagged):
            for number in numbers:
                verses.setdefault(number, set()).add(verse_id)
                renderings.setdefault(number, Counter())[rendering(text)] += 1
    return verses, renderings


# -- Strong's dictionaries -----------------------------------------------------------------


def lexicon_rows(root: Path = SWORD_ROOT) -> Iterator[tuple[str, str, str, str, str]]:
    """(number, lemma, transliteration, pronunciation, definition) of every entry."""
    for module, prefix in ((GREEK, "G"), (HEBREW, "H")):
        for key, markup in read_dictionary(module_path(module, root)).items():
            entry = lexicon_entry(prefix, key, markup)
            if entry is not None:
                definition = re.sub(r"\s+", " ", entry.definition.replace("{", "").replace("}", ""))
                yield (
                    entry.number,
                    entry.lemma,
                    entry.transliteration,
                    entry.pronunciation,
                    definition.strip(),
                )


# -- Nave's topics --------------------------------------------------------------------------


def _point(text: str, last: bool) -> tuple[int, int, int] | None:
    parts = text.split(".")
    try:
        book = canon.book_by_osis(parts[0]).number
        chapter = int(parts[1]) if len(parts) > 1 else (canon.chapter_count(book) if last else 1)
        default = kjv_verse_count(book, chapter) if last else 1
        verse = int(parts[2]) if len(parts) > 2 else default
        if not 1 <= verse <= kjv_verse_count(book, chapter):
            return None
    except (ValueError, IndexError, canon.ReferenceError):
        return None
    return book, chapter, verse


def ref_range(osis_ref: str) -> tuple[int, int] | None:
    """(first, last) local ids of "Heb.11.4", "Rev.9.16-Rev.9.18" or "Ps.23"; None if invalid."""
    start_text, _, end_text = osis_ref.partition("-")
    start = _point(start_text, last=False)
    end = _point(end_text or start_text, last=True)
    if start is None or end is None or end < start:
        return None
    return local_id(*start), local_id(*end)


def chapter_pieces(first: int, last: int) -> Iterator[tuple[int, int, int]]:
    """(chapter key, first, last) of a verse range cut at chapter ends (key = book*1000+ch)."""
    book, chapter = first // 1_000_000, first // 1000 % 1000
    start = first
    while True:
        end = local_id(book, chapter, kjv_verse_count(book, chapter))
        yield book * 1000 + chapter, start, min(end, last)
        if end >= last:
            return
        next_chapter = canon.next_chapter(book, chapter)
        if next_chapter is None:
            return
        book, chapter = next_chapter
        start = local_id(book, chapter, 1)


def topic_rows(root: Path = SWORD_ROOT) -> Iterator[tuple[str, str, list[str], list[str]]]:
    """(name, plain text, valid osisRefs in order, see-also topics) of every Nave's topic."""
    for name, markup in read_dictionary(module_path(NAVE, root)).items():
        refs = [ref for ref in dict.fromkeys(osis_refs(markup)) if ref_range(ref) is not None]
        text = prose(re.sub(r"^\s*<entryFree[^>]*>", "", markup)).replace("→ ", "")
        yield name, text, refs, see_also(markup)
