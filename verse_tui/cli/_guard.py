"""What stands between every command and the terminal: safe output, clean argv, no traceback.

- `safe_output()`: while a command runs, everything it prints on stdout and stderr passes
  through `terminal_safe` (newlines and tabs kept), so a title, a reply, a device name or an
  echoed argument can never send an escape sequence to the terminal, whichever code path
  printed it.
- `undecodable_argument(args)`: an argument the terminal's encoding could not decode (Python
  keeps such bytes as lone surrogates) is refused before it reaches the database.
- `report_crash(exc)`: an unexpected exception becomes two lines on stderr and a private log
  file holding the traceback (set VERSE_DEBUG=1 to see it on the terminal instead). The
  message names only the exception's type: its text may hold data, never shown unasked.

Standard library only, and `traceback` only when a crash happens: `verse read` imports this.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from verse_tui.domain.text import echo, terminal_safe

TYPE_CHECKING = False  # `typing` costs ~6 ms to import; type checkers treat this as True
if TYPE_CHECKING:
    from typing import TextIO

EXIT_INTERRUPTED = 130  # what a shell reports for a command stopped with Ctrl-C (128 + SIGINT)
CRASH_LOG_NAME = "crash.log"
DEBUG_ENV = "VERSE_DEBUG"


class SafeStream:
    """A text stream that shows control characters as visible pictures before writing."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        return self.inner.write(terminal_safe(text, multiline=True))

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> object:  # flush, isatty, fileno, encoding, ...
        return getattr(self.inner, name)


@contextmanager
def safe_output() -> Iterator[None]:
    """Route stdout and stderr through `SafeStream` until the block ends."""
    saved = sys.stdout, sys.stderr
    sys.stdout = SafeStream(sys.stdout)
    sys.stderr = SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def undecodable_argument(args: list[str]) -> str | None:
    """A message for the first argument holding bytes the terminal's encoding cannot
    decode, or None when every argument is proper text."""
    for position, arg in enumerate(args, start=1):
        if arg.isascii():
            continue
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return (
                f"argument {position} ({echo(arg)}) holds bytes that are not valid text in "
                "your terminal's encoding (\ufffd marks them). Retype it, or set a UTF-8 "
                "locale (e.g. LANG=C.UTF-8)."
            )
    return None


def quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null, so the interpreter's final flush
    does not fail again (as the Python docs advise for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind stdout (tests): nothing to flush
        pass


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


def report_crash(exc: BaseException) -> int:
    """Write the traceback to a private log, say where on stderr, and return exit code 1."""
    where = _write_crash_log(exc)
    kind = type(exc).__name__
    saved = f"The details are in {where}" if where else "The details could not be saved"
    print(
        f"verse: something went wrong inside Verse ({kind}); this is a bug, not your input.\n"
        f"{saved}; run again with {DEBUG_ENV}=1 to see them here, and please report it.",
        file=sys.stderr,
    )
    return 1


def _write_crash_log(exc: BaseException) -> Path | None:
    """The traceback in `$VERSE_HOME/crash.log` (mode 0600), else in a fresh private file
    in the temporary folder; None if neither can be written."""
    import tempfile
    import traceback

    from verse_tui.config import default_home

    text = "".join(traceback.format_exception(exc))
    try:
        home = default_home()
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = home / CRASH_LOG_NAME
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600)
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        try:
            fd, name = tempfile.mkstemp(prefix="verse-crash-", suffix=".log")
        except OSError:
            return None
        path = Path(name)
    if hasattr(os, "fchmod"):  # an older crash.log may have been created with looser modes
        os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(text)
    return path


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
