"""`verse read REF [--translation CODE] [--json]`: print a passage.

Plain text: the reference and translation, then one verse per line ("16 For God so loved...");
a verse the translation leaves out is shown as omitted. `--json` prints
{"reference", "translation", "verses": [{"osis", "book", "chapter", "verse", "text"}]} with the
text free of the supplied-word brackets ("omitted": true marks a left-out verse, and "note"
appears when verses were found elsewhere in this translation's numbering).
"""

from __future__ import annotations

from verse_tui.bible import canon
from verse_tui.bible.references import parse_reference
from verse_tui.cli._bible import UsageError, open_bible, parse_args, print_json, run
from verse_tui.domain.bible import Passage

USAGE = """usage: verse read REFERENCE [--translation CODE] [--json]

Print a Bible passage, e.g. verse read "John 3:16", "Ps 23", "1 Cor 13:4-7".

options:
  -t, --translation CODE  translation code (see `verse translations`)
  --json                  print JSON for scripts
  -h, --help              show this help"""
OPTIONS = {"-t": "translation", "--translation": "translation"}
FLAGS = {"--json": "json"}


def passage_json(passage: Passage) -> dict[str, object]:
    verses = []
    for v in passage.verses:
        item: dict[str, object] = {
            "osis": v.osis,
            "book": canon.book(v.ref.book).name,
            "chapter": v.ref.chapter,
            "verse": v.ref.verse,
            "text": v.plain_text,
        }
        if v.omitted:
            item["omitted"] = True
        verses.append(item)
    result: dict[str, object] = {
        "reference": passage.reference,
        "translation": passage.translation,
        "verses": verses,
    }
    if passage.note:
        result["note"] = passage.note
    return result


def passage_lines(passage: Passage) -> list[str]:
    """The header, an optional note, then "N text" per verse; a new chapter gets a heading
    (so does the first verse when the note says the verses stand elsewhere)."""
    lines = [f"{passage.reference} ({passage.translation})"]
    chapter: tuple[int, int] | None = None
    if passage.note:
        lines.append(f"Note: {passage.note}")
        chapter = (0, 0)
    for v in passage.verses:
        if chapter is not None and (v.ref.book, v.ref.chapter) != chapter:
            lines.append(f"{canon.book(v.ref.book).name} {v.ref.chapter}")
        chapter = (v.ref.book, v.ref.chapter)
        text = f"(omitted in the {passage.translation})" if v.omitted else v.plain_text
        lines.append(f"{v.ref.verse} {text}")
    return lines


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, OPTIONS, FLAGS)
        if not words:
            raise UsageError("say which passage to read.")
        reference = parse_reference(" ".join(words))
        client, settings = open_bible()
        passage = client.passage(str(options.get("translation") or settings.translation), reference)
        if options.get("json"):
            print_json(passage_json(passage))
        else:
            print("\n".join(passage_lines(passage)))
        return 0

    return run("read", USAGE, body)
