"""`verse translations [--json]`: list the installed translations (* marks the default)."""

from __future__ import annotations

import argparse

from verse_tui.cli._bible import open_bible, print_json, run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="verse translations", description="List the installed Bible translations."
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    args = parser.parse_args(argv)

    def body() -> int:
        client, settings = open_bible()
        translations = client.translations()
        if args.json:
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

    return run("translations", body)
