"""Text fit for a terminal: what every output boundary (CLI, TUI) applies to data it shows.

Titles, replies, device names, notes and echoed input come from users, from Claude or from
another device on a shared database. A terminal obeys control characters in what it is sent:
ESC sequences retitle the window, clear the screen or write the clipboard (OSC 52). So every
C0 and C1 control character (and DEL) is shown as a visible picture instead of being sent:
C0 as its Unicode control picture (ESC -> "␛", BEL -> "␇"), DEL as "␡", and a C1 character
as the ESC form it stands for (U+009B CSI -> "␛["). Lone surrogates (undecodable bytes
smuggled in by `surrogateescape`) become "\ufffd", so printing never fails on them.

Stored text stays as the user typed it; only what is shown is made safe. Both functions
are idempotent (a picture is printable), so a boundary may apply them twice.
Pure standard library (only `re`, which the reference parser already imports).
"""

from __future__ import annotations

import re

ECHO_LIMIT = 60
"""The most characters of a user's input that a message echoes back."""

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_UNSAFE_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code <= 0x9F:
        return "\u241b" + chr(code - 0x40)
    return "\ufffd"


def terminal_safe(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character shown as a visible picture.

    With `multiline`, newlines and tabs stay (a reply, a note) and a CR before a newline is
    dropped; otherwise they too become pictures (a title or a name stays on one line).
    """
    if text.isprintable():
        return text
    if multiline:
        return _UNSAFE_MULTILINE.sub(_picture, text.replace("\r\n", "\n"))
    return _UNSAFE.sub(_picture, text)


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """`text` terminal-safe, on one line, at most `limit` characters (longer ends in "…")."""
    safe = terminal_safe(text)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """User input quoted in a message: `clip(text)` in single quotes, as `repr` would."""
    return f"'{clip(text, limit)}'"
