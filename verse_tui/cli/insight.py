"""`verse insight REF [--kind KIND] [--translation CODE] [--regenerate] [--json]`

Prints a study insight on a passage. A stored insight prints at once, with when and by which
model it was generated, and costs no request; otherwise Claude writes it, streamed to stdout
and saved as it arrives (a failure keeps the partial text, prints one sentence on stderr and
exits 1). `--regenerate` asks again and replaces the stored one. `--json` prints one object:
{"reference", "kind", "text", "cached", "model", "created_at"} (plus "status", "translation",
"cross_references" for the cross-references kind, and "error" on failure).
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field

from verse_tui.cli._guard import EXIT_INTERRUPTED
from verse_tui.cli._kit import (
    UsageError,
    parse_args,
    print_json,
    run,
    str_option,
)
from verse_tui.cli._services import open_services
from verse_tui.domain.chat import StreamFailed, TextDelta, ToolUsed
from verse_tui.domain.study import INSIGHT_KINDS, Insight, InsightEvent, InsightReady

KIND_NAMES = ", ".join(k.replace("_", "-") for k in INSIGHT_KINDS)
USAGE = f"""usage: verse insight REFERENCE [--kind KIND] [--translation CODE] [--regenerate]
                     [--json]

A study insight on a passage, written by Claude and saved: asking again shows the saved one.

options:
  -k, --kind KIND         {KIND_NAMES}
                          (default: historical-context)
  -t, --translation CODE  the passage's translation (default: your configured one)
  --regenerate            ask Claude again and replace the saved insight
  --json                  print one JSON object at the end instead of streaming
  -h, --help              show this help

New insights need ANTHROPIC_API_KEY (or api_key in $VERSE_HOME/config.toml, chmod 600)."""
OPTIONS = {"-k": "kind", "--kind": "kind", "-t": "translation", "--translation": "translation"}
FLAGS = {"--json": "json", "--regenerate": "regenerate"}


@dataclass
class Outcome:
    parts: list[str] = field(default_factory=list)
    insight: Insight | None = None
    failed: StreamFailed | None = None
    reference: str = ""
    kind: str = ""


def insight_json(insight: Insight) -> dict[str, object]:
    from verse_tui.services.insights import cited_references

    result: dict[str, object] = {
        "reference": insight.reference,
        "kind": insight.kind.replace("_", "-"),
        "text": insight.text,
        "cached": insight.cached,
        "model": insight.model,
        "created_at": insight.created_at.isoformat(),
        "translation": insight.translation,
        "status": insight.status,
    }
    if insight.kind == "cross_references":
        result["cross_references"] = [c.reference for c in cited_references(insight.text)]
    return result


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, OPTIONS, FLAGS)
        if not words:
            raise UsageError("say which passage, e.g. verse insight 'Romans 8:28-30'.")
        outcome = Outcome()
        as_json = bool(options.get("json"))
        try:
            asyncio.run(_insight(" ".join(words), options, outcome, as_json))
        except KeyboardInterrupt:
            print("\nverse insight: stopped; the partial text is saved.", file=sys.stderr)
            return EXIT_INTERRUPTED
        return _report(outcome, as_json)

    return run("insight", USAGE, body)


async def _insight(
    reference: str, options: dict[str, str | bool], outcome: Outcome, as_json: bool
) -> None:
    from verse_tui.services.insights import parse_kind

    kind = parse_kind(str(options.get("kind") or "historical-context"))
    async with open_services() as services:
        translation = str_option(options, "translation")  # None: the configured one
        outcome.reference, outcome.kind = reference, kind
        events = services.insights.generate_stream(
            reference, kind, translation, regenerate=bool(options.get("regenerate"))
        )
        async for event in events:
            _record(event, outcome, as_json)


def _record(event: InsightEvent, outcome: Outcome, as_json: bool) -> None:
    if isinstance(event, TextDelta):
        outcome.parts.append(event.text)
        if not as_json:
            sys.stdout.write(event.text)
            sys.stdout.flush()
    elif isinstance(event, ToolUsed):
        midline = not as_json and outcome.parts and not outcome.parts[-1].endswith("\n")
        print(f"{chr(10) if midline else ''}⚙ {event.summary}", file=sys.stderr, flush=True)
    elif isinstance(event, InsightReady):
        outcome.insight = event.insight
    elif isinstance(event, StreamFailed):
        outcome.failed = event


def _report(outcome: Outcome, as_json: bool) -> int:
    insight, failed = outcome.insight, outcome.failed
    if as_json:
        if insight is not None:
            print_json(insight_json(insight))
        else:
            print_json(_failure_json(outcome))
    elif insight is not None:
        if insight.cached:
            print(f"{insight.title}: {insight.reference} ({insight.translation})\n")
            print(insight.text)
        elif outcome.parts:
            print()
        print(f"\n[{insight.provenance}]", file=sys.stderr)
    if failed is not None:
        if outcome.parts and not as_json:
            print()
        print(f"verse insight: {failed.message}", file=sys.stderr)
        return 1
    return 0


def _failure_json(outcome: Outcome) -> dict[str, object]:
    failed = outcome.failed
    return {
        "reference": outcome.reference,
        "kind": outcome.kind.replace("_", "-"),
        "text": "".join(outcome.parts),
        "cached": False,
        "model": None,
        "created_at": None,
        "status": "failed",
        "error": failed.message if failed else "no insight was produced",
    }
