"""`verse read REF [--translation CODE] [--json]`: print a passage.

Plain text: the reference and translation, then one verse per line ("16 For God so loved...");
a verse the translation leaves out is shown as omitted. `--json` prints
{"reference", "translation", "verses": [{"osis", "book", "chapter", "verse", "text",
"supplied"}]} with the text free of the supplied-word brackets and "supplied" the [start, end)
character offsets of those (italic) words in it ("omitted": true marks a left-out verse, and
"note" appears when verses were found elsewhere in this translation's numbering). In the KJV a
verse with a psalm title before it (Psalm 3's superscription, Psalm 119's stanza letters) has
"title"; plain text prints the title on its own line before the verse.
"""

from __future__ import annotations

from verse_tui.bible import canon
from verse_tui.bible.references import parse_reference
from verse_tui.cli._kit import UsageError, open_bible, parse_args, print_json, run
from verse_tui.domain.bible import Passage, VerseRef

USAGE = """usage: verse read REFERENCE [--translation CODE] [--json]

Print a Bible passage, e.g. verse read "John 3:16", "Ps 23", "1 Cor 13:4-7".

options:
  -t, --translation CODE  translation code (see `verse translations`)
  --json                  print JSON for scripts
  -h, --help              show this help"""
OPTIONS = {"-t": "translation", "--translation": "translation"}
FLAGS = {"--json": "json"}


def supplied_spans(text: str) -> list[list[int]]:
    """[start, end) offsets, in the text without brackets, of each [supplied] word group."""
    spans, removed, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "[":
            start = index - removed
            removed += 1
        elif char == "]":
            removed += 1
            spans.append([start, index - removed + 1])
    return spans


def psalm_titles(passage: Passage) -> dict[VerseRef, str]:
    """The KJV's titles before the verses of a passage that has psalms; {} otherwise, or
    when the study library is missing (reading never fails for want of it)."""
    psalms = [v.ref for v in passage.verses if v.ref.book == 19]
    if passage.translation != "KJV" or not psalms:
        return {}
    from verse_tui.bible.sqlite_study_client import (
        SqliteStudyClient,
        StudyDataError,
        study_db_path,
    )

    try:
        client = SqliteStudyClient(study_db_path())
    except StudyDataError:
        return {}
    try:
        return client.titles(min(psalms), max(psalms))
    finally:
        client.close()


def passage_json(passage: Passage, titles: dict[VerseRef, str] | None = None) -> dict[str, object]:
    verses = []
    for v in passage.verses:
        item: dict[str, object] = {
            "osis": v.osis,
            "book": canon.book(v.ref.book).name,
            "chapter": v.ref.chapter,
            "verse": v.ref.verse,
            "text": v.plain_text,
            "supplied": supplied_spans(v.text),
        }
        if titles and v.ref in titles:
            item["title"] = titles[v.ref]
        if v.omitted:
            item["omitted"] = True
        verses.append(item)
    result: dict[str, object] = {
        "reference": passage.reference,
        "translation": passage.translation,
        "verses": verses,
    }
    if passage.note:
        result["note"] = passage.note
    return result


def passage_lines(passage: Passage, titles: dict[VerseRef, str] | None = None) -> list[str]:
    """The header, an optional note, then "N text" per verse; a new chapter gets a heading
    (so does the first verse when the note says the verses stand elsewhere)."""
    lines = [f"{passage.reference} ({passage.translation})"]
    chapter: tuple[int, int] | None = None
    if passage.note:
        lines.append(f"Note: {passage.note}")
        chapter = (0, 0)
    for v in passage.verses:
        if chapter is not None and (v.ref.book, v.ref.chapter) != chapter:
            lines.append(f"{canon.book(v.ref.book).name} {v.ref.chapter}")
        chapter = (v.ref.book, v.ref.chapter)
        if titles and v.ref in titles:
            lines.append(titles[v.ref])
        text = f"(omitted in the {passage.translation})" if v.omitted else v.plain_text
        lines.append(f"{v.ref.verse} {text}")
    return lines


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, OPTIONS, FLAGS)
        if not words:
            raise UsageError("say which passage to read.")
        reference = parse_reference(" ".join(words))
        client, settings = open_bible()
        passage = client.passage(str(options.get("translation") or settings.translation), reference)
        titles = psalm_titles(passage)
        if options.get("json"):
            print_json(passage_json(passage, titles))
        else:
            print("\n".join(passage_lines(passage, titles)))
        return 0

    return run("read", USAGE, body)
