"""The tagged-verse notation of `study.sqlite`, read at run time (standard library only).

A KJV verse is stored as its text with each Strong's-tagged word group in braces, the numbers
after a bar, and supplied (italic) words in square brackets as in `bible.sqlite`:

    In the {beginning|H7225} {God|H430} {created|H1254 H853} the {heaven|H8064} ...

The notation is readable in plain `sqlite3`, a third the size of a row per word, and parsed
with one regular expression. The KJV text has no braces or bars of its own (the build checks).
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\{([^|}]*)\|([^}]*)\}|[^{]+")
_NUMBER = re.compile(r"^([GH])0*(\d{1,5})([a-z]?)$", re.I)


def segments(tagged: str) -> list[tuple[str, tuple[str, ...]]]:
    """(text, Strong's numbers) of each piece of a tagged verse, in order; untagged text has ()."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for match in _TOKEN.finditer(tagged):
        if match.group(2) is None:
            out.append((match.group(0), ()))
        else:
            out.append((match.group(1), tuple(match.group(2).split())))
    return out


def plain(tagged: str) -> str:
    """The verse text with supplied words still in [brackets], tags removed."""
    return "".join(text for text, _ in segments(tagged))


def normalise_number(raw: str) -> str | None:
    """'G0026', 'g26', ' H430 ' -> 'G26' / 'H430'; None when it is not a Strong's number."""
    match = _NUMBER.match(raw.strip())
    if not match or int(match.group(2)) == 0:
        return None
    return f"{match.group(1).upper()}{int(match.group(2))}{match.group(3).lower()}"
