"""Approve a device: type its code, see which device is asking, approve or deny.

Wrong, expired, used and locked codes all get the service's one clear error, in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from verse_tui.domain.devices import LinkRequest
from verse_tui.domain.text import terminal_safe
from verse_tui.errors import VerseError
from verse_tui.tui.host import services
from verse_tui.tui.worker_errors import ServiceCalls

if TYPE_CHECKING:
    from verse_tui.services.device_link import DeviceLinkService


def describe_request(request: LinkRequest) -> str:
    asked = request.requested_at.astimezone().strftime("%H:%M")
    until = request.expires_at.astimezone().strftime("%H:%M")
    return (
        f"“{terminal_safe(request.device_name)}” ({terminal_safe(request.platform)}) "
        f"asked to join your account at {asked}; "
        f"the code works until {until}. Approve it only if it is your device: it will see "
        "your chats, notes and bookmarks."
    )


class ApproveDeviceModal(ServiceCalls, ModalScreen[bool]):
    """Returns True when a device was approved."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self) -> None:
        super().__init__(classes="picker")
        self.request: LinkRequest | None = None
        self.code = ""
        self.approved = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="approve-dialog"):
            yield Static("Approve a device", classes="dialog-title")
            yield Static("Type the code the new device shows (XXXX-XXXX):", markup=False)
            yield Input(placeholder="e.g. KFQT-BNXM", id="approve-code", max_length=12)
            yield Static("", id="approve-message", markup=False)
            with Horizontal(classes="dialog-buttons", id="approve-buttons"):
                yield Button("Approve", id="approve", variant="success")
                yield Button("Deny", id="deny", variant="error")
            yield Static("Enter: look up the code · Esc: close", classes="dialog-help")

    @property
    def devices(self) -> DeviceLinkService:
        return services(self).devices

    def on_mount(self) -> None:
        self.query_one("#approve-buttons").display = False
        self.query_one(Input).focus()

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#approve-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    @on(Input.Submitted, "#approve-code")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.code = event.value
        self._look_up(event.value)

    @work(
        exclusive=True,
        group="approve",
        name="find-link-request",
        exit_on_error=False,
        description="Looking up the code",
    )
    async def _look_up(self, code: str) -> None:
        try:
            self.request = await self.devices.find_link_request(code)
        except VerseError as error:
            self.request = None
            self.query_one("#approve-buttons").display = False
            self._say(error.message, error=True)
            return
        self._say(describe_request(self.request))
        self.query_one("#approve-buttons").display = True
        self.query_one("#approve", Button).focus()

    @on(Button.Pressed, "#approve")
    def _approve(self) -> None:
        self._decide(approve=True)

    @on(Button.Pressed, "#deny")
    def _deny(self) -> None:
        self._decide(approve=False)

    @work(
        exclusive=True,
        group="approve",
        name="decide-link",
        exit_on_error=False,
        description="Answering the device",
    )
    async def _decide(self, *, approve: bool) -> None:
        name = self.request.device_name if self.request else "The device"
        try:
            if approve:
                await self.devices.approve_link(self.code)
            else:
                await self.devices.deny_link(self.code)
        except VerseError as error:
            self._say(error.message, error=True)
            return
        finally:
            self.query_one("#approve-buttons").display = False
        self.approved = self.approved or approve
        verdict = "now shares this account" if approve else "was turned away"
        self._say(f"Done: “{name}” {verdict}.")
        self.query_one(Input).value = ""
        self.query_one(Input).focus()

    def action_close(self) -> None:
        self.dismiss(self.approved)
