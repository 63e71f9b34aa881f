"""Check every reference and quotation of a reply against the local Bible text.

`CitationChecker(bible, "KJV").check_text(reply)` returns a `Citation` per reference and per
quotation (verdicts in `verse_tui.domain.citations`). While a reply streams,
`ReplyCitations(checker)` takes the text as it arrives and checks each paragraph once, when it
is finished (a blank line, a code fence, or the end): `feed(delta)` returns the citations of
the paragraphs that `delta` finished, `finish()` those of the last one. The two agree exactly.

Rules (see `cited` for what counts as a reference or a quotation, `wording` for how words
are compared):
- a quotation is compared with each of its candidate references in every shipped
  translation, the reply's first (or the one written after the reference, "(WEB)"); the best
  match decides: `verified` (the words are there, ellipses and [insertions] skipping words in
  order), `close` (similarity >= 0.8), else the word index is searched for the quotation:
  verbatim elsewhere -> `misquoted` with `found_at`; similarity >= 0.5 -> `misquoted`;
  otherwise `not-found`, with `found_at` the nearest verse if one resembles it;
- a block quote with no reference nearby is searched for: `verified`/`close` with the
  reference where it stands, else `not-found`;
- an inline quotation of fewer than three words, or one that names or glosses rather than
  quotes ('John 3:16 is called "the gospel in miniature"', '*so* means "in this way"'), is
  reported only when it matches;
- a reference that no quotation in its paragraph uses is reported on its own: `verified`
  when it exists, `no-such-verse` otherwise. A reference used by a block quote in the next
  paragraph is also reported on its own (it was checked when its paragraph finished).
Only the shipped text is read: a reference alone needs no query (the canon knows every
chapter's verses; its `text` is left for the UI to read on demand), a quotation one small
query per passage and translation (cached), and a quotation that does not match a ranked
word-index query or two (a short one: a phrase query first). A 30 KB reply with 180
citations takes about 10-25 ms on a loaded machine (tests/benchmarks/bench_citations.py); a
paragraph that needs a search can take a few ms, so run `feed` off the event loop (a thread
worker) when streaming.
"""

from __future__ import annotations

import re

from verse_tui.bible import canon
from verse_tui.bible.cited import (
    Context,
    Found,
    Quote,
    closing_references,
    find_quotes,
    find_references,
)
from verse_tui.bible.passage_size import range_total
from verse_tui.bible.references import format_range
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.bible.wording import Words, pieces, similarity, words
from verse_tui.domain.bible import Reference, VerseRange
from verse_tui.domain.citations import Citation, Verdict
from verse_tui.errors import InputError

__all__ = ["CLOSE", "MISQUOTED", "CitationChecker", "ReplyCitations"]

CLOSE = 0.8  # similarity from which a quotation is `close`
MISQUOTED = 0.5  # from which it is a (mis)quotation of the cited verse at all
MAX_VERSES = 180  # longer cited ranges are not read (a quotation is searched for instead)
_CACHE_SIZE = 1024
_SEARCH_HITS = 12  # verses compared when a quotation is searched for
_NAMING = re.compile(
    r"\b(?:called|known as|nicknamed|term|word|phrase|title|described as|refers? to as|"
    r"summari[sz]ed as)\b",
    re.IGNORECASE,
)
# a gloss just before a quotation ('*so* means "in this way"') explains a word, it quotes nothing
_GLOSS = re.compile(
    r"\b(?:means?|meaning|translated|rendered|renders|literally|signif(?:y|ies))\W{0,4}$",
    re.IGNORECASE,
)
_SEARCH_WORD = re.compile(r"[^\W\d_]{4,}")
_FTS_OPERATORS = frozenset({"and", "or", "not", "near"})
_PHRASE_WORD = re.compile(r"[^\W\d_]+")
_PHRASE_BREAK = re.compile(r"\.\s*\.\s*\.|…|\[[^\]]*\]|\d+")  # ellipses, [insertions], numbers
_PHRASE_WORDS = 8  # a quotation of at most this many words is searched for as a phrase


