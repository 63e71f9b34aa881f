"""The shipped KJV against its source, the SWORD module engKJV2006eb (Debian sword-text-kjv):
every verse's words, read here from the module's markup independently of the build, and the
source glitches the build repairs."""

from __future__ import annotations

import html
import re
import sqlite3

import pytest

from verse_tui.bible import kjv_source
from verse_tui.bible.study_sources import KJV, module_path
from verse_tui.bible.sword import VerseModule, kjv_verses

SCALE = 100_000_000
needs_module = pytest.mark.skipif(
    not kjv_source.available(),
    reason=f"the SWORD KJV module is not installed (apt-get install {kjv_source.DISTRIBUTION})",
)


@pytest.fixture(scope="module")
def kjv(bible_path) -> dict[int, str]:
    db = sqlite3.connect(f"{bible_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT id, text FROM verses WHERE id BETWEEN ? AND ?", (SCALE, 2 * SCALE - 1)
        )
        return {verse_id % SCALE: text for verse_id, text in rows}
    finally:
        db.close()


def _module_words(markup: str) -> list[str]:
    """The words of a verse's OSIS markup: notes, titles, tags and ¶ marks removed, and
    brackets (1 John 2:23 writes a supplied word inside a supplied clause as "[but]")."""
    markup = re.sub(r"<note\b.*?</note>|<title\b.*?</title>", " ", markup, flags=re.S)
    markup = re.sub(r"\\\+?nd\*?", " ", markup)  # USFM codes the module keeps
    text = html.unescape(re.sub(r"<[^>]+>", "", markup)).replace("¶", " ")
    return text.replace("[", "").replace("]", "").split()


@needs_module
def test_every_kjv_verse_has_the_words_of_the_module(kjv) -> None:
    module = VerseModule(module_path(KJV))
    refs = list(kjv_verses())
    assert len(refs) == len(kjv) == 31_102
    corrected = []
    for book, chapter, verse in refs:
        verse_id = book * 1_000_000 + chapter * 1000 + verse
        stored = kjv[verse_id].replace("[", "").replace("]", "").split()
        source = _module_words(module.text(book, chapter, verse))
        if verse_id in kjv_source.CORRECTIONS:
            wrong, right = kjv_source.CORRECTIONS[verse_id]
            source = " ".join(source).replace(wrong, right).split()
            corrected.append(verse_id)
        assert stored == source, verse_id
    assert corrected == [40012032]


@needs_module
def test_the_shipped_kjv_is_what_the_build_reads(kjv) -> None:
    assert dict(kjv_source.kjv_texts()) == kjv


def test_the_source_glitches_are_repaired(kjv) -> None:
    assert not [i for i, text in kjv.items() if "( " in text or re.search(r"\w\(", text)]
    assert "but whosoever speaketh against the Holy Ghost" in kjv[40012032]
    assert "Moses, inasmuch as he" in kjv[58003003]
    assert kjv[58007020].startswith("And inasmuch as not without an oath")
    assert "a sabbath day’s journey" in kjv[44001012]
    assert "to God-ward is spread" in kjv[52001008]
    assert kjv[62002023].endswith(": [but he that acknowledgeth the Son hath the Father also].")
    assert "darkness [was] upon" in kjv[1001002]  # supplied words as before


def test_nested_supplied_words_become_one_span() -> None:
    merge = kjv_source.merge_nested_brackets
    assert merge("x [[but] he that] y") == "x [but he that] y"
    assert merge("[is] and [are]") == "[is] and [are]"
    with pytest.raises(ValueError, match="unbalanced"):
        merge("[[but] he")


def test_a_correction_that_no_longer_applies_stops_the_build() -> None:
    assert kjv_source.correct(1001001, "In the beginning") == "In the beginning"
    with pytest.raises(ValueError, match="review CORRECTIONS"):
        kjv_source.correct(40012032, "but whosoever speaketh")


def test_a_missing_module_is_a_clear_build_error(tmp_path) -> None:
    with pytest.raises(SystemExit, match="apt-get install sword-text-kjv"):
        next(kjv_source.kjv_texts(tmp_path))
