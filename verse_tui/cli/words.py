"""`verse words [--json]` lists your saved definitions; `verse words remove ID` removes one.

Words are saved with `verse define WORD --in REF --save` (or from the reader). `--json` prints
a list of {"id", "word", "reference", "translation", "definition", "source", "saved_at"}.
"""

from __future__ import annotations

from verse_tui.cli._kit import UsageError, parse_args, print_json, run, whole_number
from verse_tui.cli._services import run_with_services
from verse_tui.cli.define import definition_text, source_of
from verse_tui.domain.study import SavedWord
from verse_tui.domain.text import echo, terminal_safe

USAGE = """usage: verse words [--json]
       verse words remove ID

Your saved word definitions, newest first (save one with `verse define WORD --in REF --save`).

options:
  --json      print JSON for scripts
  -h, --help  show this help"""
FLAGS = {"--json": "json"}


def saved_json(saved: SavedWord) -> dict[str, object]:
    definition = saved.definition
    return {
        "id": saved.id,
        "word": definition.word,
        "reference": definition.reference,
        "translation": definition.translation,
        "definition": definition_text(definition),
        "source": source_of(definition),
        "saved_at": saved.saved_at.isoformat(),
    }


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, {}, FLAGS)
        if words[:1] == ["remove"]:
            if len(words) != 2:
                raise UsageError("say which saved word to remove, by its id: verse words remove 3.")
            saved_id = whole_number(words[1], "a saved word's id", hint=" (see `verse words`)")
            run_with_services(lambda services: services.definitions.delete_definition(saved_id))
            print(f"Removed saved word {saved_id}.")
            return 0
        if words:
            raise UsageError(f"unexpected {echo(' '.join(words))}.")
        saved = run_with_services(lambda services: services.definitions.list_definitions())
        if options.get("json"):
            print_json([saved_json(s) for s in saved])
        elif not saved:
            print("No saved words yet. Save one with: verse define WORD --in REF --save")
        else:
            for item in saved:
                d = item.definition
                print(f"[{item.id}] {terminal_safe(d.word)} — {d.reference} ({d.translation})")
                print("    " + definition_text(d).replace("\n", "\n    "))
        return 0

    return run("words", USAGE, body)