def _verse_total(rng: VerseRange) -> int:
    return range_total(rng)


class CitationChecker:
    """Checks the citations of replies given in one translation (see the module doc)."""

    def __init__(self, bible: SqliteBibleClient, translation: str) -> None:
        codes = [t.code for t in bible.translations()]
        code = translation.strip().upper()
        if code not in codes:
            raise InputError(
                f"Unknown translation {translation!r}. Installed translations: {', '.join(codes)}."
            )
        self._bible = bible
        self.translation = code
        self._codes = (code, *(c for c in codes if c != code))
        self._texts: dict[tuple[str | int, ...], tuple[str, Words]] = {}

    # -- public -----------------------------------------------------------------------------

    def check_text(self, text: str) -> tuple[Citation, ...]:
        """Every citation of a whole reply, in order."""
        reply = ReplyCitations(self)
        return reply.feed(text) + reply.finish()

    def check_paragraph(
        self, paragraph: str, *, offset: int = 0, context: Context = ()
    ) -> tuple[Citation, ...]:
        """The citations of one paragraph; spans are shifted by `offset` (its place in the
        reply); `context` is `cited.closing_references` of the paragraph before."""
        return self._check(paragraph, offset, context)[0]

    # -- one paragraph ----------------------------------------------------------------------

    def _check(
        self, paragraph: str, offset: int, context: Context
    ) -> tuple[tuple[Citation, ...], Context]:
        refs = find_references(paragraph)
        used: set[int] = set()
        found: list[Citation] = []
        for quote in find_quotes(paragraph, refs, context):
            checked = self._quote(paragraph, quote, offset)
            if checked is not None:
                citation, ref = checked
                found.append(citation)
                if ref is not None:
                    used.add(id(ref))
        found.extend(self._reference(ref, offset) for ref in refs if id(ref) not in used)
        found.sort(key=lambda c: (c.start, c.end))
        return tuple(found), closing_references(paragraph, refs)

    def _reference(self, ref: Found, offset: int) -> Citation:
        start, end = ref.start + offset, ref.end + offset
        if ref.range is None:
            return Citation(None, None, "no-such-verse", None, None, start, end, ref.text,
                            note=ref.error)  # fmt: skip
        code = ref.translation or self.translation
        return Citation(
            canon.osis_range(ref.range), None, "verified", code, None, start, end, ref.text
        )

    # -- quotations -------------------------------------------------------------------------

    def _quote(
        self, paragraph: str, quote: Quote, offset: int
    ) -> tuple[Citation, Found | None] | None:
        runs = pieces(quote.text)
        size = sum(len(run) for run in runs)
        if size < 2:
            return None
        start, end = quote.start + offset, quote.end + offset
        shown = " ".join(quote.text.split())
        best = self._best_candidate(runs, quote.candidates)
        if best is None:
            return self._no_reference(quote, runs, shown, start, end)
        ref, code, score, text = best
        if ref.range is None:
            return self._no_such_verse(ref, runs, shown, start, end), ref
        reference = canon.osis_range(ref.range)
        if score >= CLOSE and (score == 1.0 or size >= 3 or quote.block):
            verdict: Verdict = "verified" if score == 1.0 else "close"
            return Citation(reference, shown, verdict, code, score, start, end, ref.text, text), ref
        if not quote.block and (size < 3 or self._names(paragraph, quote, ref)):
            return None
        hit = self._search(quote.text, runs)
        if hit is not None and hit[2] == 1.0 and hit[0] != reference:
            note = f"These words are at {hit[3]} ({hit[1]}), not {format_range(ref.range)}."
            return Citation(reference, shown, "misquoted", code, score, start, end, ref.text,
                            text, hit[0], note), ref  # fmt: skip
        verdict = "misquoted" if score >= MISQUOTED else "not-found"
        near = hit[0] if hit is not None and hit[2] >= MISQUOTED else None
        return Citation(reference, shown, verdict, code, score, start, end, ref.text, text,
                        near), ref  # fmt: skip

    def _best_candidate(
        self, runs: tuple[Words, ...], candidates: tuple[Found, ...]
    ) -> tuple[Found, str | None, float, str | None] | None:
        """The nearest candidate, with the translation, similarity and real text, unless a
        farther one is at least `close` and better."""
        best: tuple[Found, str | None, float, str | None] | None = None
        for ref in candidates:
            if ref.range is None or _verse_total(ref.range) > MAX_VERSES:
                if best is None and ref.range is None:
                    best = (ref, None, 0.0, None)
                continue
            code, score, text = self._against(runs, ref.range, ref.translation)
            if best is None or (score >= CLOSE and score > best[2]):
                best = (ref, code, score, text)
            if score == 1.0:
                break
        return best

    def _against(
        self, runs: tuple[Words, ...], rng: VerseRange, prefer: str | None
    ) -> tuple[str, float, str]:
        """(translation, similarity, text) of the translation whose words match best."""
        order = (
            self._codes if prefer is None else (prefer, *(c for c in self._codes if c != prefer))
        )
        best = ("", -1.0, "")
        for code in order:
            text, keys = self._text(code, rng)
            score = similarity(keys, runs)
            if score > best[1]:
                best = (code, score, text)
            if score == 1.0:
                break
        return best

    def _names(self, paragraph: str, quote: Quote, ref: Found) -> bool:
        """Whether the words between the reference and the quotation name it rather than
        quote it ("John 3:16 is called ...")."""
        if _GLOSS.search(paragraph[max(0, quote.start - 30) : quote.start]):
            return True
        between = paragraph[ref.end : quote.start] if ref.end <= quote.start else ""
        return bool(_NAMING.search(between or paragraph[quote.end : ref.start]))

    def _no_such_verse(
        self, ref: Found, runs: tuple[Words, ...], shown: str, start: int, end: int
    ) -> Citation:
        hit = self._search(shown, runs)
        near = hit[0] if hit is not None and hit[2] >= MISQUOTED else None
        return Citation(None, shown, "no-such-verse", None, None, start, end, ref.text,
                        found_at=near, note=ref.error)  # fmt: skip

    def _no_reference(
        self, quote: Quote, runs: tuple[Words, ...], shown: str, start: int, end: int
    ) -> tuple[Citation, None] | None:
        """A quotation with no reference near it: only block quotes are looked up."""
        if not quote.block:
            return None
        hit = self._search(quote.text, runs)
        if hit is not None and hit[2] >= CLOSE:
            osis, code, score, _label, text = hit
            verdict: Verdict = "verified" if score == 1.0 else "close"
            return Citation(osis, shown, verdict, code, score, start, end, None, text), None
        near = hit[0] if hit is not None and hit[2] >= MISQUOTED else None
        score = hit[2] if hit is not None else 0.0
        return Citation(
            None, shown, "not-found", None, score, start, end, None, found_at=near
        ), None

    # -- the text ---------------------------------------------------------------------------

    def _text(self, code: str, rng: VerseRange) -> tuple[str, Words]:
        s, e = rng.start, rng.end  # plain ints hash faster than the records
        key = (code, s.book, s.chapter, s.verse, e.book, e.chapter, e.verse)
        cached = self._texts.get(key)
        if cached is None:
            passage = self._bible.passage(code, Reference((rng,)))
            text = " ".join(v.plain_text for v in passage.verses if v.plain_text)
            cached = (text, words(text))
            if len(self._texts) >= _CACHE_SIZE:
                self._texts.clear()
            self._texts[key] = cached
        return cached

    def _search(
        self, quote: str, runs: tuple[Words, ...]
    ) -> tuple[str, str, float, str, str] | None:
        """(OSIS, translation, similarity, formatted reference, text) of the verse that
        contains or most resembles the quotation, from the word index: its words as a phrase
        first (a short quotation's verse may rank below shorter verses with its words), then
        its four longest words, then its two longest; None if no verse has them."""
        found = [w.lower() for w in _SEARCH_WORD.findall(quote)]
        telling = sorted(dict.fromkeys(w for w in found if w not in _FTS_OPERATORS), key=len)
        phrase = _phrase(quote)
        queries = [" ".join(telling[-count:]) for count in (4, 2) if telling]
        best: tuple[str, str, float, str, str] | None = None
        for query in [*phrase, *queries]:
            for code, verse in self._bible.best_in_any_translation(query, _SEARCH_HITS):
                text = verse.plain_text
                score = similarity(words(text), runs)
                if best is None or score > best[2]:
                    label = format_range(VerseRange(verse.ref, verse.ref))
                    best = (verse.osis, code, score, label, text)
            if best is not None and (query not in phrase or best[2] == 1.0):
                return best  # a verse holds the phrase, or the best of the word queries
        return best


