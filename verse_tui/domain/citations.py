"""Citation check results: each reference and quotation in a reply, checked against the text.

Verdicts (the chat shows ✓ for `verified`, ≈ for `close`, ✗ for the rest):
- `verified`: the reference exists; a quotation is the words of a shipped translation (up to
  punctuation, case and archaic spellings, see `verse_tui.bible.wording`);
- `close`: the quotation is nearly the cited verse's words (`similarity` >= 0.8);
- `misquoted`: the quotation differs materially from the cited verse (or is the words of
  another verse: `found_at`);
- `not-found`: no verse contains the quotation (`found_at` is where it might be from);
- `no-such-verse`: the reference names a chapter or verse that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Verdict = Literal["verified", "close", "misquoted", "not-found", "no-such-verse"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
MARKS: dict[Verdict, str] = {
    "verified": "✓",
    "close": "≈",
    "misquoted": "✗",
    "not-found": "✗",
    "no-such-verse": "✗",
}


@dataclass(frozen=True, slots=True)
class Citation:
    """One checked reference or quotation of a reply.

    `reference`: the OSIS range checked ("John.3.16", "Rom.5.8-Rom.5.10"), None when the
    reply gave none that exists. `quote`: the quoted words, None when only a reference was
    checked. `translation`: the translation the verdict is about (for a quotation the one
    whose words it matches best, which may differ from the reply's), None when no text was
    compared. `similarity`: 0..1 for a quotation, None for a reference alone.
    `start`/`end`: the span in the reply to mark (the quotation, else the reference).
    `written`: the reference as the reply wrote it. `text`: the real words of `reference`
    in `translation` when a quotation was compared with them (None for a reference alone:
    read it on demand). `found_at`: OSIS of the verse whose words
    the quotation is (misquoted: under another reference) or most resembles (not-found).
    `note`: one sentence for a person, e.g. "There is no John 22: John has 21 chapters."
    """

    reference: str | None
    quote: str | None
    verdict: Verdict
    translation: str | None
    similarity: float | None
    start: int
    end: int
    written: str | None = None
    text: str | None = None
    found_at: str | None = None
    note: str | None = None

    @property
    def mark(self) -> str:
        return MARKS[self.verdict]

    def as_json(self) -> dict[str, object]:
        """The fields `verse chat --json` and `verse chats show --json` list per citation."""
        return {
            "reference": self.reference,
            "quote": self.quote,
            "verdict": self.verdict,
            "translation": self.translation,
            "similarity": self.similarity,
        }
