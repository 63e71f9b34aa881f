"""Search by meaning over `meaning.sqlite`, in plain Python (no numpy, no model runtime).

The model is static (see `build_meaning.py`): a query's vector is the sum of its WordPiece
tokens' rows, so embedding a query reads a dozen rows. Scoring all 31,105 verse vectors at once
uses Python's big integers as a vector unit: dimension j of every verse is packed into one
integer with a 32-bit field per verse (P_j), so `BIAS + sum(q_j * P_j)` computes every verse's
dot product with the query in 256 big-integer multiply-adds, and `array("I")` reads the fields
back. Each field stays within 32 bits: |sum_j q_j u_ij| <= 256 * 127 * 255 < 2**31.

Nothing here is imported until the first meaning search (`tests/bible/test_meaning.py` proves
it), so the reader's start-up and `verse read` do not pay for it.
"""

from __future__ import annotations

import bisect
import heapq
import sqlite3
import struct
from array import array
from pathlib import Path

from verse_tui.bible.wordpiece import tokenize
from verse_tui.errors import VerseError

MEANING_DB_NAME = "meaning.sqlite"
SCHEMA_VERSION = "1"
FIELD_BITS = 32
_BIAS_FIELD = b"\x00\x00\x00\x80"  # 2**31, little-endian
REINSTALL = "Reinstall Verse (or rebuild it: python -m verse_tui.bible.build_meaning)."


class MeaningDataError(VerseError):
    """The meaning-search data file is missing or damaged."""


def _read(path: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    if not path.is_file():
        raise MeaningDataError(f"The meaning-search data is missing ({path}). {REINSTALL}")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            blobs = dict(db.execute("SELECT name, data FROM blobs").fetchall())
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        message = f"The meaning-search data {path} is damaged ({exc}). {REINSTALL}"
        raise MeaningDataError(message) from exc
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise MeaningDataError(f"The meaning-search data {path} has another layout. {REINSTALL}")
    return meta, blobs


def _packed(column: bytes) -> int:
    """One byte per verse -> one big integer with a 32-bit field per verse."""
    fields = bytearray(len(column) * 4)
    fields[0::4] = column
    return int.from_bytes(fields, "little")


class MeaningIndex:
    """The static embedding model and the packed verse vectors, loaded once."""

    def __init__(self, path: Path) -> None:
        meta, blobs = _read(path)
        self.dims = int(meta["dims"])
        self._verse_scale = float(meta["verse_scale"])
        tokens = blobs["vocab"].decode("utf-8").split("\n")
        self._vocab = {token: i for i, token in enumerate(tokens)}
        self._unknown = self._vocab["[UNK]"]
        self._rows = blobs["token_rows"]
        self._row_format = f"{self.dims}b"
        self._scales = array("f")
        self._scales.frombytes(blobs["token_scales"])
        self.keys = array("I")
        self.keys.frombytes(blobs["verse_keys"])
        self._columns = [_packed(blobs[f"dim:{d}"]) for d in range(self.dims)]
        self._bias = int.from_bytes(_BIAS_FIELD * len(self.keys), "little")

    def embed(self, text: str) -> list[float] | None:
        """The query's unit vector, or None when it has no word the model knows."""
        ids = [i for i in tokenize(text, self._vocab, self._unknown) if i != self._unknown]
        if not ids:
            return None
        vector = [0.0] * self.dims
        for token in ids:
            scale = self._scales[token]
            row = struct.unpack_from(self._row_format, self._rows, token * self.dims)
            vector = [v + scale * r for v, r in zip(vector, row, strict=True)]
        norm = sum(v * v for v in vector) ** 0.5
        return [v / norm for v in vector] if norm else None

    def scores(self, vector: list[float]) -> tuple[array[int], float, int]:
        """Every verse's raw score (key order), the divisor to a cosine, and the offset."""
        top = max(abs(v) for v in vector)
        query = [round(v * 127 / top) for v in vector]
        total = self._bias
        for weight, column in zip(query, self._columns, strict=True):
            if weight:
                total += weight * column
        fields = array("I")
        fields.frombytes(total.to_bytes(len(self.keys) * 4, "little"))
        offset = (1 << 31) + 128 * sum(query)
        return fields, (127 / top) * self._verse_scale, offset

    def search(
        self, text: str, first_key: int, last_key: int, limit: int
    ) -> list[tuple[int, float]]:
        """(verse key, cosine) of the best `limit` verses with first_key <= key <= last_key."""
        vector = self.embed(text)
        if vector is None:
            return []
        fields, divisor, offset = self.scores(vector)
        low = bisect.bisect_left(self.keys, first_key)
        high = bisect.bisect_right(self.keys, last_key)
        best = heapq.nlargest(limit, range(low, high), key=fields.__getitem__)
        return [(self.keys[i], (fields[i] - offset) / divisor) for i in best]
