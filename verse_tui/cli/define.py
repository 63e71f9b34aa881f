"""`verse define WORD --in REF [--translation CODE] [--save] [--json]`

The meaning of a word as used in one verse. The offline glossary answers first (archaic KJV
words, marked "from the glossary"); with an API key Claude adds the sense in this verse, and
that answer is cached, so asking again costs no request. Without a key the glossary answers
alone and says so. `--save` adds the definition to your word list (`verse words`).
`--json` prints {"word", "reference", "definition", "source"} where source is "glossary",
"lexicon" (only the Strong's entry answered), "ai" or "cache" (plus "part_of_speech",
"sense", "modern_equivalent", "glossary", "notice", and "strongs": [{"number", "lemma",
"transliteration", "gloss"}], the Greek/Hebrew word behind it in the KJV verse).
"""

from __future__ import annotations

import asyncio
import sys

from verse_tui.cli._kit import UsageError, parse_args, print_json, run, str_option
from verse_tui.cli._services import open_services
from verse_tui.domain.chat import StreamFailed, TextDelta, ToolUsed
from verse_tui.domain.study import Definition, DefinitionReady, DefinitionStarted

USAGE = """usage: verse define WORD --in REFERENCE [--translation CODE] [--save] [--json]

What a word means as used in one verse, e.g. verse define charity --in "1 Cor 13:4".

options:
  -i, --in REFERENCE      the verse the word is in (required)
  -t, --translation CODE  the verse's translation (default: your configured one)
  --save                  add the definition to your word list (see `verse words`)
  --json                  print one JSON object
  -h, --help              show this help

Works offline for archaic words; ANTHROPIC_API_KEY adds Claude's sense in this verse."""
OPTIONS = {"-i": "in", "--in": "in", "-t": "translation", "--translation": "translation"}
FLAGS = {"--json": "json", "--save": "save"}


def source_of(definition: Definition) -> str:
    """ "cache" for a stored AI answer, else "ai", "glossary" or "lexicon"."""
    return "cache" if definition.cached and definition.source == "ai" else definition.source


def glossary_lines(definition: Definition) -> list[str]:
    lines = []
    for entry in definition.glossary:
        head = entry.headword + (f" ({entry.part_of_speech})" if entry.part_of_speech else "")
        if entry.form_note:
            head += f" - {entry.form_note}"
        lines.append(head)
        for sense in entry.senses:
            labels = f" [{', '.join(sense.labels)}]" if sense.labels else ""
            lines.append(f"  - {sense.text}{labels}")
        if entry.modern:
            lines.append(f"  modern: {entry.modern}")
    return lines


def lexicon_lines(definition: Definition) -> list[str]:
    """ "In the KJV: G26 ἀγάπη (agápē) love, ..." per Strong's entry behind the word."""
    return [
        f"In the KJV it renders {e.language} {e.number} {e.lemma} ({e.transliteration}): {e.gloss}"
        for e in definition.strongs
    ]


def definition_text(definition: Definition) -> str:
    """The definition as plain text: Claude's sense (if any), the Strong's entries behind the
    word, then the glossary's entries."""
    lines: list[str] = []
    if definition.source == "ai" and definition.ai_text:
        lines.append(definition.ai_text.strip())
    if definition.strongs:
        if lines:
            lines.append("")
        lines += lexicon_lines(definition)
    if definition.glossary:
        if lines:
            lines.append("")
        lines.append("From the glossary (Webster 1913 via GCIDE):")
        lines += glossary_lines(definition)
    return "\n".join(lines)


def definition_json(definition: Definition) -> dict[str, object]:
    return {
        "word": definition.word,
        "reference": definition.reference,
        "definition": definition_text(definition),
        "source": source_of(definition),
        "translation": definition.translation,
        "part_of_speech": definition.part_of_speech,
        "sense": definition.sense,
        "modern_equivalent": definition.modern_equivalent,
        "from_glossary": definition.from_glossary,
        "glossary": [
            {
                "headword": e.headword,
                "part_of_speech": e.part_of_speech,
                "senses": [{"text": s.text, "labels": list(s.labels)} for s in e.senses],
                "modern": e.modern,
                "form_note": e.form_note,
            }
            for e in definition.glossary
        ],
        "model": definition.model,
        "notice": definition.notice,
        "strongs": [
            {
                "number": e.number,
                "lemma": e.lemma,
                "transliteration": e.transliteration,
                "gloss": e.gloss,
            }
            for e in definition.strongs
        ],
    }


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, OPTIONS, FLAGS)
        if not words:
            raise UsageError("say which word, e.g. verse define charity --in '1 Cor 13:4'.")
        if not options.get("in"):
            raise UsageError("say which verse the word is in, with --in REFERENCE.")
        as_json = bool(options.get("json"))
        definition = asyncio.run(_define(" ".join(words), options, as_json))
        if as_json:
            print_json(definition_json(definition))
        else:
            _print_plain(definition)
        return 0

    return run("define", USAGE, body)


async def _define(word: str, options: dict[str, str | bool], as_json: bool) -> Definition:
    from verse_tui.services.definitions import glossary_fallback

    async with open_services() as services:
        result: Definition | None = None
        started: Definition | None = None
        streamed: list[str] = []
        translation = str_option(options, "translation")  # None: the configured one
        events = services.definitions.define_word_stream(word, str(options["in"]), translation)
        async for event in events:
            if isinstance(event, DefinitionStarted):
                started = event.definition
                if not as_json:
                    _print_heading(started, asking=True)
            elif isinstance(event, TextDelta):
                streamed.append(event.text)
                if not as_json:
                    sys.stdout.write(event.text)
                    sys.stdout.flush()
            elif isinstance(event, ToolUsed):  # one quiet line on stderr, as `verse chat`
                midline = not as_json and streamed and not streamed[-1].endswith("\n")
                print(f"{chr(10) if midline else ''}⚙ {event.summary}", file=sys.stderr, flush=True)
            elif isinstance(event, DefinitionReady):
                result = event.definition
            elif isinstance(event, StreamFailed):
                result = glossary_fallback(started, event)
        assert result is not None
        if options.get("save"):
            await services.definitions.save_definition(result)
        return result


def _print_heading(definition: Definition, *, asking: bool) -> None:
    print(f"{definition.word} in {definition.reference} ({definition.translation})")
    if asking:
        print()


def _print_plain(definition: Definition) -> None:
    streamed = definition.source == "ai" and not definition.cached
    if streamed:
        print("\n")
        if definition.strongs:
            print("\n".join(lexicon_lines(definition)))
        if definition.glossary:
            print("From the glossary (Webster 1913 via GCIDE):")
            print("\n".join(glossary_lines(definition)))
    else:
        _print_heading(definition, asking=False)
        print(definition_text(definition))
    if definition.cached and definition.created_at is not None:
        when = definition.created_at.strftime("%Y-%m-%d %H:%M UTC")
        by = f", by {definition.model}" if definition.model else ""
        print(f"\n[saved answer from {when}{by}]", file=sys.stderr)
    if definition.notice:
        print(f"\n{definition.notice}", file=sys.stderr)
