"""The Devices screen with Pilot: pairing shows "Linked" the moment a second device (a second
service instance on the same database) approves the code; approve errors; rename; unlink."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.conftest import make_settings
from tests.support.tui import SIZE, settle, study_app, until
from verse_tui.app_factory import build_services
from verse_tui.domain.devices import LinkStatus
from verse_tui.tui.devices.approve_modal import ApproveDeviceModal
from verse_tui.tui.devices.link_modal import LinkDeviceModal
from verse_tui.tui.devices.screen import DevicesScreen


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def second_device(settings, tmp_path):
    home = tmp_path / "second-home"
    home.mkdir()
    return await build_services(make_settings(home, settings.database_url))


async def open_devices(pilot) -> DevicesScreen:
    await settle(pilot)
    await pilot.press("D")
    await until(pilot, lambda: isinstance(pilot.app.screen, DevicesScreen), what="devices")
    await settle(pilot)
    return pilot.app.screen


async def test_the_code_turns_to_linked_when_another_device_approves(settings, tmp_path):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await open_devices(pilot)
        await pilot.press("l")
        await until(
            pilot,
            lambda: isinstance(app.screen, LinkDeviceModal) and app.screen.link is not None,
            what="a code",
        )
        modal = app.screen
        code = modal.link.code
        assert code.replace("-", "").replace(" ", "") in text_of(modal, "#link-code").replace(
            " ", ""
        ).replace("-", "")
        assert text_of(modal, "#link-countdown").startswith("Expires in ")
        assert "Waiting" in text_of(modal, "#link-status")

        desktop = await second_device(settings, tmp_path)
        try:
            await desktop.devices.approve_link(code.lower())
            await until(pilot, lambda: modal.status is LinkStatus.APPROVED, what="approval")
            await pilot.pause()
            status = text_of(modal, "#link-status")
            summary = await desktop.devices.account_summary()
            assert status.startswith(f"Linked to account #{summary.account_id}")
            assert summary.device.name in status
        finally:
            await desktop.aclose()
        await pilot.press("escape")
        await settle(pilot)
        listed = app.screen.devices_shown
        assert len(listed) == 2 and sum(d.is_current for d in listed) == 1


async def test_approving_shows_who_asks_and_one_error_for_bad_codes(settings, tmp_path):
    app = study_app(settings)
    laptop = await second_device(settings, tmp_path)
    try:
        link = await laptop.devices.request_link()
        async with app.run_test(size=SIZE) as pilot:
            await open_devices(pilot)
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, ApproveDeviceModal))
            modal = app.screen
            modal.query_one(Input).value = "BBBB-BBBB"
            await pilot.press("enter")
            await settle(pilot)
            assert modal.query_one("#approve-message").has_class("-error")
            assert "code" in text_of(modal, "#approve-message").lower()
            modal.query_one(Input).value = link.code
            await pilot.press("enter")
            await settle(pilot)
            me = await laptop.devices.get_device()
            assert f"“{me.name}”" in text_of(modal, "#approve-message")
            await pilot.click("#approve")
            await settle(pilot)
            assert "now shares this account" in text_of(modal, "#approve-message")
            state = await laptop.devices.get_link_status(link.request_id)
            assert state.status is LinkStatus.APPROVED
            await pilot.press("escape")
            await settle(pilot)
            screen = app.screen
            assert len(screen.devices_shown) == 2

            # unlink the laptop again, after confirming
            index = next(i for i, d in enumerate(screen.devices_shown) if not d.is_current)
            screen.query_one("#device-list").highlighted = index
            await pilot.press("u")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
            assert len(screen.devices_shown) == 1 and screen.devices_shown[0].is_current
    finally:
        await laptop.aclose()


async def test_rename_this_device(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_devices(pilot)
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(Input).value = "Study desk"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.devices_shown[0].name == "Study desk"
        assert "Study desk" in text_of(screen, "#account")
