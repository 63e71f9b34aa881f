"""`verse devices ...` and `verse whoami`: link this device to an account, approve or deny
other devices, list, rename and unlink them.

Pairing follows RFC 8628: the NEW device runs `verse devices link` and shows a code; a device
already in the account runs `verse devices approve CODE`, sees who asks and confirms. The new
device waits, showing the outcome (or returns at once with `--no-wait`; `--status` reports
later). `--json` prints JSON for scripts (one object per line while `link` waits: the code,
then the outcome); questions and progress then go to stderr.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from verse_tui.cli._guard import EXIT_INTERRUPTED
from verse_tui.cli._kit import UsageError, emit, parse_args, print_json, run, whole_number
from verse_tui.cli._services import run_with_services
from verse_tui.domain.devices import (
    AccountSummary,
    Device,
    LinkCode,
    LinkOutcome,
    LinkRequest,
    LinkRequestStatus,
    LinkStatus,
)
from verse_tui.domain.text import echo, terminal_safe

if TYPE_CHECKING:
    from verse_tui.services.device_link import DeviceLinkService

USAGE = """usage: verse devices link [--no-wait | --status] [--json]
       verse devices approve CODE [--yes] [--json]
       verse devices deny CODE [--json]
       verse devices list [--json]
       verse devices rename ID NAME [--json]
       verse devices unlink ID [--yes] [--json]

Share one account (bookmarks, notes, chats, ...) between devices that use the same database.

commands:
  link              on the NEW device: show a code, then wait until it is approved
  approve CODE      on a linked device: see who asks with CODE, and let it in
  deny CODE         on a linked device: refuse the device asking with CODE
  list              the devices of this account
  rename ID NAME    give a device a new name
  unlink ID         move a device out of this account (it keeps an empty account)

options:
  --no-wait         link: print the code and return at once
  --status          link: report what became of this device's latest request
  --yes             approve/unlink: do not ask for confirmation
  --json            print JSON for scripts
  -h, --help        show this help"""
WHOAMI_USAGE = """usage: verse whoami [--json]

This device (id and name), its account and how many devices share that account.

