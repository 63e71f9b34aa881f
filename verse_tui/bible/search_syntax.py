"""Turn what a person types into the search box into an SQLite FTS5 query.

Supported: plain words (each matches that whole word, all must appear), "a phrase", prefix*
(faith* matches faith, faithful, faithfulness), AND / OR / NOT (upper case) and parentheses.
A word with punctuation inside ("don't", "burnt-offering") becomes a phrase of its parts, the
way the index stores it. What FTS5 still rejects ("faith AND", "(hope") is reported by the
client as an `InputError`.
"""

from __future__ import annotations

import re

from verse_tui.domain.text import echo
from verse_tui.errors import InputError

SEARCH_HELP = 'Use words, "a phrase", prefix* and AND / OR / NOT, e.g. faith AND hope.'

_TOKEN = re.compile(r'"[^"]*"\*?|"|[()]|[^\s()"]+')
_WORD = re.compile(r"\w+\*?")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


class SearchSyntaxError(InputError):
    """The search text cannot be turned into a query."""


def _bare(token: str) -> str | None:
    """A bare token as FTS5 accepts it, or None when it holds no word at all."""
    if token in _OPERATORS or _WORD.fullmatch(token):
        return token
    star = "*" if token.endswith("*") else ""
    words = re.findall(r"\w+", token)
    if not words:
        return None
    return '"' + " ".join(words) + '"' + star


def to_fts_query(text: str) -> str:
    """The FTS5 MATCH expression for `text`; raises SearchSyntaxError when there is none."""
    parts: list[str] = []
    for token in _TOKEN.findall(text):
        if token == '"':
            raise SearchSyntaxError(f"The quote in {echo(text)} is not closed. {SEARCH_HELP}")
        if token.startswith('"') or token in "()":
            parts.append(token)
            continue
        bare = _bare(token)
        if bare is not None:
            parts.append(bare)
    if not any(_WORD.search(part) and part not in _OPERATORS for part in parts):
        raise SearchSyntaxError(f"Type a word or phrase to search for. {SEARCH_HELP}")
    return " ".join(parts)
