"""Read GCIDE (the GNU Collaborative International Dictionary of English) as packaged for dictd.

Used only by `build_glossary.py`, never at run time. The Debian package `dict-gcide` ships
`gcide.index` (headword, base64 offset, base64 length) and `gcide.dict.dz` (dictzip, which is
gzip-compatible). Each entry is plain text laid out like this:

    Let \\Let\\ (l[e^]t), v. t. [OE. letten, ...]        <- header: headword, POS, [brackets]
       To retard; to hinder; to impede. [Archaic]      <- an unnumbered sense
       1. A retarding; hindrance. [Obs.]                <- or numbered senses
             He was so strong ...   --Chaucer.          <- quotations, indented deeper

`parse_entry` turns one such entry into an `Entry` with its senses and usage labels.
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_VALUES = {char: value for value, char in enumerate(B64)}
SENSE_INDENT = 3
LABELS = {
    "obs": "obsolete",
    "archaic": "archaic",
    "poetic": "poetic",
    "r": "rare",
    "colloq": "colloquial",
}
OLD_LABELS = frozenset({"obsolete", "archaic", "poetic"})
_LABEL_RE = re.compile(r"\[((?:Obs|Archaic|Poetic|R|Colloq)\b[^\]]*)\]")
_NUMBERED_RE = re.compile(r"^(\d+)\.\s+(.*)$")
_SOURCE_LINE_RE = re.compile(
    r"^\s*\[(1913 Webster|PJC|WordNet[^\]]*|Century[^\]]*|[A-Z]{2,4})\]\s*$"
)
_ACCENT_RE = re.compile(r"\[[`'=~^\"]?([A-Za-z])[`'=~^\".]?\]")
_SPECIAL = {"[ae]": "æ", "[oe]": "œ", "[eth]": "ð", "[thorn]": "þ", "[imac]": "ī", "[cced]": "ç"}
_LINKS_RE = re.compile(r"\{([^}]*)\}")
_ATTRIBUTION_RE = re.compile(r"\s*--\s?[A-Z][\w.' &-]*\.?\s*$")


@dataclass(frozen=True, slots=True)
class Sense:
    text: str
    labels: tuple[str, ...] = ()

    @property
    def is_old(self) -> bool:
        return any(label in OLD_LABELS for label in self.labels)


@dataclass(frozen=True, slots=True)
class Entry:
    headword: str  # lower case, syllable marks removed
    header: str  # the header text, markup removed
    pos: str  # "v. t.", "n.", "pron.", "" when the source gives none
    senses: tuple[Sense, ...]
    forms: dict[str, str] = field(default_factory=dict)  # inflected form -> its label, e.g. "imp."
    synonyms: tuple[str, ...] = ()
    lemma: str | None = None  # the word this one is a form of ("hath" -> "have")
    form_note: str | None = None  # which form: "3d pers. sing. pres."


def decode_b64(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + _B64_VALUES[char]
    return value


def clean(text: str) -> str:
    """Plain text from GCIDE markup: {links}, [accented letters], runs of spaces."""
    for code, char in _SPECIAL.items():
        text = text.replace(code, char)
    text = _ACCENT_RE.sub(r"\1", text)
    text = _LINKS_RE.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_headword(raw: str) -> str:
    return clean(raw).replace("*", "").replace('"', "").replace("`", "").replace("'", "").lower()


class Gcide:
    """The dictionary file and its index, loaded into memory (about 50 MB, build time only)."""

    def __init__(self, dict_path: Path, index_path: Path) -> None:
        with gzip.open(dict_path) as fh:
            self._data = fh.read()
        self._index: dict[str, list[tuple[int, int]]] = defaultdict(list)
        with index_path.open(encoding="utf-8") as fh:
            for line in fh:
                word, offset, length = line.rstrip("\n").split("\t")
                self._index[word.lower()].append((decode_b64(offset), decode_b64(length)))
        self._parsed: dict[tuple[int, int], Entry | None] = {}

    def raw_entries(self, word: str) -> list[str]:
        """The entries the index lists under `word` (its own, and entries that mention it)."""
        return [self._raw(span) for span in self._index.get(word.lower(), ())]

    def _raw(self, span: tuple[int, int]) -> str:
        offset, length = span
        return self._data[offset : offset + length].decode("utf-8", "replace")

    def _parsed_entries(self, word: str) -> list[Entry | None]:
        """`raw_entries(word)` parsed. Each entry is parsed once per build: many words list
        the same entries, and `entries` and `entries_listing_form` read the same ones."""
        spans = self._index.get(word.lower(), ())
        for span in spans:
            if span not in self._parsed:
                self._parsed[span] = parse_entry(self._raw(span))
        return [self._parsed[span] for span in spans]

    def entries(self, word: str) -> list[Entry]:
        """Parsed entries whose headword is `word` itself."""
        found: dict[tuple[str, tuple[Sense, ...]], Entry] = {}
        for entry in self._parsed_entries(word):
            if entry is not None and entry.headword == word.lower():
                found.setdefault((entry.pos, entry.senses), entry)
        return list(found.values())

    def entries_listing_form(self, form: str) -> list[Entry]:
        """Entries of other headwords that give `form` as one of their inflections."""
        parsed = self._parsed_entries(form)
        return [
            e for e in parsed if e is not None and form.lower() in e.forms and e.headword != form
        ]


def _bracket_depth_after(line: str, depth: int) -> int:
    return depth + line.count("[") - line.count("]")


def _split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    """The header lines and the rest. The header ends at a line closed at bracket depth 0."""
    depth = 0
    for number, line in enumerate(lines):
        depth = _bracket_depth_after(line, depth)
        stripped = line.rstrip()
        if depth <= 0 and (stripped.endswith(".") or stripped.endswith("]")):
            return lines[: number + 1], lines[number + 1 :]
    return lines, []


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if _SOURCE_LINE_RE.match(line):
            continue
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _sense_lines(paragraph: list[str]) -> list[str]:
    """The lines of a sense paragraph before its quotations start (indented deeper)."""
    first = _indent(paragraph[0])
    kept = [paragraph[0]]
    for line in paragraph[1:]:
        if _indent(line) > first + 4:
            break
        kept.append(line)
    return kept


def make_sense(text: str) -> Sense | None:
    labels = tuple(
        dict.fromkeys(
            LABELS[re.split(r"\W", m, maxsplit=1)[0].lower()] for m in _LABEL_RE.findall(text)
        )
    )
    text = _LABEL_RE.sub("", text).split("[1913 Webster]")[0]  # a next headword leaking in
    if '"' in text and text.index('"') > 3:
        text = text[: text.index('"')]
    text = _ATTRIBUTION_RE.sub("", clean(text)).strip(" ;,")
    if not text:
        return None
    if not text.endswith((".", "?", "!")):
        text += "."
    return Sense(text=text, labels=labels)


def _forms(header: str) -> dict[str, str]:
    """Inflections from the header bracket: `[imp. {Begot}, (Archaic) {Begat}; p. p. ...]`."""
    forms: dict[str, str] = {}
    match = re.search(r"\[((?:imp|p\. p|pres|pl|Sing|inf|obj)[^\]]*)\]", header)
    if not match:
        return forms
    for part in match.group(1).split(";"):
        label = clean(part.split("{")[0]).strip(" ,:&(")
        links = list(_LINKS_RE.finditer(part))
        for number, link in enumerate(links):
            left = part[links[number - 1].end() if number else 0 : link.start()]
            right = part[
                link.end() : links[number + 1].start() if number + 1 < len(links) else None
            ]
            nearby = re.split(r"[,;]", left)[-1] + re.split(r"[,;(]", right)[0]
            old = " (archaic)" if re.search(r"Archaic|Obs", nearby) else ""
            forms.setdefault(normalise_headword(link.group(1)), f"{label}{old}")
    return forms


_FORM_RE = re.compile(
    r"((?:archaic )?(?:\dd pers\.|\dd per\.|imp\.|p\. p\.|pres\.)[^{}]{0,40}?)\s*of \{([^}]+)\}"
)


_PERSON_RE = re.compile(
    r"(second|third) person singular[^{}]{0,60}?present tense,? of the (?:substantive )?verb "
    r"\{([^}]+)\}"
)


def _form_of(block: str) -> tuple[str, str] | None:
    """`Hath ... 3d pers. sing. pres. of {Have}` -> ("3d pers. sing. pres.", "have")."""
    match = _FORM_RE.search(block)
    if not match:
        person = _PERSON_RE.search(re.sub(r"\s+", " ", block))
        if person:
            number = "2d" if person.group(1) == "second" else "3d"
            return f"{number} pers. sing. pres.", normalise_headword(person.group(2))
        return None
    return re.sub(r"\s+", " ", match.group(1)).strip(" ,"), normalise_headword(match.group(2))


def _is_leak(sense: Sense, headword: str) -> bool:
    """A neighbouring headword caught as a sense ("Hastate" under "Hast")."""
    word = sense.text.rstrip(".").lower()
    return " " not in word and word != headword and word.startswith(headword)


def _header_sense(header: str) -> Sense | None:
    """For entries that are all header (`Spake \\Spake\\, archaic imp. of {Speak}.`)."""
    rest = re.sub(r"^[^\\]*\\[^\\]*\\\s*(\([^)]*\))?,?\s*", "", header)
    sense = make_sense(rest)
    if sense is None or "archaic" not in rest.lower():
        return sense
    return Sense(sense.text, (*sense.labels, "archaic"))


def _pos(header: str) -> str:
    after = re.sub(r"^[^\\]*\\[^\\]*\\\s*(\([^)]*\))?,?\s*", "", header)
    match = re.match(r"((?:[a-z]{1,5}\.\s?(?:&\s)?)+)", after)
    return match.group(1).strip() if match else ""


def parse_entry(raw: str) -> Entry | None:
    """One dictionary entry, or None when it has no `Headword \\Head*word\\` header."""
    lines = raw.rstrip("\n").split("\n")
    head = re.match(r"^\s*([^\\]+?)\s*\\([^\\]+)\\", lines[0])
    if not head:
        return None
    header_lines, body = _split_header(lines)
    header = " ".join(line.strip() for line in header_lines)
    senses: list[Sense] = []
    synonyms: tuple[str, ...] = ()
    for number, paragraph in enumerate(_paragraphs(body)):
        first = paragraph[0].strip()
        if first.startswith("Syn:"):
            text = " ".join(line.strip() for line in paragraph)[4:]
            synonyms = tuple(clean(s).strip(" .") for s in text.split(";") if s.strip())
            continue
        numbered = _NUMBERED_RE.match(first)
        unnumbered = number == 0 and _indent(paragraph[0]) == SENSE_INDENT
        if not (numbered or unnumbered) or first.startswith(("Note:", "Usage:", "{")):
            continue
        lines_text = " ".join(line.strip() for line in _sense_lines(paragraph))
        sense = make_sense(numbered.group(2) + lines_text[len(first) :] if numbered else lines_text)
        if sense is not None:
            senses.append(sense)
    headword = normalise_headword(head.group(1))
    form_of = _form_of(" ".join(line.strip() for line in lines[:5]))
    senses = [sense for sense in senses if not _is_leak(sense, headword)]
    if form_of:
        old = ("archaic",) if "archaic" in raw[:300].lower() else ()
        lemma_sense = Sense(f"{form_of[0]} of {form_of[1]}.", old)
        senses = [lemma_sense, *(s for s in senses if not s.text.startswith("of "))]
    if not senses:
        fallback = _header_sense(clean(header))
        senses = [fallback] if fallback else []
    return Entry(
        headword=headword,
        header=clean(header),
        pos=_pos(header),
        senses=tuple(senses),
        forms=_forms(header),
        synonyms=synonyms,
        lemma=form_of[1] if form_of else None,
        form_note=form_of[0] if form_of else None,
    )
