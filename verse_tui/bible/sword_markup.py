"""Turning the SWORD modules' OSIS/TEI markup into Verse's stored forms (build time only).

- a KJV verse -> its tagged text (`tagged_text` notation), psalm title and paragraph mark;
- a Strong's dictionary entry -> lemma, transliteration, pronunciation, definition;
- a commentary or topic text -> plain text with paragraphs, and the osisRefs it cites.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache

from verse_tui.bible.tagged_text import normalise_number

_NOTE = re.compile(r"<note\b[^>]*>.*?</note>", re.S)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)
_W = re.compile(r"<w\b([^>]*)>(.*?)</w>", re.S)
_LEMMA = re.compile(r'lemma="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # no raw control characters stored
_USFM = re.compile(r"\\\+?nd\*?\s?")  # "\nd " and "\+nd*" left over from the USFM source
_TRANS_CHANGE = re.compile(r"<transChange\b[^>]*>")
_SPACES = re.compile(r"\s+")
_TAGGED_GROUP = re.compile(r"\{([^|}]*)\|[^}]*\}")


@dataclass(frozen=True, slots=True)
class KjvVerse:
    tagged: str
    title: str | None  # tagged too: psalm titles carry Strong's numbers
    paragraph: bool  # the verse starts a paragraph (a pilcrow in the source)


@cache  # build time only: a few thousand distinct attribute strings, 350,000 words
def _numbers(attributes: str) -> str:
    match = _LEMMA.search(attributes)
    if not match:
        return ""
    found = (normalise_number(part.removeprefix("strong:")) for part in match.group(1).split())
    return " ".join(dict.fromkeys(n for n in found if n))


def _tag_words(markup: str) -> str:
    def word(match: re.Match[str]) -> str:
        numbers = _numbers(match.group(1))
        inner = match.group(2)
        return f"{{{inner}|{numbers}}}" if numbers and inner.strip() else inner

    text = _W.sub(word, markup)
    text = _TRANS_CHANGE.sub("[", text).replace("</transChange>", "]")
    text = _CONTROL.sub(" ", html.unescape(_TAG.sub("", text)))
    return _SPACES.sub(" ", text).strip()


def kjv_verse(markup: str) -> KjvVerse:
    """The tagged text of one verse of the Strong's-tagged KJV module."""
    markup = _USFM.sub("", _NOTE.sub("", markup))
    titles = [_tag_words(m.group(1)) for m in _TITLE.finditer(markup)]
    body = _tag_words(_TITLE.sub(" ", markup))
    paragraph = "¶" in body
    body = _SPACES.sub(" ", body.replace("¶", "")).strip()
    words = _strip_tags(body)
    if any(c in words for c in "{}|"):
        raise ValueError(f"unexpected brace or bar in {body!r}")
    return KjvVerse(body, " ".join(titles) or None, paragraph)


def _strip_tags(tagged: str) -> str:
    return _TAGGED_GROUP.sub(r"\1", tagged)


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    number: str  # "G26", "H430"
    lemma: str
    transliteration: str
    pronunciation: str
    definition: str


def _field(pattern: str, markup: str) -> str:
    match = re.search(pattern, markup, re.S)
    return prose(match.group(1)) if match else ""


def lexicon_entry(prefix: str, key: str, markup: str) -> LexiconEntry | None:
    """One Strong's entry (`prefix` "G" or "H"; `key` the zero-padded dictionary key)."""
    number = normalise_number(prefix + key) if key.isdigit() else None
    if number is None:
        return None
    return LexiconEntry(
        number=number,
        lemma=_field(r"<orth>(.*?)</orth>", markup),
        transliteration=_field(r'<orth\b[^>]*type="trans"[^>]*>(.*?)</orth>', markup),
        pronunciation=_field(r"<pron\b[^>]*>(.*?)</pron>", markup),
        definition=_field(r"<def>(.*)</def>", markup),
    )


_BLOCK_BREAKS = (
    (re.compile(r"<title\b[^>]*>"), "\n\n"),
    (re.compile(r"</title>"), "\n"),
    (re.compile(r'<div\b[^>]*type="(?:x-p|paragraph|introduction)"[^>]*/>'), "\n\n"),
    (re.compile(r"<(?:lb|p)\b[^>]*/?>|</p>"), "\n"),
    (re.compile(r"<row\b[^>]*>"), "\n"),
    (re.compile(r"<item\b[^>]*>"), "\n- "),
    (re.compile(r"<cell\b[^>]*>"), " "),
)


def prose(markup: str) -> str:
    """Plain text of a commentary/dictionary fragment: paragraphs kept, markup removed."""
    text = _USFM.sub("", markup)
    for pattern, replacement in _BLOCK_BREAKS:
        text = pattern.sub(replacement, text)
    text = _CONTROL.sub("", html.unescape(_TAG.sub("", text)))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def osis_refs(markup: str) -> list[str]:
    """The osisRef values a text cites, in order ("Heb.11.4", "Rev.9.16-Rev.9.18", "Ps.23")."""
    return re.findall(r'osisRef="([^"]+)"', markup)


def see_also(markup: str) -> list[str]:
    """The other Nave's topics an entry points to ("ARMIES")."""
    return re.findall(r'target="Nave:([^"]+)"', markup)
