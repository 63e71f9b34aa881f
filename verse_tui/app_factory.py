"""Builds everything the app and the tests need, once: settings -> Database -> migrations ->
device identity -> services. Nothing here runs at import time.

    services = await build_services(Settings.from_env())
    try: ...
    finally: await services.aclose()

Start-up builds only what every command needs (the database, this device, the Bible and the
user's preferences); each other service is built, and its modules imported, the first time
it is used. `verse whoami` thus never loads the Claude client, the chat streaming, the
citation check, the local tools or the price table. The TUI builds lazily too, checks the
settings the lazy services read (`check_settings`) before its library counts as open, and
builds the rest (`build_all`) once it is; `build_services(..., lazy=False)` (the tests)
builds everything at once.
"""

from __future__ import annotations

import asyncio
from functools import cached_property
from importlib import import_module
from typing import TYPE_CHECKING

from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import Settings
from verse_tui.db.engine import Database
from verse_tui.db.migrate import MigrationResult, migrate
from verse_tui.db.repositories.startup import startup_chores
from verse_tui.services.bible import BibleService
from verse_tui.services.context import (
    BootstrapResult,
    Clock,
    ServiceContext,
    bootstrap_identity,
    system_clock,
)
from verse_tui.services.credential import load_or_create_credential
from verse_tui.services.users import UserService

if TYPE_CHECKING:
    from verse_tui.llm.protocol import LanguageModel
    from verse_tui.services.chat_list import ChatListService
    from verse_tui.services.chats import ChatService
    from verse_tui.services.definitions import DefinitionService
    from verse_tui.services.device_link import DeviceLinkService
    from verse_tui.services.insights import InsightService
    from verse_tui.services.study_library import StudyService

LAZY_SERVICES = ("chat_list", "llm", "chats", "devices", "insights", "definitions", "study")
"""The services built on first use (`build_services(lazy=False)` builds them at once)."""
_SERVICE_MODULES = (
    "verse_tui.llm.client",
    "verse_tui.llm.pricing",
    "verse_tui.services.chat_list",
    "verse_tui.services.chats",
    "verse_tui.services.device_link",
    "verse_tui.services.insights",
    "verse_tui.services.definitions",
    "verse_tui.services.study_library",
)
"""What the lazy services import when built (`build_all` imports it off the event loop)."""


class Services:
    """The services the TUI and CLI use, sharing one Database and one device identity.

    `bible` and `users` exist from the start; `chat_list`, `llm` (the LlmClient, unless
    tests pass a loopback fake), `chats`, `devices`, `insights`, `definitions` and `study`
    (the offline study library, whose file opens on its first lookup) on first use.
    """

    def __init__(
        self,
        settings: Settings,
        context: ServiceContext,
        identity: BootstrapResult,
        migration: MigrationResult,
        bible: BibleService,
        bible_client: SqliteBibleClient,
        users: UserService,
        *,
        llm: LanguageModel | None = None,
    ) -> None:
        self.settings = settings
        self.database: Database = context.database
        self.context = context
        self.identity = identity
        self.migration = migration
        self.bible = bible
        self._bible_client = bible_client
        self.users = users
        if llm is not None:
            self.__dict__["llm"] = llm  # what `cached_property` would have built

    @property
    def warnings(self) -> tuple[str, ...]:
        """What to tell the user once at start-up (e.g. library files others could read)."""
        return self.database.warnings

    @cached_property
    def chat_list(self) -> ChatListService:
        """The chats as a list (list, rename, delete): none of the streaming machinery."""
        from verse_tui.services.chat_list import ChatListService

        return ChatListService(self.context)

    @cached_property
    def llm(self) -> LanguageModel:
        from verse_tui.llm.client import LlmClient

        return LlmClient.from_settings(self.settings)

    @cached_property
    def chats(self) -> ChatService:
        """Chats with Claude; a bad `[prices]` table in config.toml raises here."""
        from verse_tui.llm.pricing import settings_prices
        from verse_tui.services.chats import ChatService

        prices = settings_prices(self.settings.prices)
        translation = self.settings.translation
        return ChatService(
            self.context,
            self.llm,
            bible=self.bible,
            default_translation=translation,
            prices=prices,
            study=self.study,
        )

    @cached_property
    def devices(self) -> DeviceLinkService:
        from verse_tui.services.device_link import DeviceLinkService

        return DeviceLinkService(self.context, default_translation=self.settings.translation)

    @cached_property
    def insights(self) -> InsightService:
        from verse_tui.services.insights import InsightService

        translation = self.settings.translation
        return InsightService(
            self.context, self.bible, self.llm, default_translation=translation, study=self.study
        )

    @cached_property
    def definitions(self) -> DefinitionService:
        from verse_tui.services.definitions import DefinitionService

        return DefinitionService(
            self.context,
            self.bible,
            self.llm,
            default_translation=self.settings.translation,
            study=self.study,
        )

    @cached_property
    def study(self) -> StudyService:
        from verse_tui.services.study_library import StudyService

        return StudyService()

    def check_settings(self) -> None:
        """Raise now for a setting only a lazy service reads: a bad `[prices]` table."""
        from verse_tui.llm.pricing import settings_prices

        settings_prices(self.settings.prices)

    async def build_all(self) -> None:
        """Build every lazy service now (their errors, e.g. a bad price table, come out here).
        Their modules are imported in a thread first: ~100 ms that would stall the TUI."""
        await asyncio.to_thread(_import_all, _SERVICE_MODULES)
        for name in LAZY_SERVICES:
            getattr(self, name)

    async def aclose(self) -> None:
        """Close the database pools, the Claude client, the study library and the Bible text
        connection (what was never built needs no closing)."""
        built = self.__dict__
        try:
            if "llm" in built:
                await built["llm"].aclose()
            await self.database.dispose()
        finally:
            if "study" in built:
                built["study"].close()
            self._bible_client.close()


async def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    llm: LanguageModel | None = None,
    lazy: bool = False,
) -> Services:
    """Open the database, migrate it, make sure this device exists, and build the services
    (with `lazy`, only those every command needs; the others on first use)."""
    now = clock or system_clock
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
        translations = tuple(t.code for t in await bible.translations())
        users = UserService(context, translations=translations)
        services = Services(
            settings, context, identity, migration, bible, bible_client, users, llm=llm
        )
        if not lazy:
            await services.build_all()
        await _tidy(services)
        return services
    except BaseException:
        await database.dispose()
        if bible_client is not None:
            bible_client.close()
        raise


async def _tidy(services: Services) -> None:
    """What every start-up tidies: replies and insights left `streaming` by a process that
    died, the hashes of pairing codes that lapsed and old failed code look-ups. One read
    finds them; usually there are none, and then nothing is written or built for them."""
    chores = await startup_chores(services.database, services.context.now())
    if chores.replies:
        await services.chat_list.mark_interrupted()
    if chores.insights:
        await services.insights.mark_interrupted()
    if chores.lapsed_codes or chores.link_failures:
        await services.devices.purge_expired()


def _import_all(modules: tuple[str, ...]) -> None:
    for module in modules:
        import_module(module)


async def _open_bible(settings: Settings) -> SqliteBibleClient:
    return await asyncio.to_thread(SqliteBibleClient, settings.bible_path)