options:
  --json            print JSON for scripts
  -h, --help        show this help"""
FLAGS = {"--json": "json", "--no-wait": "no_wait", "--status": "status", "--yes": "yes"}
POLL_SECONDS = 1.0
T = TypeVar("T")


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, {}, FLAGS)
        if not words:
            raise UsageError("say what to do: link, approve, deny, list, rename or unlink.")
        action, rest = words[0], words[1:]
        command = COMMANDS.get(action)
        if command is None:
            raise UsageError(f"unknown action {echo(action)}.")
        return _with_devices(lambda devices: command(devices, rest, options))

    return run("devices", USAGE, body)


def whoami(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, {}, {"--json": "json"})
        if words:
            raise UsageError(f"whoami takes no arguments, not {echo(' '.join(words))}.")
        summary = _with_devices(lambda devices: devices.account_summary())
        emit(bool(options.get("json")), summary_json(summary), summary_lines(summary))
        return 0

    return run("whoami", WHOAMI_USAGE, body)


Options = dict[str, str | bool]


async def _link(devices: DeviceLinkService, rest: list[str], options: Options) -> int:
    _no_arguments("link", rest)
    as_json = bool(options.get("json"))
    if options.get("status"):
        status = await devices.get_link_status()
        emit(as_json, status_json(status), [status_line(status)])
        return 0
    link = await devices.request_link()
    if as_json:
        print_json_line(code_json(link))
    else:
        print("\n".join(code_lines(link)), flush=True)
    if options.get("no_wait"):
        return 0
    _note(
        "Waiting for approval… (Ctrl-C stops waiting; the code stays valid, and "
        "`verse devices link --status` tells what became of it)",
        as_json,
    )
    status = await _wait(devices, link)
    if as_json:
        print_json_line(status_json(status))
    else:
        print(status_line(status))
    return 0 if status.status is LinkStatus.APPROVED else 1


async def _wait(devices: DeviceLinkService, link: LinkCode) -> LinkRequestStatus:
    while True:
        status = await devices.get_link_status(link.request_id)
        if status.status is not LinkStatus.PENDING:
            return status
        await asyncio.sleep(POLL_SECONDS)


async def _approve(devices: DeviceLinkService, rest: list[str], options: Options) -> int:
    code = _code(rest)
    as_json = bool(options.get("json"))
    asking = await devices.find_link_request(code)
    _note("\n".join(asking_lines(asking)), as_json)
    question = f"Let {echo(asking.device_name)} into this account? [y/N] "
    if not options.get("yes") and not await _confirm(question, as_json):
        _note("Not approved. The code stays valid until it expires.", as_json)
        return 1
    outcome = await devices.approve_link(code)
    _print_outcome(
        outcome, as_json, f"Approved: {echo(outcome.device.name)} now shares this account."
    )
    return 0


async def _deny(devices: DeviceLinkService, rest: list[str], options: Options) -> int:
    outcome = await devices.deny_link(_code(rest))
    denied = f"Denied: {echo(outcome.device.name)} will not join this account."
    _print_outcome(outcome, bool(options.get("json")), denied)
    return 0


async def _list(devices: DeviceLinkService, rest: list[str], options: Options) -> int:
    _no_arguments("list", rest)
    listed = await devices.list_devices()
    emit(
        bool(options.get("json")),
        [device_json(d) for d in listed],
        [device_line(d) for d in listed],
    )
    return 0


async def _rename(devices: DeviceLinkService, rest: list[str], options: Options) -> int:
    if len(rest) < 2:
        raise UsageError("rename needs a device ID and a new name.")
    device = await devices.rename_device(_device_id(rest[0]), " ".join(rest[1:]))
    emit(
        bool(options.get("json")),
        device_json(device),
        [f"Renamed device {device.id} to {echo(device.name)}."],
    )
    return 0


async def _unlink(devices: DeviceLinkService, rest: list[str], options: Options) -> int:
    if len(rest) != 1:
        raise UsageError("unlink needs one device ID (see `verse devices list`).")
    as_json = bool(options.get("json"))
    target = await devices.get_device(_device_id(rest[0]))
    who = "this device" if target.is_current else echo(target.name)
    question = (
        f"Unlink {who}? It loses this account's bookmarks, notes and chats at its next "
        "step and starts with an empty account. [y/N] "
    )
    if not options.get("yes") and not await _confirm(question, as_json):
        _note("Nothing changed.", as_json)
        return 1
    device = await devices.unlink_device(target.id)
    emit(as_json, device_json(device), [f"Unlinked {who}: it now has an account of its own."])
    return 0


COMMANDS: dict[str, Callable[[DeviceLinkService, list[str], Options], Awaitable[int]]] = {
    "link": _link,
    "approve": _approve,
    "deny": _deny,
    "list": _list,
    "rename": _rename,
    "unlink": _unlink,
}


def _with_devices(call: Callable[[DeviceLinkService], Awaitable[T]]) -> T:
    try:
        return run_with_services(lambda services: call(services.devices))
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None


async def _confirm(question: str, to_stderr: bool) -> bool:
    stream = sys.stderr if to_stderr else sys.stdout
    print(question, end="", file=stream, flush=True)
    answer = await asyncio.to_thread(sys.stdin.readline)
    if not sys.stdin.isatty():  # the answer was not echoed: end the question's line
        print("", file=stream)
    return answer.strip().lower() in ("y", "yes")


def _code(rest: list[str]) -> str:
    if not rest:
        raise UsageError("give the code shown on the new device, like BCDF-GHJK.")
    return " ".join(rest)


def _device_id(text: str) -> int:
    return whole_number(text, "a device ID", hint=" (see `verse devices list`)")


def _no_arguments(action: str, rest: list[str]) -> None:
    if rest:
        raise UsageError(f"{action} takes no arguments, not {echo(' '.join(rest))}.")


def _print_outcome(outcome: LinkOutcome, as_json: bool, sentence: str) -> None:
    """An approval's or a denial's outcome: its status and the device as JSON, or `sentence`."""
    outcome_json = {"status": outcome.status.value, "device": device_json(outcome.device)}
    emit(as_json, outcome_json, [sentence])


def _note(text: str, to_stderr: bool) -> None:
    print(text, file=sys.stderr if to_stderr else sys.stdout, flush=True)


def print_json_line(value: object) -> None:
    print_json(value, indent=None)


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _minutes_left(moment: datetime) -> int:
    return max(0, round((moment - datetime.now(UTC)).total_seconds() / 60))


def code_lines(link: LinkCode) -> list[str]:
    return [
        "On a device already linked to your account, run:",
        "",
        f"    verse devices approve {link.code}",
        "",
        f"Code {link.code} expires at {link.expires_at.astimezone().strftime('%H:%M')} "
        f"(in about {_minutes_left(link.expires_at)} minutes) and works once.",
    ]


def status_line(status: LinkRequestStatus) -> str:
    texts = {
        LinkStatus.PENDING: f"waiting for approval until {_when(status.expires_at)}.",
        LinkStatus.APPROVED: f"approved: this device now uses account {status.account_id}.",
        LinkStatus.DENIED: "denied on the other device. Nothing was shared.",
        LinkStatus.EXPIRED: (
            "expired after too many wrong codes. Run `verse devices link` for a new code."
            if status.failed_attempts >= 5
            else "expired. Run `verse devices link` for a new code."
        ),
    }
    return f"Link request {status.request_id}: {texts[status.status]}"


def asking_lines(asking: LinkRequest) -> list[str]:
    return [
        f"{echo(asking.device_name)} ({terminal_safe(asking.platform)}) asked to join this account "
        f"at {_when(asking.requested_at)}.",
        "Approving shares this account's bookmarks, highlights, notes and chats with it.",
    ]


def device_line(device: Device) -> str:
    this = "  (this device)" if device.is_current else ""
    return (
        f"{device.id:>5}  {terminal_safe(device.name)}  [{terminal_safe(device.platform)}]  "
        f"last seen {_when(device.last_seen_at)}{this}"
    )


def summary_lines(summary: AccountSummary) -> list[str]:
    device = summary.device
    others = summary.device_count - 1
    shared = f"shared with {others} other device{'s' if others != 1 else ''}" if others else ""
    return [
        f"Device {device.id}: {terminal_safe(device.name)} ({terminal_safe(device.platform)})",
        f"Account {summary.account_id}" + (f", {shared}" if shared else ", this device only"),
    ]


def device_json(device: Device) -> dict[str, object]:
    return {
        "id": device.id,
        "name": device.name,
        "platform": device.platform,
        "account_id": device.account_id,
        "created_at": device.created_at.isoformat(),
        "last_seen_at": device.last_seen_at.isoformat(),
        "this_device": device.is_current,
    }


def code_json(link: LinkCode) -> dict[str, object]:
    return {
        "request_id": link.request_id,
        "code": link.code,
        "expires_at": link.expires_at.isoformat(),
    }


def status_json(status: LinkRequestStatus) -> dict[str, object]:
    return {
        "request_id": status.request_id,
        "status": status.status.value,
        "created_at": status.created_at.isoformat(),
        "expires_at": status.expires_at.isoformat(),
        "account_id": status.account_id,
        "failed_attempts": status.failed_attempts,
    }


def summary_json(summary: AccountSummary) -> dict[str, object]:
    return {
        "device": device_json(summary.device),
        "account_id": summary.account_id,
        "device_count": summary.device_count,
    }
