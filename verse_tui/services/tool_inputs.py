"""Checking what Claude sends to a local tool, shared by the Bible and the study tools.

Every check raises `ToolInputError` with a message for Claude (what was wrong, what to send);
`one_line` makes the text people see from a call safe for a terminal line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from verse_tui.bible.passage_size import verse_total
from verse_tui.domain.bible import Reference
from verse_tui.errors import VerseError
from verse_tui.llm.tools import MAX_PASSAGE_VERSES

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")
_SUMMARY_TEXT = 60  # characters of a query or reference shown in a summary line


class ToolInputError(VerseError):
    """Claude's input to a tool cannot be used; the message is sent back to it."""


def one_line(text: str, limit: int = _SUMMARY_TEXT) -> str:
    """`text` safe for a terminal line: control characters removed, spaces collapsed, cut."""
    line = " ".join(_CONTROL.sub(" ", text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def clean_lines(text: str) -> str:
    """`text` with its lines kept and every other control character (and bidi override)
    turned into a space: data text that may reach a terminal."""
    return _CONTROL_BUT_NEWLINE.sub(" ", text)


def optional(arguments: Mapping[str, Any], key: str, limit: int) -> str | None:
    return None if arguments.get(key) is None else required(arguments, key, limit)


def required(arguments: Mapping[str, Any], key: str, limit: int) -> str:
    value = arguments.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ToolInputError(f'"{key}" must be a non-empty string.')
    if len(value) > limit:
        raise ToolInputError(f'"{key}" is too long ({len(value)} characters; at most {limit}).')
    return value.strip()


def check_size(reference: Reference) -> None:
    if verse_total(reference) > MAX_PASSAGE_VERSES:
        raise ToolInputError(
            f"That passage has more than {MAX_PASSAGE_VERSES} verses; read at most "
            f"{MAX_PASSAGE_VERSES} at a time (for example one chapter)."
        )
