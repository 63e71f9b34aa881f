"""Devices: this device and its account, linking and approving, rename and unlink."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from verse_tui.domain.devices import Device
from verse_tui.domain.text import terminal_safe
from verse_tui.errors import VerseError
from verse_tui.tui.host import services
from verse_tui.tui.worker_errors import ServiceCalls

if TYPE_CHECKING:
    from verse_tui.services.device_link import DeviceLinkService


def device_label(device: Device) -> Content:
    seen = device.last_seen_at.astimezone().strftime("%Y-%m-%d %H:%M")
    mark = "● " if device.is_current else "  "
    this = "  (this device)" if device.is_current else ""
    return Content.assemble(
        (mark, "bold"),
        (terminal_safe(device.name), "bold"),
        (this, "italic"),
        "\n",
        (f"  {terminal_safe(device.platform)} · last seen {seen} · #{device.id}", "dim"),
    )


class DevicesScreen(ServiceCalls, Screen[None]):
    """Who shares this account; pair a new device; rename or unlink one."""

    CSS_PATH = "../styles/devices.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("l", "link", "Link this device"),
        Binding("a", "approve", "Approve a device"),
        Binding("r", "rename", "Rename"),
        Binding("u", "unlink", "Unlink"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.devices_shown: tuple[Device, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="devices-body"):
            yield Static("Devices", classes="dialog-title")
            yield Static("Loading…", id="account", markup=False)
            with Horizontal(id="device-actions"):
                yield Button("Link this device to an account (l)", id="link", variant="primary")
                yield Button("Approve a device (a)", id="approve")
            yield OptionList(id="device-list")
            yield Static("", id="devices-message", markup=False)
        yield Footer(compact=True)

    @property
    def service(self) -> DeviceLinkService:
        return services(self).devices

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.refresh_devices()

    @work(
        exclusive=True,
        group="devices",
        name="list-devices",
        exit_on_error=False,
        description="Loading your devices",
    )
    async def refresh_devices(self) -> None:
        summary = await self.service.account_summary()
        self.devices_shown = await self.service.list_devices()
        others = summary.device_count - 1
        shared = (
            f"shared with {others} other device{'s' if others != 1 else ''}"
            if others
            else "on this device only"
        )
        self.query_one("#account", Static).update(
            f"This device: {terminal_safe(summary.device.name)} "
            f"({terminal_safe(summary.device.platform)}) · "
            f"account #{summary.account_id}, {shared}."
        )
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(Option(device_label(d), id=str(d.id)) for d in self.devices_shown)
        if self.devices_shown:
            options.highlighted = min(highlighted or 0, len(self.devices_shown) - 1)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#devices-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    def _highlighted(self) -> Device | None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.devices_shown):
            return None
        return self.devices_shown[index]

    @on(Button.Pressed, "#link")
    def action_link(self) -> None:
        from verse_tui.tui.devices.link_modal import LinkDeviceModal

        self.app.push_screen(LinkDeviceModal(), self._refresh_after)

    @on(Button.Pressed, "#approve")
    def action_approve(self) -> None:
        from verse_tui.tui.devices.approve_modal import ApproveDeviceModal

        self.app.push_screen(ApproveDeviceModal(), self._refresh_after)

    def _refresh_after(self, _changed: bool | None) -> None:
        """When a link or approval dialog closes, whatever it did: show the devices now."""
        self.refresh_devices()

    def action_rename(self) -> None:
        from verse_tui.tui.dialogs import rename_then

        device = self._highlighted()
        if device is None:
            return
        rename_then(
            self.app,
            f"Rename “{device.name}”",
            device.name,
            lambda name: self._rename(device.id, name),
        )

    @work(
        group="device-writes",
        name="rename-device",
        exit_on_error=False,
        description="Renaming the device",
    )
    async def _rename(self, device_id: int, name: str) -> None:
        try:
            await self.service.rename_device(device_id, name)
        except VerseError as error:
            self._say(error.message, error=True)
            return
        self._say("")
        self.refresh_devices()

    def action_unlink(self) -> None:
        from verse_tui.tui.dialogs import confirm_then

        device = self._highlighted()
        if device is None:
            return
        who = "this device" if device.is_current else f"“{device.name}”"
        question = (
            f"Unlink {who}? It keeps working with a new, empty account of its own; the chats, "
            "notes and bookmarks stay with this account."
        )
        confirm_then(
            self.app, "Unlink a device", question, lambda: self._unlink(device.id), "Unlink"
        )

    @work(
        group="device-writes",
        name="unlink-device",
        exit_on_error=False,
        description="Unlinking the device",
    )
    async def _unlink(self, device_id: int) -> None:
        try:
            device = await self.service.unlink_device(device_id)
        except VerseError as error:
            self._say(error.message, error=True)
            return
        self._say(f"Unlinked “{device.name}”.")
        self.refresh_devices()
