"""A small cache of chapters already read (and the neighbours fetched ahead of time).

Turning to the next chapter then paints from memory without waiting for a worker; the cache
is filled by the reader's workers, never on the event loop.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

from verse_tui.domain.bible import Passage

Key = tuple[str, int, int]  # translation, book, chapter
V = TypeVar("V")


class ChapterCache(Generic[V]):
    """Least-recently-used per-chapter values, at most `size` of them."""

    def __init__(self, size: int = 24) -> None:
        self._size = size
        self._items: OrderedDict[Key, V] = OrderedDict()

    def get(self, translation: str, book: int, chapter: int) -> V | None:
        key = (translation, book, chapter)
        passage = self._items.get(key)
        if passage is not None:
            self._items.move_to_end(key)
        return passage

    def put(self, translation: str, book: int, chapter: int, passage: V) -> None:
        self._items[(translation, book, chapter)] = passage
        self._items.move_to_end((translation, book, chapter))
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def __contains__(self, key: Key) -> bool:
        return key in self._items


class PassageCache(ChapterCache[Passage]):
    """Least-recently-used chapters of text, at most `size` of them."""
