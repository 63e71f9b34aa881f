"""`verse translations [--json]`: list the installed translations (* marks the default)."""

from __future__ import annotations

from verse_tui.cli._kit import UsageError, open_bible, parse_args, print_json, run
from verse_tui.domain.text import echo

USAGE = """usage: verse translations [--json]

List the installed Bible translations; * marks the default (VERSE_TRANSLATION).

options:
  --json      print JSON for scripts
  -h, --help  show this help"""


def main(argv: list[str]) -> int:
    def body() -> int:
        extra, options = parse_args(argv, {}, {"--json": "json"})
        if extra:
            raise UsageError(f"unexpected argument {echo(extra[0])}.")
        client, settings = open_bible()
        translations = client.translations()
        if options.get("json"):
            print_json(
                [
                    {"code": t.code, "name": t.name, "language": t.language, "license": t.license}
                    for t in translations
                ]
            )
            return 0
        for t in translations:
            mark = "*" if t.code == settings.translation else " "
            print(f"{mark} {t.code:<5} {t.name} — {t.license}")
        return 0

    return run("translations", USAGE, body)
