"""The reader's actions on the selected verses: copy, bookmark, highlight, note, and the lists.

A mixin for `ReadingScreen`, kept apart so navigation and annotation each stay small. Every
write runs in a named worker, then the in-memory `Annotations` are reloaded and repainted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from verse_tui.bible.references import format_range
from verse_tui.domain.bible import Passage, VerseRange, VerseRef
from verse_tui.tui.host import services
from verse_tui.tui.reading.annotations import Annotations, selection_text

if TYPE_CHECKING:
    from textual.app import App

    from verse_tui.services.users import UserService
    from verse_tui.tui.app import VerseApp
    from verse_tui.tui.reading.chapter_view import ChapterView
    from verse_tui.tui.screens.marks_screen import Jump
    from verse_tui.tui.screens.note_editor import NoteResult


class AnnotationActions:
    """Copy, bookmark, highlight and note the selected verses; list them to jump back."""

    annotations: Annotations
    translation: str

    # Provided by ReadingScreen / Screen:
    passage: Passage | None
    parallel_passage: Passage | None
    app: App[object]

    if TYPE_CHECKING:

        @property
        def view(self) -> ChapterView: ...

        @property
        def verse_app(self) -> VerseApp: ...

        def annotations_changed(self) -> None:
            """Repaint the marks of the chapter on screen."""

        def go_to(self, ref: VerseRef, selection: VerseRange | None = None) -> None: ...

    def _users(self) -> UserService | None:
        """The user service, or None after telling the user why it is not there yet."""
        return self.verse_app.users if self.verse_app.library_ready_or_warn() else None

    def _selected_range(self) -> VerseRange | None:
        selection = self.view.selection
        return selection.range if selection.refs else None

    # -- copy ------------------------------------------------------------------------------

    def action_copy(self) -> None:
        rng = self._selected_range()
        if rng is None or self.passage is None:
            return
        refs = self.view.selection.refs
        reference = format_range(rng)
        texts = [selection_text(self.passage, refs, reference)]
        if self.parallel_passage is not None:
            texts.append(selection_text(self.parallel_passage, refs, reference))
        self.app.copy_to_clipboard("\n\n".join(texts))
        self.app.notify(f"Copied {reference} to the clipboard.", timeout=3)

    # -- loading ---------------------------------------------------------------------------

    @work(
        exclusive=True,
        group="annotations",
        name="load-annotations",
        exit_on_error=False,
        description="Loading your bookmarks, highlights and notes",
    )
    async def refresh_annotations(self) -> None:
        users = self.verse_app.users
        if users is None:  # the library is not open yet: nothing to show
            return
        self.annotations = Annotations(
            bookmarks=await users.list_bookmarks(),
            highlights=await users.list_highlights(),
            notes=await users.list_notes(),
        )
        self.annotations_changed()

    # -- bookmark --------------------------------------------------------------------------

    def action_bookmark(self) -> None:
        rng = self._selected_range()
        if rng is not None and self._users() is not None:
            self._toggle_bookmark(rng)

    @work(
        group="annotation-writes",
        name="toggle-bookmark",
        exit_on_error=False,
        description="Saving the bookmark",
    )
    async def _toggle_bookmark(self, rng: VerseRange) -> None:
        users = services(self).users  # the action checked that the library is open
        existing = self.annotations.bookmark_on(rng)
        if existing is not None:
            await users.remove_bookmark(existing.id)
            message = f"Removed the bookmark on {format_range(rng)}."
        else:
            await users.add_bookmark(self.translation, rng)
            message = f"Bookmarked {format_range(rng)}."
        self.app.notify(message, timeout=3)
        self.refresh_annotations()

    # -- highlight -------------------------------------------------------------------------

    def action_highlight(self) -> None:
        rng = self._selected_range()
        if rng is None or self._users() is None:
            return
        from verse_tui.tui.screens.highlight_picker import HighlightPicker

        def chosen(colour: str | None) -> None:
            if colour is not None:
                self._apply_highlight(rng, colour)

        self.app.push_screen(HighlightPicker(format_range(rng)), chosen)

    @work(
        group="annotation-writes",
        name="save-highlight",
        exit_on_error=False,
        description="Saving the highlight",
    )
    async def _apply_highlight(self, rng: VerseRange, colour: str) -> None:
        """Replace the highlights overlapping the range; an empty colour only removes them."""
        users = services(self).users  # the action checked that the library is open
        for old in self.annotations.highlights_over(rng):
            await users.remove_highlight(old.id)
        if colour:
            await users.add_highlight(self.translation, rng, colour)
        self.refresh_annotations()

    # -- note ------------------------------------------------------------------------------

    def action_note(self) -> None:
        rng = self._selected_range()
        if rng is None or self.passage is None or self._users() is None:
            return
        from verse_tui.tui.screens.note_editor import NoteEditor

        note = self.annotations.note_on(rng)
        target = note.range if note is not None else rng

        def done(result: NoteResult | None) -> None:
            if result is not None:
                self._save_note(target, note.id if note else None, result)

        quote = " ".join(
            v.plain_text for v in self.passage.verses if target.start <= v.ref <= target.end
        )
        editor = NoteEditor(format_range(target), note.text if note else "", quote)
        self.app.push_screen(editor, done)

    @work(
        group="annotation-writes",
        name="save-note",
        exit_on_error=False,
        description="Saving the note",
    )
    async def _save_note(self, rng: VerseRange, note_id: int | None, result: NoteResult) -> None:
        users = services(self).users  # the action checked that the library is open
        text = result.text.strip()
        if note_id is not None and (result.delete or not text):
            await users.delete_note(note_id)
            self.app.notify(f"Deleted the note on {format_range(rng)}.", timeout=3)
        elif note_id is not None:
            await users.update_note(note_id, text)
        elif text:
            await users.add_note(self.translation, rng, text)
        self.refresh_annotations()

    # -- lists -----------------------------------------------------------------------------

    def action_lists(self) -> None:
        if self._users() is None:
            return
        from verse_tui.tui.screens.marks_screen import MarksScreen

        def jump(target: Jump | None) -> None:
            self.refresh_annotations()  # the list may have removed some
            if target is not None:
                self.go_to(target.range.start, target.range)

        self.app.push_screen(MarksScreen(), jump)
