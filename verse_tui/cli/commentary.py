"""`verse commentary REF [--source mhcc|tdavid] [--json]`: the commentary on a passage.

Matthew Henry's Concise Commentary (whole Bible, the default) or Spurgeon's Treasury of David
(Psalms), offline. `--json` prints {"reference", "source", "sections": [{"covers", "text"}]}
("covers" is the range the section comments on, e.g. "Romans 8:28–31"; each section also
has its "heading").
"""

from __future__ import annotations

from verse_tui.bible.references import parse_reference
from verse_tui.cli._kit import UsageError, emit, parse_args, run
from verse_tui.cli.strongs import open_study
from verse_tui.domain.lexicon import Commentary

USAGE = """usage: verse commentary REFERENCE [--source mhcc|tdavid] [--json]

Show the commentary sections that cover a passage, e.g. verse commentary "Rom 8:28",
verse commentary "Ps 23" --source tdavid.

options:
  -s, --source S  mhcc (Matthew Henry's Concise Commentary, default) or tdavid
                  (Spurgeon's Treasury of David, Psalms only)
  --json          print JSON for scripts
  -h, --help      show this help"""
OPTIONS = {"-s": "source", "--source": "source"}
FLAGS = {"--json": "json"}


def commentary_json(commentary: Commentary) -> dict[str, object]:
    sections = [
        {"covers": s.reference, "heading": s.heading, "text": s.text} for s in commentary.sections
    ]
    return {"reference": commentary.reference, "source": commentary.source, "sections": sections}


def commentary_lines(commentary: Commentary) -> list[str]:
    head = f"{commentary.title} on {commentary.reference}"
    if not commentary.sections:
        return [f"{head}: no section covers this passage."]
    lines = [head]
    for section in commentary.sections:
        lines += ["", f"== {section.reference}  {section.heading}", section.text]
    return lines


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, OPTIONS, FLAGS)
        if not words:
            raise UsageError('say which passage, e.g. "Rom 8:28".')
        reference = parse_reference(" ".join(words))
        source = str(options.get("source") or "mhcc")
        commentary = open_study().commentary(reference, source)
        emit(bool(options.get("json")), commentary_json(commentary), commentary_lines(commentary))
        return 0

    return run("commentary", USAGE, body)
