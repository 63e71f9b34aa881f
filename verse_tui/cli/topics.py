"""`verse topics REF [--json]` and `verse topic NAME [--json]`: Nave's Topical Bible, offline.

`verse topics` lists the topics that cite a passage ({"reference", "topics": [names]});
`verse topic` shows one topic and the verses it cites ({"topic", "verses": [osisRefs],
"see_also", "text"}; a chapter reference is "Ps.23", a range "Rev.9.16-Rev.9.18").
"""

from __future__ import annotations

from verse_tui.bible.references import parse_reference
from verse_tui.cli._kit import UsageError, emit, parse_args, run
from verse_tui.cli.strongs import open_study
from verse_tui.domain.lexicon import Topic, VerseTopics

USAGE = """usage: verse topics REFERENCE [--json]

List the Nave's Topical Bible topics that cite a passage, e.g. verse topics "John 3:16".

options:
  --json      print JSON for scripts
  -h, --help  show this help"""
TOPIC_USAGE = """usage: verse topic NAME [--json]

Show a Nave's Topical Bible topic and the verses it cites, e.g. verse topic faith.

options:
  --json      print JSON for scripts
  -h, --help  show this help"""
FLAGS = {"--json": "json"}


def topics_json(found: VerseTopics) -> dict[str, object]:
    return {"reference": found.reference, "topics": list(found.topics)}


def topics_lines(found: VerseTopics) -> list[str]:
    if not found.topics:
        return [f"No Nave's topic cites {found.reference}."]
    return [f"Nave's topics citing {found.reference}:", *(f"  {t}" for t in found.topics)]


def topic_json(topic: Topic) -> dict[str, object]:
    return {
        "topic": topic.name,
        "verses": list(topic.refs),
        "see_also": list(topic.see_also),
        "text": topic.text,
    }


def topic_lines(topic: Topic) -> list[str]:
    lines = [topic.name, "", topic.text]
    if topic.see_also:
        lines += ["", "See also: " + ", ".join(topic.see_also)]
    return lines


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, {}, FLAGS)
        if not words:
            raise UsageError('say which passage, e.g. "John 3:16".')
        found = open_study().topics_of(parse_reference(" ".join(words)))
        emit(bool(options.get("json")), topics_json(found), topics_lines(found))
        return 0

    return run("topics", USAGE, body)


def topic_main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, {}, FLAGS)
        if not words:
            raise UsageError("say which topic, e.g. faith.")
        topic = open_study().topic(" ".join(words))
        emit(bool(options.get("json")), topic_json(topic), topic_lines(topic))
        return 0

    return run("topic", TOPIC_USAGE, body)
