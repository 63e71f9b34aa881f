"""UserService against a real database migrated to head (SQLite, or PostgreSQL when
VERSE_TEST_DATABASE_URL is set): preferences, reading position, bookmarks, highlights, notes."""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import ManualClock
from verse_tui.app_factory import Services, build_services
from verse_tui.config import Settings
from verse_tui.db.models.accounts import Device
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.user import DEFAULT_THEME, HIGHLIGHT_COLORS, Preferences
from verse_tui.errors import InputError, NotFoundError

JOHN_3_16 = VerseRef(43, 3, 16)
JOHN_3_16_18 = VerseRange(VerseRef(43, 3, 16), VerseRef(43, 3, 18))
PSALM_23 = VerseRange(VerseRef(19, 23, 1), VerseRef(19, 23, 6))
GEN_1_1_TO_2_3 = VerseRange(VerseRef(1, 1, 1), VerseRef(1, 2, 3))


async def test_first_run_creates_the_local_user_with_default_preferences(
    services: Services,
) -> None:
    profile = await services.users.profile()
    assert profile.user_id == services.identity.user_id
    assert profile.device_id == services.identity.device_id
    assert profile.display_name
    assert profile.preferences == Preferences("KJV", DEFAULT_THEME, None)


async def test_update_preferences_changes_only_what_is_given(services: Services) -> None:
    updated = await services.users.update_preferences(translation="web", theme="nord")
    assert updated == Preferences("WEB", "nord", None)
    updated = await services.users.update_preferences(parallel_translation="asv")
    assert updated == Preferences("WEB", "nord", "ASV")
    cleared = await services.users.update_preferences(parallel_translation=None)
    assert cleared.parallel_translation is None
    assert await services.users.get_preferences() == cleared
    shown = await services.users.update_preferences(study_panel=True)
    assert shown == Preferences("WEB", "nord", None, study_panel=True)
    assert (await services.users.get_preferences()).study_panel is True


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"colour": "red"}, "Unknown preference colour"),
        ({"translation": "XYZ"}, "Translation XYZ is not installed"),
        ({"translation": "K J V"}, "is not a translation code"),
        ({"theme": ""}, "is not a theme name"),
        ({"study_panel": "yes"}, "study_panel is true or false, not a str"),
    ],
)
async def test_bad_preferences_are_refused_and_change_nothing(
    services: Services, changes: dict[str, object], expected: str
) -> None:
    before = await services.users.get_preferences()
    with pytest.raises(InputError, match=expected):
        await services.users.update_preferences(**changes)
    assert await services.users.get_preferences() == before


async def test_reading_position_is_saved_and_replaced(
    services: Services, clock: ManualClock
) -> None:
    assert await services.users.get_reading_position() is None
    await services.users.set_reading_position("kjv", JOHN_3_16)
    clock.advance(minutes=5)
    await services.users.set_reading_position("WEB", VerseRef(19, 23, 1))
    position = await services.users.get_reading_position()
    assert position is not None
    assert (position.translation, position.ref) == ("WEB", VerseRef(19, 23, 1))
    assert position.updated_at == clock()


async def test_bookmarks_add_list_and_remove(services: Services, clock: ManualClock) -> None:
    first = await services.users.add_bookmark("KJV", JOHN_3_16_18, "God so loved")
    clock.advance(seconds=1)
    second = await services.users.add_bookmark("KJV", PSALM_23)
    assert second.label is None
    assert await services.users.list_bookmarks() == (second, first)  # newest first
    again = await services.users.add_bookmark("KJV", JOHN_3_16_18, "renamed")
    assert again.id == first.id and again.label == "renamed"
    await services.users.remove_bookmark(first.id)
    assert [b.id for b in await services.users.list_bookmarks()] == [second.id]
    with pytest.raises(NotFoundError, match=f"no bookmark #{first.id}"):
        await services.users.remove_bookmark(first.id)


async def test_highlights_filter_by_book_and_chapter(services: Services) -> None:
    genesis = await services.users.add_highlight("KJV", GEN_1_1_TO_2_3, "green")
    john = await services.users.add_highlight("KJV", JOHN_3_16_18, "Yellow")
    assert john.color == "yellow"
    assert await services.users.list_highlights() == (genesis, john)
    assert await services.users.list_highlights(book=43) == (john,)
    assert await services.users.list_highlights(book=1, chapter=2) == (genesis,)
    assert await services.users.list_highlights(book=1, chapter=3) == ()
    recoloured = await services.users.add_highlight("KJV", JOHN_3_16_18, "blue")
    assert recoloured.id == john.id and recoloured.color == "blue"
    await services.users.remove_highlight(genesis.id)
    assert await services.users.list_highlights() == (recoloured,)


async def test_a_bad_highlight_colour_is_refused_with_the_choices(services: Services) -> None:
    with pytest.raises(InputError) as info:
        await services.users.add_highlight("KJV", JOHN_3_16_18, "red")
    assert "'red' is not a highlight colour" in str(info.value)
    assert all(colour in str(info.value) for colour in HIGHLIGHT_COLORS)
    assert await services.users.list_highlights() == ()


