"""The offline glossary: the shipped file, its lookups and its normalisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verse_tui.bible.glossary import Glossary, GlossaryUnavailableError, normalise, shipped_glossary
from verse_tui.config import shipped_data_dir


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return shipped_glossary()


def test_shipped_file_is_compact_and_records_its_sources() -> None:
    path = shipped_data_dir() / "glossary.json"
    assert path.stat().st_size < 1_200_000
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "GCIDE" in data["source"]["definitions"]
    assert "GPL" in data["source"]["definitions"]
    assert len(data["entries"]) > 250


@pytest.mark.parametrize(
    ("word", "headword", "modern"),
    [
        ("hath", "hath", "has"),
        ("Hath,", "hath", "has"),
        ("spake", "spake", "spoke"),
        ("saith", "saith", "says"),
        ("wist", "wist", "knew"),
        ("trow", "trow", "believe"),
        ("charity", "charity", "love"),
        ("conversation", "conversation", "behavior"),
        ("an hungred", "hungred", "hungry"),
        ("An  Hungred", "hungred", "hungry"),
        ("shew", "shew", "show"),
    ],
)
def test_archaic_words_have_a_modern_equivalent(
    glossary: Glossary, word: str, headword: str, modern: str
) -> None:
    first = glossary.lookup(word)[0]
    assert (first.headword, first.modern) == (headword, modern)
    assert first.senses and first.senses[0].text


def test_forms_lead_to_their_word(glossary: Glossary) -> None:
    hath = glossary.lookup("hath")[0]
    assert hath.lemma == "have" and "archaic" in hath.senses[0].labels
    begat = glossary.lookup("begat")[0]
    assert begat.headword == "beget" and "past" in (begat.form_note or "")
    for form in ("shewed", "sheweth", "shewedst"):
        assert glossary.lookup(form)[0].headword == "shew", form


def test_eth_and_est_endings_of_modern_verbs_are_explained(glossary: Glossary) -> None:
    loveth = glossary.lookup("loveth")[0]
    assert (loveth.headword, loveth.modern) == ("love", "loves")
    assert "third person" in (loveth.form_note or "")
    knowest = glossary.lookup("knowest")[0]
    assert (knowest.headword, knowest.modern) == ("know", "know")
    assert "thou" in (knowest.form_note or "")


def test_false_friends_keep_the_old_sense_first(glossary: Glossary) -> None:
    let = glossary.lookup("let")[0]
    assert "hinder" in let.senses[0].text and "archaic" in let.senses[0].labels
    prevent = glossary.lookup("prevent")[0]
    assert prevent.senses[0].text.startswith("To go before")
    conversation = glossary.lookup("conversation")[0]
    assert "conduct" in conversation.senses[0].text
    quick = glossary.lookup("quick")[0]
    assert "Alive" in quick.senses[0].text


@pytest.mark.parametrize("word", ["love", "God", "computer", "", "   ", "greatest", "12"])
def test_modern_words_and_junk_are_misses(glossary: Glossary, word: str) -> None:
    assert glossary.lookup(word) == ()


def test_normalise() -> None:
    assert normalise("  Hath, ") == "hath"
    assert normalise("Charity\u2019s") == "charity"
    assert normalise("an   Hungred.") == "an hungred"


def test_a_damaged_or_newer_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "glossary.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(GlossaryUnavailableError, match="build_glossary"):
        Glossary.load(bad)
    bad.write_text(json.dumps({"format": 99}), encoding="utf-8")
    with pytest.raises(GlossaryUnavailableError, match="format 99"):
        Glossary.load(bad)


# Archaic KJV words and KJV senses (Trinitarian Bible Society-style word lists), each in the
# KJV text; the misses (holpen, ouches, divers, sundry, nigh, kinsman, ague) included.
ARCHAIC = """
abase abide adjure afore ague albeit alms amerce anon apace apothecary arrayed asunder athirst
beeves bestead betimes bewray bier blains boughs bruit buckler caul chapmen chode churl cieled
cockatrice concupiscence cracknels cruse cubit damsel dayspring descry divers dromedary durst
earing ebony emerods ensample ere espy fain fatling felloes fitches flagon fleeth forasmuch
froward gat gin glede goodman graven habergeon haft halt haply hart helve hin holpen homer
hough husbandman implead inasmuch jot kine kinsman knop laver leasing lees lucre mammon maw
meet mete minish mote murrain nigh nitre noisome ouches paps pate peradventure pilled pottage
privily raiment rereward ringstraked sackbut scall scrip seethe selvedge shambles sheepcote
shew shittim sith sop sottish spake stomacher strait sundry swaddling tabret targets teil tithe
tittle trow twain unwittingly usury vaunt verily vesture victuals wax wen wimples winebibber
wist withal wont wot wrest wroth yea besom
""".split()  # noqa: SIM905


def test_at_least_95_percent_of_archaic_kjv_words_are_found(glossary: Glossary) -> None:
    missing = [word for word in ARCHAIC if not glossary.lookup(word)]
    assert len(missing) <= len(ARCHAIC) * 0.05, missing
    for word in ("holpen", "ouches", "divers", "sundry", "nigh", "kinsman", "ague"):
        assert glossary.lookup(word), word


def test_common_modern_words_stay_out(glossary: Glossary) -> None:
    assert not glossary.lookup("love") and not glossary.lookup("loved")
    assert not glossary.lookup("the")


def test_part_of_speech_from_the_word_before() -> None:
    from verse_tui.bible.glossary import part_of_speech_in

    text = "I will sweep it with the besom of destruction, saith the LORD of hosts."
    assert part_of_speech_in("besom", text) == "n."
    assert part_of_speech_in("sweep", text) == "v."
    assert part_of_speech_in("destruction", text) is None
    assert part_of_speech_in("absent", text) is None
