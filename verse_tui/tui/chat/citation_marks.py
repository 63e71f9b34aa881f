"""Citation marks inside a reply's rendered blocks, and the words each mark stands for.

A reply's text is never changed: every `ReplyBlock` keeps `raw`, exactly as Claude wrote it
(what `ChatLog.reply_text` returns, and what the tests compare byte for byte with the saved
text). The marks are decoration on what a block *renders*: right after each checked
quotation or reference comes ` [✓](cite:<message id>.<n>)`, a Markdown link that Rich draws
as a bare ✓ (≈, ✗), so hovering it can show the citation (a tooltip) and clicking it can
list them all. Pure Python: no Textual, no services.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from verse_tui.bible.canon import range_of_osis
from verse_tui.bible.references import format_range
from verse_tui.domain.citations import Citation
from verse_tui.domain.text import clip, terminal_safe

CITE_SCHEME = "cite:"
TEXT_LIMIT = 600  # characters of a verse's real text shown for one citation
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?\1")
_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")
_CLOSERS = "*_)"  # emphasis and a closing bracket right after a citation: the mark follows
_VERDICT_WORDS = {
    "verified": "verified",
    "close": "close",
    "misquoted": "misquoted",
    "not-found": "not found in the Bible",
    "no-such-verse": "no such verse",
}


@dataclass(frozen=True, slots=True)
class Mark:
    """One mark in a block: where it goes in the block's raw text, and what it shows."""

    at: int
    symbol: str
    href: str


def cite_href(message_id: int, index: int) -> str:
    return f"{CITE_SCHEME}{message_id}.{index}"


def parse_cite(target: str) -> tuple[int, int] | None:
    """(message id, citation index) of a mark's link, None for any other link."""
    if not target.startswith(CITE_SCHEME):
        return None
    message, _, index = target[len(CITE_SCHEME) :].partition(".")
    if not (message.isdigit() and index.isdigit()):
        return None
    return int(message), int(index)


def place_marks(
    raws: Sequence[str], citations: Sequence[Citation], message_id: int, first: int = 0
) -> tuple[dict[int, list[Mark]], int]:
    """The marks of `citations[first:]` by block (the index in `raws`, a reply's blocks in
    order), and how many citations, from the first, now have their place: the count stops
    at the first one whose words are not shown yet (a streaming reply's next frame)."""
    starts = list(itertools.accumulate((len(raw) for raw in raws), initial=0))
    total = starts.pop()
    found: dict[int, list[Mark]] = {}
    for index in range(first, len(citations)):
        citation = citations[index]
        if citation.end > total:
            return found, index
        block = max(0, bisect.bisect_right(starts, max(citation.start, citation.end - 1)) - 1)
        at = _mark_at(raws[block], citation.start - starts[block], citation.end - starts[block])
        if at is not None:
            mark = Mark(at, citation.mark, cite_href(message_id, index))
            found.setdefault(block, []).append(mark)
    return found, len(citations)


def with_marks(raw: str, marks: Sequence[Mark]) -> str:
    """`raw` with each mark inserted as a link (marks beyond the text are left out)."""
    out, last = [], 0
    for mark in sorted(marks, key=lambda m: m.at):
        if mark.at > len(raw):
            break
        out += [raw[last : mark.at], f" [{mark.symbol}]({mark.href})"]
        last = mark.at
    out.append(raw[last:])
    return "".join(out)


def _mark_at(raw: str, start: int, end: int) -> int | None:
    """Where the mark of the span [start, end) of `raw` goes: after the span's last
    non-blank character and any closing emphasis; after a link that holds it; never in
    code (None)."""
    if raw.lstrip(" ").startswith(("```", "~~~", "    ", "\t")):
        return None
    end = min(end, len(raw))
    while end > max(start, 0) and raw[end - 1].isspace():
        end -= 1
    while end < len(raw) and raw[end] in _CLOSERS:
        end += 1
    for match in _CODE_SPAN.finditer(raw):
        if match.start() <= start < match.end() or match.start() < end < match.end():
            return None
    for match in _LINK.finditer(raw):
        if match.start() < end < match.end():
            end = match.end()
    return end


def cited_as(citation: Citation) -> str:
    """The reference a citation names, as people write it ("John 3:16"), or ""."""
    if citation.reference:
        return format_range(range_of_osis(citation.reference))
    return citation.written or ""


def text_wanted(citation: Citation, default_translation: str) -> tuple[str, str] | None:
    """(OSIS range, translation) whose real text a citation needs read, None when it carries
    its text already or names no verse that exists."""
    if citation.text is not None:
        return None
    osis = citation.reference or citation.found_at
    if osis is None:
        return None
    return osis, citation.translation or default_translation


def citation_detail(citation: Citation, real_text: str | None, translation: str) -> str:
    """The citation for a person, several lines, terminal-safe: its mark and verdict (with
    the similarity of a quotation), the reference, the quoted words, why it failed, and the
    real text of the verse in the translation it was checked against."""
    verdict = _VERDICT_WORDS[citation.verdict]
    if citation.similarity is not None:
        verdict += f", {round(citation.similarity * 100)}% alike"
    code = citation.translation or translation
    verse = citation.reference or citation.found_at
    head = " · ".join(part for part in (cited_as(citation), code if verse else "") if part)
    lines = [f"{citation.mark} {verdict}" + (f" · {head}" if head else "")]
    if citation.quote is not None:
        lines.append(f"Quoted: “{clip(citation.quote, TEXT_LIMIT)}”")
    if citation.note:
        lines.append(citation.note)
    if real_text is not None and verse is not None:
        which = format_range(range_of_osis(verse))
        nearest = "Nearest: " if citation.reference is None else ""  # a quote not found
        lines.append(f"{nearest}{which} ({code}): {clip(real_text, TEXT_LIMIT)}")
    return "\n".join(terminal_safe(line) for line in lines)


def summary_line(citations: Sequence[Citation], key: str) -> str:
    """Under a reply: how many citations got each mark, and the key that lists them."""
    counts: dict[str, int] = {}
    for citation in citations:
        counts[citation.mark] = counts.get(citation.mark, 0) + 1
    marks = "  ".join(f"{mark} {counts[mark]}" for mark in ("✓", "≈", "✗") if mark in counts)
    noun = "citation" if len(citations) == 1 else "citations"
    return f"{marks} · {len(citations)} {noun} checked against the text ({key} shows them)"