async def test_bad_ranges_and_filters_are_refused(services: Services) -> None:
    backwards = VerseRange(VerseRef(43, 3, 18), VerseRef(43, 3, 16))
    with pytest.raises(InputError, match="must end at or after its start"):
        await services.users.add_note("KJV", backwards, "text")
    with pytest.raises(InputError, match="books run 1-66"):
        await services.users.add_bookmark("KJV", VerseRange(VerseRef(67, 1, 1), VerseRef(67, 1, 1)))
    with pytest.raises(InputError, match="Give the book"):
        await services.users.list_notes(chapter=3)
    assert await services.users.list_notes() == ()


async def test_notes_update_delete_and_timestamps(services: Services, clock: ManualClock) -> None:
    note = await services.users.add_note("KJV", JOHN_3_16_18, "  Love gives.  ")
    assert note.text == "Love gives." and note.created_at == note.updated_at == clock()
    clock.advance(hours=1)
    edited = await services.users.update_note(note.id, "Love gives everything.")
    assert (edited.id, edited.created_at, edited.updated_at) == (note.id, note.created_at, clock())
    assert await services.users.list_notes(book=43, chapter=3) == (edited,)
    with pytest.raises(InputError, match="needs some text"):
        await services.users.update_note(note.id, "   ")
    await services.users.delete_note(note.id)
    with pytest.raises(NotFoundError):
        await services.users.update_note(note.id, "gone")
    assert await services.users.list_notes() == ()


async def test_note_search_is_case_insensitive_and_matches_every_word(
    services: Services, clock: ManualClock
) -> None:
    love = await services.users.add_note("KJV", JOHN_3_16_18, "God's LOVE for the world")
    clock.advance(seconds=1)
    shepherd = await services.users.add_note("KJV", PSALM_23, "The Lord is my shepherd; love")
    await services.users.add_note("KJV", GEN_1_1_TO_2_3, "100% of creation_week")
    assert await services.users.search_notes("love") == (shepherd, love)
    assert await services.users.search_notes("world LOVE") == (love,)
    assert await services.users.search_notes("shepherd world") == ()
    assert [n.text for n in await services.users.search_notes("100%")] == ["100% of creation_week"]
    assert await services.users.search_notes("0%_") == ()  # wildcards are literal
    with pytest.raises(InputError, match="one or more words"):
        await services.users.search_notes("   ")


async def test_everything_persists_across_a_new_services_on_the_same_files(
    settings: Settings, clock: ManualClock
) -> None:
    first = await build_services(settings, clock=clock)
    try:
        await first.users.update_preferences(theme="gruvbox", parallel_translation="WEB")
        await first.users.set_reading_position("KJV", JOHN_3_16)
        bookmark = await first.users.add_bookmark("KJV", PSALM_23, "comfort")
        highlight = await first.users.add_highlight("KJV", JOHN_3_16_18, "pink")
        note = await first.users.add_note("KJV", GEN_1_1_TO_2_3, "In the beginning")
        identity = first.identity
    finally:
        await first.aclose()

    second = await build_services(settings, clock=clock)
    try:
        assert second.identity.device_id == identity.device_id
        assert not second.identity.registered and not second.migration.upgraded
        prefs = await second.users.get_preferences()
        assert (prefs.theme, prefs.parallel_translation) == ("gruvbox", "WEB")
        position = await second.users.get_reading_position()
        assert position is not None and position.ref == JOHN_3_16
        assert await second.users.list_bookmarks() == (bookmark,)
        assert await second.users.list_highlights() == (highlight,)
        assert await second.users.search_notes("beginning") == (note,)
    finally:
        await second.aclose()


async def test_users_only_see_their_own_data(settings: Settings, tmp_path, clock) -> None:
    mine = await build_services(settings, clock=clock)
    other_home = tmp_path / "other-home"
    other_settings = Settings(**{**settings.__dict__, "home": other_home})
    other = await build_services(other_settings, clock=clock)
    try:
        note = await mine.users.add_note("KJV", JOHN_3_16_18, "mine")
        assert other.identity.user_id != mine.identity.user_id
        assert await other.users.list_notes() == ()
        assert await other.users.search_notes("mine") == ()
        with pytest.raises(NotFoundError):
            await other.users.delete_note(note.id)
        assert await mine.users.list_notes() == (note,)
    finally:
        await other.aclose()
        await mine.aclose()


async def test_credential_file_is_private_and_only_its_hash_is_stored(
    services: Services,
) -> None:
    path = services.settings.credential_path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    secret = path.read_text().strip()
    assert len(secret) >= 22  # >= 128 bits of url-safe base64
    async with services.database.reader.begin() as session:
        stored = (await session.scalars(select(Device.credential_hash))).all()
    assert stored == [hashlib.sha256(secret.encode()).hexdigest()]
    assert all(secret not in value for value in stored)


async def test_last_seen_is_recorded_at_most_once_a_minute(
    services: Services, clock: ManualClock
) -> None:
    async def last_seen() -> object:
        async with services.database.reader.begin() as session:
            return await session.scalar(select(Device.last_seen_at))

    await services.users.get_preferences()
    seen = await last_seen()
    clock.advance(seconds=30)
    await services.users.add_note("KJV", JOHN_3_16_18, "x")
    assert await last_seen() == seen
    clock.advance(timedelta(seconds=31))
    await services.users.get_preferences()
    assert await last_seen() == clock()
