"""The help screen (`?`): every key of the reader, read from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from verse_tui.tui import modes
from verse_tui.tui.styles import MODALS_CSS

INTRO = (
    "Verse opens where you stopped reading. Move with the keys below or the mouse (click a "
    "verse; shift+click selects a range). ctrl+p opens the command palette: type a reference "
    '("jn 3:16"), a book, a translation or a command.'
)

KEY_NAMES = {
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "slash": "/",
    "colon": ":",
    "question_mark": "?",
    "right": "→",
    "left": "←",
    "up": "↑",
    "down": "↓",
    "shift+down": "shift+↓",
    "shift+up": "shift+↑",
}

Section = tuple[str, list[tuple[str, str]]]


def key_names(binding: Binding) -> str:
    """The keys of a binding as a person reads them: "n, →, ]"."""
    return ", ".join(KEY_NAMES.get(key.strip(), key.strip()) for key in binding.key.split(","))


def rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
    return [
        (key_names(b), b.tooltip or b.description)
        for b in bindings
        if isinstance(b, Binding) and b.description
    ]


def sections() -> list[Section]:
    """What the help screen lists: (title, [(keys, what they do)])."""
    from verse_tui.tui.reading.chapter_view import ChapterView
    from verse_tui.tui.reading.screen import ReadingScreen
    from verse_tui.tui.reading.study import ReaderStudyText
    from verse_tui.tui.reading.study_actions import ReaderStudyActions
    from verse_tui.tui.reading.study_dock import ReaderStudyPanel
    from verse_tui.tui.reading.study_panel import StudyPanel

    return [
        ("Reading", rows(ReadingScreen.BINDINGS) + rows(ReaderStudyText.BINDINGS)),
        ("Verse cursor", rows(ChapterView.BINDINGS)),
        (
            "Study (on the selected verses)",
            rows(ReaderStudyActions.BINDINGS) + rows(ReaderStudyPanel.BINDINGS),
        ),
        ("Study panel (tab: into it)", rows(StudyPanel.BINDINGS)),
        ("Places", [(p.key, f"{p.title}: {p.about}") for p in modes.PLACES]),
        (
            "Everywhere",
            [
                ("ctrl+p", "Command palette: references, books, translations, themes"),
                ("?, f1", "This help"),
                ("ctrl+q", "Quit"),
            ],
        ),
    ]


def section_table(section: Section) -> Table:
    title, entries = section
    table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True)
    table.add_column("keys", style="bold", no_wrap=True, width=22)
    table.add_column("what")
    for keys, what in entries:
        table.add_row(keys, what)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the reader and of the app."""

    CSS_PATH = MODALS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,f1", "dismiss", "Close")
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help-dialog"):
            yield Static("Verse — keys", classes="dialog-title")
            yield Static(Text(INTRO), id="help-intro")
            for section in sections():
                yield Static(section_table(section))
            yield Static("Esc: close", classes="dialog-help")
