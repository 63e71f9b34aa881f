"""Entry point for `verse` and `python -m verse_tui`.

With a sub-command, run that command (see `verse_tui.cli`); with none, open the Textual app.
Dispatch happens before any heavy import so that `verse read` stays fast.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from verse_tui.cli import dispatch

    return dispatch(args)


if __name__ == "__main__":
    sys.exit(main())
