"""Link this device to an account: the pairing code, large, a live countdown, a live status.

The status is polled once a second in a named worker; it turns to "Linked to ..." as soon as
another device approves the code, or to Denied / Expired with a key for a new code.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static

from verse_tui.domain.devices import LinkCode, LinkStatus
from verse_tui.errors import VerseError
from verse_tui.tui.host import services
from verse_tui.tui.worker_errors import ServiceCalls

if TYPE_CHECKING:
    from verse_tui.services.device_link import DeviceLinkService

POLL_SECONDS = 1.0
HOW = (
    "On a device already linked to your account, open Devices (D in the reader) and choose "
    "“Approve a device”, or run `verse devices approve CODE`."
)


def spaced(code: str) -> str:
    """ "KFQT-BNXM" -> "K F Q T  -  B N X M" (easier to read aloud and type)."""
    left, _, right = code.partition("-")
    return f"{' '.join(left)}  -  {' '.join(right)}"


def countdown(expires_at: datetime, now: datetime) -> str:
    left = max(0, int((expires_at - now).total_seconds()))
    return f"Expires in {left // 60}:{left % 60:02d}"


class LinkDeviceModal(ServiceCalls, ModalScreen[bool]):
    """Shows a pairing code until it is approved, denied or expires; returns True if linked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("n", "new_code", "New code"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="picker")
        self.link: LinkCode | None = None
        self.status: LinkStatus | None = None
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="link-dialog"):
            yield Static("Link this device to an account", classes="dialog-title")
            yield Static("Asking for a code…", id="link-code", markup=False)
            yield Static("", id="link-countdown", markup=False)
            yield Static("", id="link-status", markup=False)
            yield Static(HOW, id="link-how", classes="dialog-help", markup=False)
            yield Static("n: new code · Esc: close", classes="dialog-help")

    @property
    def devices(self) -> DeviceLinkService:
        return services(self).devices

    def on_mount(self) -> None:
        self._ticker = self.set_interval(POLL_SECONDS, self._tick, name="link-ticker")
        self.action_new_code()

    def action_new_code(self) -> None:
        if self.status is LinkStatus.APPROVED:
            return
        self.link, self.status = None, None
        self._request()

    @work(
        exclusive=True,
        group="link",
        name="request-link",
        exit_on_error=False,
        description="Asking for a pairing code",
    )
    async def _request(self) -> None:
        try:
            link = await self.devices.request_link()
        except VerseError as error:
            self.query_one("#link-code", Static).update("")
            self._show_status(error.message, "-error")
            return
        self.link, self.status = link, LinkStatus.PENDING
        self.query_one("#link-code", Static).update(spaced(link.code))
        self._show_status("Waiting for another device to approve…", "")
        self._tick()

    def _show_status(self, text: str, state: str) -> None:
        status = self.query_one("#link-status", Static)
        status.update(text)
        for name in ("-error", "-linked"):
            status.set_class(name == state, name)

    def _tick(self) -> None:
        if self.link is None or self.status is not LinkStatus.PENDING:
            return
        self.query_one("#link-countdown", Static).update(
            countdown(self.link.expires_at, datetime.now(UTC))
        )
        self._poll(self.link.request_id)

    @work(
        exclusive=True,
        group="link-status",
        name="link-status",
        exit_on_error=False,
        description="Checking the pairing",
    )
    async def _poll(self, request_id: int) -> None:
        state = await self.devices.get_link_status(request_id)
        if self.link is None or state.request_id != self.link.request_id:
            return
        if state.status is LinkStatus.PENDING:
            return
        self.status = state.status
        self.query_one("#link-countdown", Static).update("")
        if state.status is LinkStatus.APPROVED:
            names = [d.name for d in await self.devices.list_devices() if not d.is_current]
            with_ = f" with {', '.join(names)}" if names else ""
            self.query_one("#link-code", Static).update("✓")
            self._show_status(f"Linked to account #{state.account_id}{with_}.", "-linked")
        elif state.status is LinkStatus.DENIED:
            self._show_status("Denied: the other device said no. Press n for a new code.", "-error")
        else:
            why = " after too many wrong tries" if state.failed_attempts >= 5 else ""
            self._show_status(f"Expired{why}. Press n for a new code.", "-error")

    def action_close(self) -> None:
        self.dismiss(self.status is LinkStatus.APPROVED)
