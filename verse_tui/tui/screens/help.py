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

INTRO = (
    "Verse opens where you stopped reading. Move with the keys below or the mouse (click a "
    "verse; shift+click selects a range). ctrl+p opens the command palette: type a reference "
    '("jn 3:16"), a book, a translation or a command.'
)


def _keys(binding: Binding) -> str:
    return binding.key_display or ", ".join(k.strip() for k in binding.key.split(","))


def bindings_table(title: str, bindings: list[Binding]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True)
    table.add_column("keys", style="bold", no_wrap=True, width=22)
    table.add_column("what")
    for binding in bindings:
        if binding.description:
            table.add_row(", ".join(k.strip() for k in binding.key.split(",")), binding.description)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the reader and of the app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,f1", "dismiss", "Close")
    ]

    def compose(self) -> ComposeResult:
        from verse_tui.tui.screens.reading import ReadingScreen
        from verse_tui.tui.widgets.chapter_view import ChapterView

        places = [Binding(p.key, "", f"{p.title}: {p.about}") for p in modes.PLACES]
        app_keys = [
            Binding("ctrl+p", "", "Command palette (references, books, translations, themes)"),
            Binding("?, f1", "", "This help"),
            Binding("q, ctrl+q", "", "Quit"),
        ]
        with VerticalScroll(classes="dialog", id="help-dialog"):
            yield Static("Verse — keys", classes="dialog-title")
            yield Static(Text(INTRO), id="help-intro")
            yield Static(bindings_table("Reading", _as_bindings(ReadingScreen.BINDINGS)))
            yield Static(bindings_table("Verse cursor", _as_bindings(ChapterView.BINDINGS)))
            yield Static(bindings_table("Places", places))
            yield Static(bindings_table("Everywhere", app_keys))
            yield Static("Esc: close", classes="dialog-help")


def _as_bindings(items: list) -> list[Binding]:
    return [item for item in items if isinstance(item, Binding)]
