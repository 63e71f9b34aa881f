"""A long, realistic Markdown reply for the chat screen's benchmark and tests.

Headings, paragraphs citing verses, bullet and numbered lists, block quotes, code blocks and
a table, repeated with variations until the reply is as long as asked. Deterministic.
"""

from __future__ import annotations

SECTION = """## {n}. {title}

Paul's words in Romans 5:8 sit beside John 3:16 as the clearest statements of the theme.
The passage turns on **grace** and *faith*; compare Ephesians 2:8-9 and Galatians 2:20,
where the same verbs return. Commentators differ here, and that is worth saying plainly.

- The setting: a letter to a church Paul had not yet visited (Rom 1:10-13).
- The argument: from universal need (Rom 3:23) to provision (Rom 5:8).
- The response: a life offered (Rom 12:1), not a ritual repeated.

1. Read the verse slowly, aloud if you can.
2. Note every verb and who does it.
3. Ask what the first readers would have heard.

> "For God so loved the world, that he gave his only begotten Son" (John 3:16).
> The KJV's *so* means "in this way", not only "so much".

```python
# Counting the verbs of a verse, as an exercise {n}
verse = "For God so loved the world, that he gave his only begotten Son"
verbs = ["loved", "gave"]
print(sum(verse.count(v) for v in verbs))
```

| Word | Greek | Sense |
|------|-------|-------|
| love | agapao | self-giving regard |
| world | kosmos | humanity in its need |

"""

TITLES = (
    "The love that comes first",
    "Grace and the law",
    "Faith as trust",
    "The new life",
    "Hope that does not disappoint",
)


def long_reply(size: int = 30_000) -> str:
    """A Markdown reply of at least `size` characters (about `size` bytes of ASCII)."""
    parts: list[str] = ["Here is a study of the passage, section by section.\n\n"]
    n = 0
    while sum(map(len, parts)) < size:
        n += 1
        parts.append(SECTION.format(n=n, title=TITLES[n % len(TITLES)]))
    parts.append("In short: read Romans 5:8 in its context, then John 3:16 again.")
    return "".join(parts)


CITED = (
    "{n}. The writer says {quote} ({reference}), and the words around it bear this out: read "
    "the verse in its chapter, note who speaks and to whom, and what the verb asks of the "
    "reader.\n\n"
)


def cited_reply(count: int = 40, bible_path: str | None = None) -> str:
    """A reply of `count` paragraphs, each quoting a real KJV verse (its first eight words)
    with its reference: John 1:3, 1:5, 2:3, 2:5, ... Every seventh quotation has one word
    changed (a close or misquoted verdict) and every tenth cites a verse that does not exist
    (John 22:N). Deterministic; the text comes from the shipped Bible."""
    from pathlib import Path

    from verse_tui.bible.references import parse_reference
    from verse_tui.bible.sqlite_bible_client import SqliteBibleClient

    root = Path(__file__).resolve().parents[2]
    bible = SqliteBibleClient(Path(bible_path) if bible_path else root / "data" / "bible.sqlite")
    parts = ["Here is what the text itself says, verse by verse.\n\n"]
    for n in range(1, count + 1):
        chapter, verse = (n + 1) // 2, 3 if n % 2 else 5
        reference = f"John {chapter}:{verse}"
        (found,) = bible.passage("KJV", parse_reference(reference)).verses
        words = found.plain_text.split()[:8]
        if n % 7 == 0:
            words[-1] = "indeed"
        if n % 10 == 0:
            reference = f"John 22:{n}"
        parts.append(CITED.format(n=n, quote=f"“{' '.join(words)}”", reference=reference))
    parts.append("Each of these can be read in the reader: press ctrl+t for the list.")
    return "".join(parts)
