"""Lists of bookmarks, highlights and notes: Enter jumps to one, d deletes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from verse_tui.bible.references import format_range
from verse_tui.domain.bible import VerseRange
from verse_tui.domain.text import terminal_safe
from verse_tui.domain.user import Bookmark, Highlight, Note
from verse_tui.tui.host import services
from verse_tui.tui.styles import MODALS_CSS
from verse_tui.tui.worker_errors import ServiceCalls

Item = Bookmark | Highlight | Note
KINDS = ("bookmarks", "highlights", "notes")


@dataclass(frozen=True, slots=True)
class Jump:
    """Where to go: a range, read in a translation."""

    range: VerseRange
    translation: str


def item_prompt(item: Item) -> Text:
    text = Text(format_range(item.range), style="bold")
    text.append(f"  {item.translation}", style="dim")
    if isinstance(item, Highlight):
        text.append(f"  {item.color}", style="italic")
    elif isinstance(item, Bookmark) and item.label:
        text.append(f"  {terminal_safe(item.label)}")
    elif isinstance(item, Note):
        first_line = item.text.strip().splitlines()[0] if item.text.strip() else ""
        text.append("\n")
        text.append(terminal_safe(first_line[:200]))
    return text


class MarksScreen(ServiceCalls, ModalScreen[Jump | None]):
    """Returns where to jump, or None when closed."""

    CSS_PATH = MODALS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("d,delete", "delete", "Delete"),
        Binding("right,tab", "switch_tab(1)", "Next list", show=False),
        Binding("left,shift+tab", "switch_tab(-1)", "Previous list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(classes="picker")
        self._items: dict[str, list[Item]] = {kind: [] for kind in KINDS}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="marks-dialog"):
            yield Static("Your bookmarks, highlights and notes", classes="dialog-title")
            with TabbedContent(id="marks-tabs"):
                for kind in KINDS:
                    with TabPane(kind.title(), id=f"tab-{kind}"):
                        yield OptionList(id=f"list-{kind}")
            yield Static(
                "Enter: go there · ←/→: lists · d: delete · Esc: close", classes="dialog-help"
            )

    def on_mount(self) -> None:
        self.load()

    @work(
        exclusive=True,
        group="marks",
        name="list-marks",
        exit_on_error=False,
        description="Listing your marks",
    )
    async def load(self) -> None:
        users = services(self).users
        self._items = {
            "bookmarks": list(await users.list_bookmarks()),
            "highlights": list(await users.list_highlights()),
            "notes": list(await users.list_notes()),
        }
        for kind in KINDS:
            self._fill(kind)
        self._current_list().focus()

    def _fill(self, kind: str) -> None:
        options = self.query_one(f"#list-{kind}", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        items = self._items[kind]
        if not items:
            options.add_option(Option(Text(f"No {kind} yet.", style="dim"), disabled=True))
            return
        options.add_options(Option(item_prompt(item), id=str(i)) for i, item in enumerate(items))
        options.highlighted = min(highlighted or 0, len(items) - 1)

    def _current_kind(self) -> str:
        active = self.query_one(TabbedContent).active or "tab-bookmarks"
        return active.removeprefix("tab-")

    def _current_list(self) -> OptionList:
        return self.query_one(f"#list-{self._current_kind()}", OptionList)

    def action_switch_tab(self, step: int) -> None:
        index = (KINDS.index(self._current_kind()) + step) % len(KINDS)
        self.query_one(TabbedContent).active = f"tab-{KINDS[index]}"

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self._current_list().focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        kind = (event.option_list.id or "").removeprefix("list-")
        if event.option.id is not None:
            item = self._items[kind][int(event.option.id)]
            self.dismiss(Jump(item.range, item.translation))

    def action_delete(self) -> None:
        kind = self._current_kind()
        option = self._current_list().highlighted_option
        if option is not None and option.id is not None:
            self._delete(kind, self._items[kind][int(option.id)])

    @work(group="marks-writes", name="delete-mark", exit_on_error=False, description="Deleting")
    async def _delete(self, kind: str, item: Item) -> None:
        users = services(self).users
        remove = {
            "bookmarks": users.remove_bookmark,
            "highlights": users.remove_highlight,
            "notes": users.delete_note,
        }[kind]
        await remove(item.id)
        self._items[kind].remove(item)
        self._fill(kind)
        self.notify(f"Deleted the {kind[:-1]} on {format_range(item.range)}.", timeout=3)
