"""The study library in the reader's text, with Pilot: psalm titles, paragraph starts and the
KJV's Strong's numbers inline (x), from the shipped study.sqlite through `StudyService`."""

from __future__ import annotations

from tests.support.tui import SIZE, go_to, reader, settle
from verse_tui.domain.bible import VerseRef
from verse_tui.tui.reading.text_layout import Kind


def lines_of(view) -> list[str]:
    return ["".join(run.text for run in line.runs) for line in view._layout.lines]


def first_line_of(view, verse: int) -> int:
    row = view.rows.index(VerseRef(view.rows[0].book, view.rows[0].chapter, verse))
    return view._layout.row_lines[row][0]


async def test_a_psalm_title_stands_on_its_own_line_before_verse_1(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "ps 3")
        view = reader(app).view
        lines = lines_of(view)
        verse_1 = first_line_of(view, 1)
        assert lines[verse_1 - 1] == "A Psalm of David, when he fled from Absalom his son."
        assert lines[verse_1].startswith("1 LORD, how are they increased")
        kinds = {run.kind for run in view._layout.lines[verse_1 - 1].runs}
        assert kinds == {Kind.TITLE, Kind.SPACE}
        assert view._layout.row_at(verse_1 - 1, 0) is None  # not part of verse 1


async def test_psalm_119_letters_come_between_its_stanzas(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "ps 119:9")
        view = reader(app).view
        lines = lines_of(view)
        verse_1 = first_line_of(view, 1)
        assert lines[verse_1 - 1] == "א ALEPH."  # the first letter, before verse 1
        assert lines[verse_1].startswith("1 Blessed are the undefiled")
        verse_9 = first_line_of(view, 9)
        assert lines[verse_9 - 1] == "ב BETH."
        assert lines[verse_9 - 2] == ""  # a blank line ends the stanza before
        assert lines[verse_9].startswith("9 Wherewithal shall a young man")


async def test_paragraphs_start_on_a_new_line_with_a_pilcrow(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "gen 1")
        view = reader(app).view
        lines = lines_of(view)
        assert lines[first_line_of(view, 6)].startswith("6 ¶ And God said, Let there be a")
        assert first_line_of(view, 6) > view._layout.row_lines[4][1]  # verse 5 ends before
        assert "¶" not in lines[first_line_of(view, 2)]  # no paragraph: the text flows on
        assert not lines[first_line_of(view, 2)].startswith("2 ")


async def test_x_shows_and_hides_strongs_numbers_in_the_kjv(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "jn 3:16")
        view = reader(app).view
        assert "<G" not in "".join(lines_of(view))
        await pilot.press("x")
        text = " ".join(lines_of(view))
        assert "loved<G25> the world<G2889>" in text
        numbers = [r for line in view._layout.lines for r in line.runs if r.kind is Kind.STRONGS]
        assert numbers and all(r.text.startswith("<") for r in numbers)
        assert view.cursor_ref == VerseRef(43, 3, 16)

        await pilot.press("n")  # the next chapter keeps them on
        await settle(pilot)
        assert "<G" in "".join(lines_of(view))

        await pilot.press("x")
        assert "<G" not in "".join(lines_of(view))


async def test_strongs_numbers_need_the_kjv(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        screen.set_translation("WEB")
        await settle(pilot)
        await pilot.press("x")
        messages = [n.message for n in app._notifications]
        assert any("tagged in the KJV" in m for m in messages)
        assert "<G" not in "".join(lines_of(screen.view))


async def test_the_next_chapter_turns_with_its_title_already_there(make_app):
    """The neighbours' study data is read ahead: turning the page lays out from memory."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "ps 3")
        await pilot.press("n")
        await pilot.pause()
        view = reader(app).view
        assert view.rows[0] == VerseRef(19, 4, 1)
        assert view.study.titles[VerseRef(19, 4, 1)].startswith("To the chief Musician")


async def test_parallel_view_keeps_the_title_in_the_kjv_column(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "ps 23")
        screen = reader(app)
        screen.set_parallel("WEB")
        await settle(pilot)
        view = screen.view
        lines = lines_of(view)
        verse_1 = view._layout.row_lines[0][0]
        assert lines[verse_1 - 1].startswith("A Psalm of David.")
        assert lines[verse_1].startswith("1 The LORD is my shepherd")


async def test_without_the_study_library_the_text_reads_as_before(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("VERSE_STUDY_DB", str(tmp_path / "missing.sqlite"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "ps 3")
        view = reader(app).view
        assert lines_of(view)[0].startswith("1 LORD, how are they increased")
        await pilot.press("x")
        messages = [n.message for n in app._notifications]
        assert any("The study library is missing" in m for m in messages)
        assert "<H" not in "".join(lines_of(view))


def test_a_supplied_word_inside_a_supplied_clause_keeps_the_clause_supplied() -> None:
    """1 John 2:23 in the tagged KJV: ": [[but] {he that acknowledgeth|G3670} ... also]."."""
    from verse_tui.tui.reading.text_layout import _styled_words

    units = _styled_words([(": [[but] ", ()), ("he that", ("G3670",)), (" also].", ())], 0)
    kinds = [[(run.text, run.kind) for run in unit] for unit in units]
    assert kinds == [
        [(":", Kind.TEXT)],
        [("but", Kind.SUPPLIED)],
        [("he", Kind.SUPPLIED)],
        [("that", Kind.SUPPLIED), ("<G3670>", Kind.STRONGS)],
        [("also", Kind.SUPPLIED), (".", Kind.TEXT)],
    ]