def _phrase(quote: str) -> list[str]:
    """A short quotation (three to `_PHRASE_WORDS` words between ellipses, insertions and
    numbers) as one FTS phrase. Its few words may all be common ("For all have sinned"), so
    the ranked word query can miss its verse; a longer one has words telling enough, and
    a long phrase of common words costs the index several ms."""
    stretches = (_PHRASE_WORD.findall(part) for part in _PHRASE_BREAK.split(quote))
    longest = max(stretches, key=len, default=[])
    return ['"' + " ".join(longest).lower() + '"'] if 3 <= len(longest) <= _PHRASE_WORDS else []


class ReplyCitations:
    """The citations of a reply as it streams (see the module doc)."""

    def __init__(self, checker: CitationChecker) -> None:
        self._checker = checker
        self._text = ""
        self._scanned = 0  # the text before this offset has been split into lines
        self._start: int | None = None  # where the open paragraph begins
        self._fence: str | None = None  # the marker of an open code fence
        self._context: Context = ()
        self.citations: tuple[Citation, ...] = ()

    def feed(self, delta: str) -> tuple[Citation, ...]:
        """Add streamed text; the citations of the paragraphs it finished."""
        self._text += delta
        found: list[Citation] = []
        while (newline := self._text.find("\n", self._scanned)) >= 0:
            found.extend(self._line(self._scanned, newline + 1))
            self._scanned = newline + 1
        return self._keep(found)

    def finish(self) -> tuple[Citation, ...]:
        """The reply is complete: the citations of its last paragraph."""
        found = (
            list(self._line(self._scanned, len(self._text)))
            if self._scanned < len(self._text)
            else []
        )
        self._scanned = len(self._text)
        if self._start is not None and self._fence is None:
            found.extend(self._paragraph(self._start, len(self._text)))
        self._start = None
        return self._keep(found)

    def _keep(self, found: list[Citation]) -> tuple[Citation, ...]:
        self.citations += tuple(found)
        return tuple(found)

    def _line(self, start: int, end: int) -> tuple[Citation, ...]:
        stripped = self._text[start:end].strip()
        if self._fence is not None:
            if stripped.startswith(self._fence):
                self._fence = None
            return ()
        if stripped.startswith(("```", "~~~")):
            found = self._paragraph(self._start, start) if self._start is not None else ()
            self._fence, self._start, self._context = stripped[:3], None, ()
            return found
        if not stripped:
            found = self._paragraph(self._start, start) if self._start is not None else ()
            self._start = None
            return found
        if self._start is None:
            self._start = start
        return ()

    def _paragraph(self, start: int, end: int) -> tuple[Citation, ...]:
        found, self._context = self._checker._check(self._text[start:end], start, self._context)
        return found
