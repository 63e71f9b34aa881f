"""Cutting a growing Markdown reply into finished top-level blocks and the growing tail.

Pure Python, no Textual: `BlockSplitter.feed(text)` returns the segments that can no longer
change (each ends with the blank lines that closed it) and leaves the rest as the tail. A
segment ends at a blank line outside a fenced code block when the next line starts a new
top-level block (its first character is not indentation, which would continue a list item).
The segments plus the tail always concatenate to exactly the text fed, byte for byte.
"""

from __future__ import annotations

FENCES = ("```", "~~~")


def _fence_marker(line: str) -> str | None:
    """The fence a line opens (e.g. "```"), if it opens one (indented less than 4 spaces)."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    for fence in FENCES:
        if stripped.startswith(fence):
            run = len(stripped) - len(stripped.lstrip(fence[0]))
            return fence[0] * run
    return None


def _closes(line: str, marker: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(marker) and not stripped.lstrip(marker[0])


class BlockSplitter:
    """Incremental: each `feed` scans only the lines it has not scanned before."""

    def __init__(self) -> None:
        self.tail = ""
        self._scanned = 0  # offset in `tail` of the first line not yet classified
        self._fence: str | None = None  # the marker of the open fence, if inside one
        self._blank_end: int | None = None  # end of the blank lines after a block
        self._has_text = False  # the tail holds a non-blank line

    def feed(self, text: str) -> list[str]:
        """Add `text`; return the segments it finished (oldest first)."""
        self.tail += text
        finished: list[str] = []
        while True:
            cut = self._scan()
            if cut is None:
                return finished
            finished.append(self.tail[:cut])
            self.tail = self.tail[cut:]
            self._scanned -= cut
            self._blank_end = None
            self._has_text = False

    def _scan(self) -> int | None:
        """Classify complete lines; return an offset to cut the tail at, or None."""
        tail = self.tail
        while self._scanned < len(tail):
            start = self._scanned
            new_block = self._blank_end is not None and self._fence is None
            if new_block and tail[start] not in " \t\n":
                return self._blank_end  # a new top-level block starts here
            newline = tail.find("\n", start)
            if newline < 0:
                return None  # wait for the rest of the line
            line = tail[start:newline]
            self._scanned = newline + 1
            self._classify(line, newline + 1)
        return None

    def _classify(self, line: str, end: int) -> None:
        if self._fence is not None:
            if _closes(line, self._fence):
                self._fence = None
            return
        if not line.strip():
            if self._has_text:
                self._blank_end = end  # blank lines after some text
            return
        self._blank_end = None
        self._has_text = True
        self._fence = _fence_marker(line)


def split_blocks(text: str) -> list[str]:
    """The whole text as segments (the last one is the unfinished tail, if any)."""
    splitter = BlockSplitter()
    segments = splitter.feed(text)
    if splitter.tail:
        segments.append(splitter.tail)
    return segments
