"""The baseline store for bench_chat.py: the chat transactions of `ChatService`, done with
synchronous SQLAlchemy (sqlite3 driver, the same pragmas and BEGIN IMMEDIATE) and meant to be
called from worker threads, as a backend built on sync sessions in a thread pool would."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, event, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import sessionmaker

from verse_tui.db.engine import SQLITE_PRAGMAS
from verse_tui.db.models.chats import Chat, Message
from verse_tui.domain.chat import StreamFinished


class SyncChatStore:
    """The baseline: the same transactions with synchronous SQLAlchemy (sqlite3 driver, the
    same pragmas and BEGIN IMMEDIATE), meant to be called from worker threads."""

    def __init__(self, path: Path, user_id: int) -> None:
        self.engine = create_engine(f"sqlite:///{path}")
        self.user_id = user_id

        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection: object, _record: object) -> None:
            dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
            for pragma in SQLITE_PRAGMAS:
                dbapi_connection.execute(pragma)  # type: ignore[attr-defined]

        @event.listens_for(self.engine, "begin")
        def _on_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.checkpoints = 0

    def start(self, question: str) -> int:
        now = datetime.now(UTC)
        with self.sessions.begin() as session:
            chat = Chat(user_id=self.user_id, title=question, created_at=now, updated_at=now)
            session.add(chat)
            session.flush()
            session.add(
                Message(
                    chat_id=chat.id,
                    role="user",
                    text=question,
                    status="complete",
                    was_truncated=False,
                    created_at=now,
                    updated_at=now,
                )
            )
            reply = Message(
                chat_id=chat.id,
                role="assistant",
                text="",
                status="streaming",
                was_truncated=False,
                created_at=now,
                updated_at=now,
            )
            session.add(reply)
            session.flush()
            return reply.id

    def checkpoint(self, reply_id: int, text: str) -> None:
        self._update(reply_id, text=text, status="streaming")
        self.checkpoints += 1

    def finish(self, reply_id: int, done: StreamFinished) -> None:
        self._update(
            reply_id,
            text=done.text,
            status="complete",
            stop_reason=done.stop_reason,
            was_truncated=done.was_truncated,
            input_tokens=done.input_tokens,
            output_tokens=done.output_tokens,
            model=done.model,
        )

    def fail(self, reply_id: int, text: str, error: str) -> None:
        self._update(reply_id, text=text, status="failed", error=error)

    def _update(self, reply_id: int, **values: object) -> None:
        now = datetime.now(UTC)
        with self.sessions.begin() as session:
            session.execute(
                update(Message).where(Message.id == reply_id).values(updated_at=now, **values)
            )

    def count_saved(self, expected: str) -> int:
        with self.sessions.begin() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(Message)
                    .where(
                        Message.role == "assistant",
                        Message.status == "complete",
                        Message.text == expected,
                    )
                )
                or 0
            )

    def close(self) -> None:
        self.engine.dispose()
