"""The shipped WEB against its source, the SWORD module engWEB2015eb (Debian sword-text-web):
every verse's words, read here from the module's markup independently of the build; the
numbering differences (NRSVA -> Verse's KJV-numbered ids); the module's typographic quotes."""

from __future__ import annotations

import html
import re
import sqlite3

import pytest

from verse_tui.bible import web_source
from verse_tui.bible.study_sources import module_path
from verse_tui.bible.sword import VerseModule
from verse_tui.bible.versification import NRSVA

SCALE = 100_000_000
WEB = 2
needs_module = pytest.mark.skipif(
    not web_source.available(),
    reason=f"the SWORD WEB module is not installed (apt-get install {web_source.DISTRIBUTION})",
)


@pytest.fixture(scope="module")
def web(bible_path) -> dict[int, tuple[str, int]]:
    db = sqlite3.connect(f"{bible_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT id, text, omitted FROM verses WHERE id BETWEEN ? AND ?",
            (WEB * SCALE, (WEB + 1) * SCALE - 1),
        )
        return {verse_id % SCALE: (text, omitted) for verse_id, text, omitted in rows}
    finally:
        db.close()


def _module_tokens(markup: str) -> list[str]:
    """The tokens of a verse's OSIS markup: notes, headings and the glossary after the end of
    the book removed, each note and quotation end read as a space."""
    markup = re.split(r'<div [^>]*eID="[^"]*" osisID="\w+" type="book"/>', markup)[0]
    markup = re.sub(r"<note\b.*?</note>|</q>", " ", markup, flags=re.S)
    markup = re.sub(r"<title\b.*?</title>|<speaker\b.*?</speaker>", " ", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).split()


def _made_of(word: str, tokens: list[str]) -> bool:
    """`word` is `tokens` run together, each joined one starting with closing punctuation
    (a note or quotation end between a word and its comma is no space: "Christ," "God.”")."""
    return "".join(tokens) == word and all(not re.match(r"[\w“‘(]", t) for t in tokens[1:])


def _words_match(stored: list[str], tokens: list[str]) -> bool:
    at = 0
    for word in stored:
        end = at + 1
        while end < len(tokens) and len("".join(tokens[at:end])) < len(word):
            end += 1
        if not _made_of(word, tokens[at:end]):
            return False
        at = end
    return at == len(tokens)


@needs_module
def test_every_web_verse_has_the_words_of_the_module(web) -> None:
    module = VerseModule(module_path(web_source.WEB), NRSVA)
    seen = set()
    for book, chapter, verse in NRSVA.verses():
        verse_id = book * 1_000_000 + chapter * 1000 + verse
        tokens = _module_tokens(module.text(book, chapter, verse))
        if verse_id in web_source.UNNUMBERED:
            assert tokens == [] and verse_id not in web, verse_id
            continue
        ids = [verse_id] if verse_id != 45014023 else [45014023, 45014024, 45014025, 45014026]
        stored = " ".join(web[i][0] for i in ids).split()
        assert _words_match(stored, tokens), (verse_id, stored[:8], tokens[:8])
        assert bool(web[verse_id][1]) == (verse_id in web_source.OMITTED) == (not tokens)
        seen.update(ids)
    assert seen == set(web) and len(web) == 31_102


@needs_module
def test_the_shipped_web_is_what_the_build_reads(web) -> None:
    built = {verse_id: (text, int(omitted)) for verse_id, text, omitted in web_source.web_texts()}
    assert built == web


def test_the_module_quotes_are_kept(web) -> None:
    genesis_3_1 = web[1003001][0]
    assert "He said to the woman, “Has God really said, ‘You shall not eat of any tree" in (
        genesis_3_1
    )
    assert genesis_3_1.endswith("of the garden’?”")
    assert "I’m not worthy to loosen" in web[43001027][0]  # apostrophes: typographic too
    texts = [text for text, _ in web.values()]
    assert not [t for t in texts if "`" in t or '"' in t]
    # an opening quote is never a closing one (the old edition's `said, ’You`)
    assert not [t for t in texts if re.search(r"(?:^|[\s—(])[’”]\w", t)]


def test_the_numbering_differences(web) -> None:
    romans_14 = [web[i][0] for i in (45014023, 45014024, 45014025, 45014026)]
    assert romans_14[0].endswith("whatever is not of faith is sin.")
    assert romans_14[1].startswith("Now to him who is able to establish you")
    assert romans_14[2].startswith("but now is revealed")
    assert (
        romans_14[3]
        == "to the only wise God, through Jesus Christ, to whom be the glory forever! Amen."
    )
    assert 45016025 not in web and web[45016024][0].startswith("The grace of our Lord")
    assert web[62005007][0] == "For there are three who testify:"  # no "in heaven" clause
    assert web[64001014][0].endswith(
        "Peace be to you. The friends greet you. Greet the friends by name."
    )
    assert 64001015 not in web and 66012018 not in web
    assert web[66013001][0].startswith("Then I stood on the sand of the sea.")
    assert web[39004006][0].startswith("He will turn the hearts of the fathers")  # Malachi 4
    assert web[66022021][0] == "The grace of the Lord Jesus Christ be with all the saints. Amen."


def test_omitted_verses_are_flagged(web) -> None:
    omitted = {verse_id for verse_id, (text, flag) in web.items() if flag}
    assert omitted == web_source.OMITTED
    assert all(web[i][0] == "" for i in omitted)


def test_notes_headings_and_quotation_ends_become_spaces_only_between_words() -> None:
    text = web_source.verse_text
    assert text('<w>God</w><note placement="foot">Elohim</note><w>created</w>') == "God created"
    assert text("Christ,<note>Messiah</note><w>the</w> son") == "Christ, the son"
    assert text("my brothers </q><note>or siblings</note><q>that they") == "my brothers that they"
    assert text("righteousness.”</q>Then he allowed him.") == "righteousness.” Then he allowed him."
    assert text("of the earth<note>x</note>. Amen") == "of the earth. Amen"
    assert text('<title type="psalm">ALEPH</title> <l/>Blessed are') == "Blessed are"
    assert text("<speaker>Beloved</speaker>Let him kiss me") == "Let him kiss me"
    end = '<div canonical="true" eID="gen1" osisID="Rev" type="book"/> <title>Glossary</title>'
    assert text(f"saints. Amen. <chapter eID='Rev.22'/>{end} Abba is...") == "saints. Amen."
    assert text("A &amp; B\x07") == "A & B"


def test_a_changed_doxology_stops_the_build() -> None:
    with pytest.raises(ValueError, match="doxology"):
        web_source.split_doxology("But he who doubts is condemned. Now to him who is able")


def test_a_missing_module_is_a_clear_build_error(tmp_path) -> None:
    with pytest.raises(SystemExit, match="apt-get install sword-text-web"):
        next(web_source.web_texts(tmp_path))
