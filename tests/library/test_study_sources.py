"""study.sqlite against the SWORD modules it is built from (skipped without the Debian
packages: sword-text-kjv, sword-dict-strongs-*, sword-comm-mhcc, sword-comm-tdavid,
sword-dict-naves)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from verse_tui.bible.study_sources import KJV, MHCC, module_path
from verse_tui.bible.sword import VerseModule, kjv_verses, read_dictionary
from verse_tui.bible.tagged_text import segments

_STRONG_W = re.compile(r'<w lemma="[^"]*strong:[GH]\d+[^"]*"[^>]*>([^<]+)</w>')
_NOTE = re.compile(r"<note\b.*?</note>|<title\b.*?</title>", re.S)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)


def test_every_kjv_verse_has_the_modules_tagged_words(
    sword_root: Path, study_db: sqlite3.Connection
) -> None:
    module = VerseModule(module_path(KJV, sword_root))
    stored = dict(study_db.execute("SELECT id, tagged FROM kjv_words"))
    for book, chapter, verse in kjv_verses():
        raw = _NOTE.sub("", module.text(book, chapter, verse))
        source_words = [w.strip() for w in _STRONG_W.findall(raw) if w.strip()]
        tagged = stored[100_000_000 + book * 1_000_000 + chapter * 1000 + verse]
        ours = [text for text, numbers in segments(tagged) if numbers]
        assert ours == source_words, (book, chapter, verse)


def _words(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>|[\[\]]", "", text).split())


def test_every_title_of_the_module_stands_before_its_verse(
    sword_root: Path, study_db: sqlite3.Connection
) -> None:
    """Psalm titles, Psalm 119's stanza letters (and the epistles' subscriptions), words only;
    the module keeps a verse 1's title in the chapter's own slot (verse 0) or in the verse."""
    module = VerseModule(module_path(KJV, sword_root))
    stored = dict(study_db.execute("SELECT id - 100000000, tagged FROM kjv_titles"))
    found: dict[int, str] = {}
    for book, chapter, verse in kjv_verses():
        slots = [(book, chapter, 0), (book, chapter, 1)] if verse == 1 else [(book, chapter, verse)]
        titles = [t for slot in slots for t in _TITLE.findall(module.text(*slot))]
        if titles:
            found[book * 1_000_000 + chapter * 1000 + verse] = _words(" ".join(titles))
    assert {i: _words("".join(t for t, _ in segments(v))) for i, v in stored.items()} == found
    # Psalm 119's first letter is in the chapter's own slot, the others in their verses'
    assert found[19119001] == "א ALEPH." and found[19119009] == "ב BETH."


def test_hebrew_decodes_as_utf8(sword_root: Path) -> None:
    entries = read_dictionary(
        module_path(KJV, sword_root).parents[2] / "lexdict/zld/strongshebrew/dict"
    )
    assert "<orth>אלהים</orth>" in entries["00430"]


def test_mhcc_index_maps_verses_to_their_sections(sword_root: Path) -> None:
    module = VerseModule(module_path(MHCC, sword_root))
    assert "Verses 28-31" in module.text(45, 8, 28)
    assert "Verses 26-27" in module.text(45, 8, 27)
    assert "Verses 1-17" in module.text(40, 1, 17)
    assert "Verses 1-2" in module.text(1, 1, 1)


def test_without_the_modules_the_source_tests_name_what_to_install(tmp_path: Path) -> None:
    from tests.library.conftest import missing_modules

    assert missing_modules(tmp_path) == [
        "sword-text-kjv",
        "sword-dict-strongs-greek",
        "sword-dict-strongs-hebrew",
        "sword-comm-mhcc",
        "sword-comm-tdavid",
        "sword-dict-naves",
    ]
