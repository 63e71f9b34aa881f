"""Builds everything the app and the tests need, once: settings -> Database -> migrations ->
device identity -> services. Nothing here runs at import time.

    services = await build_services(Settings.from_env())
    try: ...
    finally: await services.aclose()
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import Settings
from verse_tui.db.engine import Database
from verse_tui.db.migrate import MigrationResult, migrate
from verse_tui.db.repositories.startup import left_streaming
from verse_tui.llm.client import LlmClient
from verse_tui.llm.pricing import settings_prices
from verse_tui.llm.protocol import LanguageModel
from verse_tui.services.bible import BibleService
from verse_tui.services.chats import ChatService
from verse_tui.services.context import (
    BootstrapResult,
    Clock,
    ServiceContext,
    bootstrap_identity,
    system_clock,
)
from verse_tui.services.credential import load_or_create_credential
from verse_tui.services.definitions import DefinitionService
from verse_tui.services.device_link import DeviceLinkService
from verse_tui.services.insights import InsightService
from verse_tui.services.study_library import StudyService
from verse_tui.services.users import UserService


@dataclass
class Services:
    """The services the TUI and CLI use, sharing one Database and one device identity."""

    settings: Settings
    database: Database
    context: ServiceContext
    identity: BootstrapResult
    migration: MigrationResult
    bible: BibleService
    users: UserService
    # Chat, pairing, insights and definitions: all on the same `context` (`build_services`).
    chats: ChatService
    devices: DeviceLinkService
    insights: InsightService
    definitions: DefinitionService
    llm: LanguageModel | None = None  # the LlmClient (tests point it at a loopback fake)
    study: StudyService | None = None  # the offline study library (opens on first use)
    _bible_client: SqliteBibleClient | None = field(default=None, repr=False)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What to tell the user once at start-up (e.g. library files others could read)."""
        return self.database.warnings

    async def aclose(self) -> None:
        """Close the database pools and the Bible text connection."""
        try:
            if self.llm is not None:
                await self.llm.aclose()
            await self.database.dispose()
        finally:
            if self.study is not None:
                self.study.close()
            if self._bible_client is not None:
                self._bible_client.close()


async def build_services(
    settings: Settings, *, clock: Clock | None = None, llm: LanguageModel | None = None
) -> Services:
    """Open the database, migrate it, make sure this device exists, and build the services."""
    now = clock or system_clock
    prices = settings_prices(settings.prices)  # a bad [prices] table: a clear error, first
    database = await Database.open(settings.database_url)
    bible_client: SqliteBibleClient | None = None
    try:
        migration = await migrate(database)
        credential, created = await load_or_create_credential(settings.credential_path)
        identity = await bootstrap_identity(
            database,
            credential,
            credential_created=created,
            clock=now,
            default_translation=settings.translation,
        )
        context = ServiceContext(database, credential, now)
        context.touched(identity.seen_at)  # the bootstrap just wrote last_seen_at
        bible_client = await _open_bible(settings)
        bible = BibleService(bible_client)
        llm = llm if llm is not None else LlmClient.from_settings(settings)
        study = StudyService()  # study.sqlite opens on the first lookup, not at start-up
        chats = ChatService(
            context,
            llm,
            bible=bible,
            default_translation=settings.translation,
            prices=prices,
            study=study,
        )
        insights = InsightService(
            context, bible, llm, default_translation=settings.translation, study=study
        )
        streaming = await left_streaming(database)  # one read; usually nothing to mark
        if streaming.replies:
            await chats.mark_interrupted()  # replies left streaming by a process that died
        if streaming.insights:
            await insights.mark_interrupted()
        definitions = DefinitionService(
            context, bible, llm, default_translation=settings.translation, study=study
        )
        devices = DeviceLinkService(context, default_translation=settings.translation)
        await devices.purge_expired()  # wipe the hashes of pairing codes that lapsed meanwhile
        translations = tuple(t.code for t in await bible.translations())
        return Services(
            settings=settings,
            database=database,
            context=context,
            identity=identity,
            migration=migration,
            bible=bible,
            users=UserService(context, translations=translations),
            chats=chats,
            devices=devices,
            insights=insights,
            definitions=definitions,
            llm=llm,
            study=study,
            _bible_client=bible_client,
        )
    except BaseException:
        await database.dispose()
        if bible_client is not None:
            bible_client.close()
        raise


async def _open_bible(settings: Settings) -> SqliteBibleClient:
    return await asyncio.to_thread(SqliteBibleClient, settings.bible_path)
