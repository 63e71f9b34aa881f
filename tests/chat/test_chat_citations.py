"""A chat reply's citations checked per finished paragraph while it streams, stored with the
reply, and listed by `verse chat --json` and `verse chats show --json`."""

from __future__ import annotations

import pytest

from tests.chat.conftest import collect
from tests.support.fake_anthropic import Cut, FakeAnthropic, Reply
from verse_tui.app_factory import Services
from verse_tui.domain.chat import CitationsChecked, StreamFailed, StreamFinished, TextDelta
from verse_tui.llm.client import LlmClient
from verse_tui.services.chats import ChatService

PARAGRAPHS = (
    'John 3:16 says "For God so loved the world, that he gave his only begotten Son".\n\n',
    'Paul wrote in Romans 5:8 that "God commendeth his hatred toward us".\n\n',
    "See also John 22:5.",
)


@pytest.fixture
def checked_chats(services: Services, llm: LlmClient) -> ChatService:
    return ChatService(services.context, llm, bible=services.bible)


def chunks_of(text: str, size: int = 9) -> tuple[str, ...]:
    return tuple(text[i : i + size] for i in range(0, len(text), size))


async def test_citations_arrive_per_paragraph_and_are_stored_with_the_reply(
    checked_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(Reply(chunks=chunks_of("".join(PARAGRAPHS))))
    events = await collect(checked_chats.create_standalone_chat_stream("Quote some verses"))
    checked = [e for e in events if isinstance(e, CitationsChecked)]
    verdicts = [(c.reference, c.verdict) for e in checked for c in e.citations]
    assert verdicts == [
        ("John.3.16", "verified"),
        ("Rom.5.8", "misquoted"),
        (None, "no-such-verse"),
    ]
    # each paragraph's marks come right after the delta that finished it, the last at the end
    first = events.index(checked[0])
    seen = "".join(e.text for e in events[:first] if isinstance(e, TextDelta))
    assert seen.startswith(PARAGRAPHS[0]) and len(seen) < len(PARAGRAPHS[0]) + 9
    assert isinstance(events[-1], StreamFinished) and events[-2] is checked[-1]

    saved = await checked_chats.get_message(events[0].message_id)  # type: ignore[union-attr]
    assert saved.citations == tuple(c for e in checked for c in e.citations)
    verified = saved.citations[0]
    assert verified.quote is not None and verified.quote.startswith("For God so loved")
    assert verified.as_json()["translation"] == "KJV"
    text = saved.text
    assert text[saved.citations[1].start : saved.citations[1].end] in PARAGRAPHS[1]


async def test_a_dropped_reply_keeps_the_citations_checked_so_far(
    checked_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    chunks = chunks_of("".join(PARAGRAPHS))
    fake_anthropic.enqueue(Reply(chunks=chunks, cut=Cut("drop", after=len(chunks) - 2)))
    events = await collect(checked_chats.create_standalone_chat_stream("Quote"))
    assert isinstance(events[-1], StreamFailed)
    saved = await checked_chats.get_message(events[0].message_id)  # type: ignore[union-attr]
    assert saved.status == "failed"
    assert [c.verdict for c in saved.citations] == ["verified", "misquoted"]

    fake_anthropic.enqueue(Reply(chunks=("5 and John 3:17.",)))
    await collect(checked_chats.continue_message_stream(saved.id))
    again = await checked_chats.get_message(saved.id)
    assert [c.reference for c in again.citations][:2] == ["John.3.16", "Rom.5.8"]
    assert again.citations[-1].reference == "John.3.17"
