"""ChatService streaming against the fake server: the seven tests the original backend failed,
and the rest of the chat API. Real anthropic client, real temporary SQLite at head."""

from __future__ import annotations

import pytest

from tests.chat.conftest import collect
from tests.conftest import ManualClock
from tests.support.fake_anthropic import Cut, FakeAnthropic, Reply
from verse_tui.domain.bible import Passage
from verse_tui.domain.chat import StreamFailed, StreamFinished, StreamStarted, TextDelta
from verse_tui.errors import InputError, NotFoundError
from verse_tui.llm.prompts import CONTINUE_INSTRUCTION
from verse_tui.services.chats import ChatService, short_title

QUESTION = "What does 'only begotten' mean here?"


def reply_of(events: list) -> tuple[StreamStarted, list[str], StreamFinished]:
    started, *middle, finished = events
    assert isinstance(started, StreamStarted) and isinstance(finished, StreamFinished)
    assert all(isinstance(e, TextDelta) for e in middle)
    return started, [e.text for e in middle], finished


async def test_chat_service_send_message_stream(
    chats: ChatService, john3: Passage, fake_anthropic: FakeAnthropic
) -> None:
    chat = await chats.create_chat(john3)
    assert chat.reference == "John 3:16–17" and chat.translation == "KJV"
    fake_anthropic.enqueue(
        Reply(
            chunks=("The Greek ", "monogenēs ", "means unique."), input_tokens=321, output_tokens=9
        )
    )
    started, deltas, finished = reply_of(
        await collect(chats.send_message_stream(chat.id, QUESTION))
    )
    assert deltas == ["The Greek ", "monogenēs ", "means unique."]
    assert finished.text == "The Greek monogenēs means unique."
    saved = await chats.get_chat(chat.id)
    question, answer = saved.messages
    assert (question.id, question.role, question.text, question.status) == (
        started.user_message_id,
        "user",
        QUESTION,
        "complete",
    )
    assert answer.id == started.message_id and answer.role == "assistant"
    assert answer.text == finished.text and answer.status == "complete"
    assert (answer.stop_reason, answer.was_truncated) == ("end_turn", False)
    assert (answer.input_tokens, answer.output_tokens) == (321, 9)
    assert answer.model == finished.model == started.model
    assert saved.title == QUESTION  # the first question names the chat
    body = fake_anthropic.requests[0].body
    assert body["messages"] == [{"role": "user", "content": QUESTION}]
    assert "3:16 For God so loved the world" in body["system"][1]["text"]


async def test_chat_service_send_standalone_message_stream(
    chats: ChatService, john3: Passage, fake_anthropic: FakeAnthropic
) -> None:
    chat = await chats.create_standalone_chat()
    assert chat.is_standalone and chat.title == "New chat"
    fake_anthropic.enqueue(Reply(chunks=("Grace is ", "unearned favour.")))
    first = reply_of(await collect(chats.send_standalone_message_stream(chat.id, "Grace?")))
    fake_anthropic.enqueue(Reply(chunks=("See Ephesians 2:8.",)))
    second = reply_of(await collect(chats.send_standalone_message_stream(chat.id, "Where?")))
    assert first[2].text == "Grace is unearned favour." and second[2].text == "See Ephesians 2:8."
    assert fake_anthropic.requests[1].body["messages"] == [
        {"role": "user", "content": "Grace?"},
        {"role": "assistant", "content": "Grace is unearned favour."},
        {"role": "user", "content": "Where?"},
    ]
    assert len(fake_anthropic.requests[1].body["system"]) == 1  # no passage context
    saved = await chats.get_chat(chat.id)
    assert [m.status for m in saved.messages] == ["complete"] * 4
    assert saved.title == "Grace?"
    anchored = await chats.create_chat(john3)
    with pytest.raises(InputError, match="John 3:16–17"):
        await collect(chats.send_standalone_message_stream(anchored.id, "Hello"))


