"""The reader's side of the study panel (`m`): showing and hiding it, keeping it on the
passage under the cursor, opening the verses it offers, and remembering whether it is open.

The panel is built the first time it is shown (start-up stays light). From 100 columns it
stands beside the text; on a narrower terminal it covers the text, takes the focus, and goes
away again with Esc or when one of its verses is opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import Screen

from verse_tui.tui.reading.study_actions import reader_selection

if TYPE_CHECKING:
    from verse_tui.tui.reading.screen import ReadingScreen
    from verse_tui.tui.reading.study_panel import StudyPanel

NARROW = "-narrow"
"""The reading screen's class below 100 columns (its HORIZONTAL_BREAKPOINTS)."""


class ReaderStudyPanel(Screen[None]):
    """The study panel's keys and wiring (a base of `ReadingScreen`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "m",
            "study_panel",
            "Study panel",
            show=False,
            tooltip="Study panel beside the text: commentary and topics (again: hide it)",
        ),
    ]

    def _panel_reader(self) -> ReadingScreen:
        return self  # type: ignore[return-value]

    @property
    def study_panel(self) -> StudyPanel | None:
        """The panel when it has been built (shown or hidden), else None."""
        from verse_tui.tui.reading.study_panel import StudyPanel

        panels = self.query(StudyPanel)
        return panels.first() if panels else None

    @property
    def study_panel_shown(self) -> bool:
        panel = self.study_panel
        return panel is not None and panel.display

    @property
    def narrow(self) -> bool:
        return self.has_class(NARROW)

    async def action_study_panel(self) -> None:
        if self.study_panel_shown:
            self.hide_study_panel(save=True)
        else:
            await self.show_study_panel(save=True)

    async def show_study_panel(self, *, save: bool = False) -> None:
        panel = self.study_panel
        if panel is None:
            from verse_tui.tui.reading.study_panel import StudyPanel

            panel = StudyPanel(id="study-panel")
            await self.mount(panel, before=0)  # the header and key bar paint over its ends
        panel.display = True
        self._follow(at_once=True)
        if self.narrow:
            panel.enter()
        if save:
            self._save_study_panel(True)

    def hide_study_panel(self, *, save: bool = False) -> None:
        panel = self.study_panel
        if panel is not None:
            panel.display = False
            panel.workers.cancel_group(panel, "study-panel")
        self._panel_reader().view.focus()
        if save:
            self._save_study_panel(False)

    def _save_study_panel(self, shown: bool) -> None:
        app: Any = self.app
        if app.users is not None:  # before the library opens there is nowhere to keep it
            app.update_preferences(study_panel=shown)

    def _follow(self, *, at_once: bool = False) -> None:
        panel = self.study_panel
        reader = self._panel_reader()
        if panel is None or not panel.display or reader.passage is None:
            return
        panel.follow(reader_selection(reader), at_once=at_once)

    def follow_study_panel(self) -> None:
        """The cursor, the selection or the chapter moved: the panel follows."""
        self._follow()

    async def study_panel_library_ready(self, shown: bool) -> None:
        """The library has opened: show the panel if it was open last time (beside the text
        only: a narrow terminal starts with the text), and read its passage."""
        if shown and not self.study_panel_shown and not self.narrow:
            await self.show_study_panel()
            return
        panel = self.study_panel
        if panel is not None and panel.display:
            panel.reload()

    def on_resize(self, _event: events.Resize) -> None:
        """Narrowed below 100 columns with the panel shown: it now covers the text, so it
        takes the keys (the breakpoint classes are set before this handler runs)."""
        panel = self.study_panel
        if self.narrow and panel is not None and panel.display and not panel.has_focus_within:
            panel.enter()

    def on_study_panel_verse_chosen(self, event: StudyPanel.VerseChosen) -> None:
        verses = event.verses
        one_chapter = (verses.start.book, verses.start.chapter) == (
            verses.end.book,
            verses.end.chapter,
        )
        reader = self._panel_reader()
        reader.go_to(verses.start, verses if one_chapter and verses.start != verses.end else None)
        if self.narrow:
            self.hide_study_panel()

    def on_study_panel_left(self) -> None:
        if self.narrow:
            self.hide_study_panel()
        else:
            self._panel_reader().view.focus()
