"""What the study panel says, without Textual: commentary text made terminal-safe, and the
places a Nave's topic cites (verses, ranges, whole chapters) turned into verse ranges."""

from __future__ import annotations

from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.lexicon import Commentary, CommentarySection
from verse_tui.tui.study.study_text import cited_place, cited_places, commentary_text, source_for


def test_commentary_text_shows_control_characters_as_pictures() -> None:
    covers = VerseRange(VerseRef(45, 8, 28), VerseRef(45, 8, 31))
    section = CommentarySection("mhcc", covers, "Romans 8:28–31", "Verses 28-31", "a\x1b[2Jb\nc")
    text = commentary_text(Commentary("Romans 8:28", "mhcc", "MHCC", (section,)))
    assert "\x1b" not in text
    assert "a␛[2Jb\nc" in text  # the newline of the text stays
    assert text.startswith("MHCC on Romans 8:28\n\n── Romans 8:28–31 · Verses 28-31")


def test_cited_places_read_verses_ranges_and_whole_chapters() -> None:
    assert cited_place("John.10.11") == VerseRange(VerseRef(43, 10, 11), VerseRef(43, 10, 11))
    assert cited_place("Gen.29.2-Gen.29.10") == VerseRange(VerseRef(1, 29, 2), VerseRef(1, 29, 10))
    assert cited_place("Ps.23") == VerseRange(VerseRef(19, 23, 1), VerseRef(19, 23, 6))
    assert cited_place("Nope.1.1") is None
    assert cited_place("Ps.200") is None
    labels = [label for label, _rng in cited_places(("Ezek.34", "Bad", "1Pet.5.4"))]
    assert labels == ["Ezekiel 34", "1 Peter 5:4"]


def test_the_treasury_of_david_is_shown_in_the_psalms_only() -> None:
    assert source_for("tdavid", 19) == "tdavid"
    assert source_for("tdavid", 43) == "mhcc"
    assert source_for("mhcc", 19) == "mhcc"