async def test_chat_service_create_standalone_chat_stream(
    chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    question = "Who were the Pharisees, and why do they argue with Jesus so often in the gospels?"
    fake_anthropic.enqueue(Reply(chunks=("A Jewish ", "renewal movement.")))
    started, _, finished = reply_of(await collect(chats.create_standalone_chat_stream(question)))
    listed = await chats.list_chats()
    assert [c.id for c in listed] == [started.chat_id]
    assert (
        listed[0].title
        == short_title(question)
        == ("Who were the Pharisees, and why do they argue with Jesus so…")
    )
    assert listed[0].is_standalone and listed[0].message_count == 2
    saved = await chats.get_chat(started.chat_id)
    assert [m.text for m in saved.messages] == [question, "A Jewish renewal movement."]
    assert saved.messages[1].status == "complete" and finished.was_truncated is False


async def _truncation(
    chats: ChatService, fake: FakeAnthropic, chat_id: int, stop: str | None, *, standalone: bool
) -> tuple[StreamFinished, bool, str | None]:
    fake.enqueue(Reply(chunks=("In the beginning ", "was the Word"), stop_reason=stop))
    send = chats.send_standalone_message_stream if standalone else chats.send_message_stream
    _, _, finished = reply_of(await collect(send(chat_id, "Read it", max_tokens=5)))
    assert fake.requests[-1].body["max_tokens"] == 5
    answer = (await chats.get_chat(chat_id)).messages[-1]
    assert answer.status == "complete" and answer.text == "In the beginning was the Word"
    return finished, answer.was_truncated, answer.stop_reason


async def test_was_truncated_field_when_max_tokens(
    chats: ChatService, john3: Passage, fake_anthropic: FakeAnthropic
) -> None:
    chat = await chats.create_chat(john3)
    finished, saved, stop = await _truncation(
        chats, fake_anthropic, chat.id, "max_tokens", standalone=False
    )
    assert finished.was_truncated is True and saved is True and stop == "max_tokens"


async def test_was_truncated_field_when_end_turn(
    chats: ChatService, john3: Passage, fake_anthropic: FakeAnthropic
) -> None:
    chat = await chats.create_chat(john3)
    finished, saved, stop = await _truncation(
        chats, fake_anthropic, chat.id, "end_turn", standalone=False
    )
    assert finished.was_truncated is False and saved is False and stop == "end_turn"


async def test_was_truncated_field_standalone_chat_max_tokens(
    chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    chat = await chats.create_standalone_chat()
    finished, saved, stop = await _truncation(
        chats, fake_anthropic, chat.id, "max_tokens", standalone=True
    )
    assert finished.was_truncated is True and saved is True and stop == "max_tokens"


async def test_was_truncated_field_standalone_chat_complete(
    chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    chat = await chats.create_standalone_chat()
    finished, saved, stop = await _truncation(
        chats, fake_anthropic, chat.id, "end_turn", standalone=True
    )
    assert finished.was_truncated is False and saved is False and stop == "end_turn"


async def test_a_reply_whose_stream_ends_early_is_failed_and_can_continue(
    chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    """A body that ends cleanly mid-answer (no message_stop) is not a complete reply."""
    fake_anthropic.enqueue(Reply(chunks=("Love is ", "patient, ", "lost"), cut=Cut("end", after=2)))
    events = await collect(chats.create_standalone_chat_stream("1 Cor 13?"))
    started, failed = events[0], events[-1]
    assert isinstance(started, StreamStarted) and isinstance(failed, StreamFailed)
    assert (failed.kind, failed.partial_text, failed.retryable) == (
        "ended_early",
        "Love is patient, ",
        True,
    )
    saved = await chats.get_message(started.message_id)
    assert (saved.status, saved.text, saved.stop_reason) == ("failed", "Love is patient, ", None)
    assert saved.error == failed.message and "ended before it was finished" in saved.error
    fake_anthropic.enqueue(Reply(chunks=("love is kind.",)))
    _, _, finished = reply_of(await collect(chats.continue_message_stream(started.message_id)))
    assert finished.text == "Love is patient, love is kind."
    answer = await chats.get_message(started.message_id)
    assert (answer.status, answer.text) == ("complete", finished.text)


async def test_continue_a_truncated_reply_appends_to_it(
    chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(
        Reply(
            chunks=("Love is patient, ",),
            stop_reason="max_tokens",
            input_tokens=10,
            output_tokens=4,
        )
    )
    started, _, _ = reply_of(await collect(chats.create_standalone_chat_stream("1 Cor 13?")))
    fake_anthropic.enqueue(Reply(chunks=("love is kind.",), input_tokens=20, output_tokens=3))
    again, deltas, finished = reply_of(
        await collect(chats.continue_message_stream(started.message_id))
    )
    assert again.message_id == started.message_id and again.user_message_id is None
    assert deltas == ["love is kind."] and finished.text == "Love is patient, love is kind."
    assert fake_anthropic.requests[1].body["messages"] == [
        {"role": "user", "content": "1 Cor 13?"},
        {"role": "assistant", "content": "Love is patient,"},
        {"role": "user", "content": CONTINUE_INSTRUCTION},
    ]
    answer = await chats.get_message(started.message_id)
    assert (answer.text, answer.status, answer.was_truncated) == (finished.text, "complete", False)
    assert (answer.input_tokens, answer.output_tokens) == (30, 7)
    with pytest.raises(InputError, match="nothing to continue"):
        await collect(chats.continue_message_stream(started.message_id))
    with pytest.raises(InputError, match="only replies"):
        await collect(chats.continue_message_stream(started.user_message_id or 0))


async def test_list_rename_search_delete(
    chats: ChatService, john3: Passage, fake_anthropic: FakeAnthropic
) -> None:
    older = await chats.create_chat(john3)
    await collect(chats.send_message_stream(older.id, "Why 'so loved'?"))
    newer = await chats.create_standalone_chat("Psalms")
    assert [c.id for c in await chats.list_chats()] == [newer.id, older.id]
    renamed = await chats.rename_chat(older.id, "  God's   love ")
    assert renamed.title == "God's love" and renamed.message_count == 2
    with pytest.raises(InputError):
        await chats.rename_chat(older.id, "   ")
    hits = await chats.search_messages("SO LOVED")
    assert {h.message.role for h in hits} == {"user", "assistant"}
    assert all(h.chat_title == "God's love" and "«so loved»" in h.snippet for h in hits)
    assert await chats.search_messages("100%") == ()  # wildcards are literal
    with pytest.raises(InputError):
        await chats.search_messages("  ")
    await chats.delete_chat(older.id)
    assert [c.id for c in await chats.list_chats()] == [newer.id]
    assert await chats.search_messages("loved") == ()
    with pytest.raises(NotFoundError, match="verse chats list"):
        await chats.get_chat(older.id)
    with pytest.raises(NotFoundError):
        await chats.delete_chat(older.id)


async def test_bad_input_saves_nothing(chats: ChatService, fake_anthropic: FakeAnthropic) -> None:
    chat = await chats.create_standalone_chat()
    with pytest.raises(InputError, match="Type a question"):
        await collect(chats.send_message_stream(chat.id, "   \n"))
    with pytest.raises(InputError, match="max-tokens"):
        await collect(chats.send_message_stream(chat.id, "Hi", max_tokens=0))
    with pytest.raises(NotFoundError):
        await collect(chats.send_message_stream(chat.id + 99, "Hi"))
    assert (await chats.get_chat(chat.id)).messages == ()
    assert fake_anthropic.request_count == 0


async def test_send_message_waits_for_the_whole_reply(
    chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    chat = await chats.create_standalone_chat()
    answer = await chats.send_message(chat.id, "Who was Ruth?")
    assert answer.role == "assistant" and answer.status == "complete"
    assert answer.text == "Echo: Who was Ruth?"  # the fake's default reply echoes the question


async def test_chats_are_listed_by_last_activity(chats: ChatService, clock: ManualClock) -> None:
    first = await chats.create_standalone_chat("First")
    clock.advance(minutes=1)
    second = await chats.create_standalone_chat("Second")
    clock.advance(minutes=1)
    assert [c.id for c in await chats.list_chats()] == [second.id, first.id]
    await collect(chats.send_message_stream(first.id, "Still there?"))
    listed = await chats.list_chats()
    assert [c.id for c in listed] == [first.id, second.id]
    assert listed[0].updated_at == clock() and listed[1].updated_at < clock()
    assert (await chats.get_chat(first.id)).summary.updated_at == clock()
