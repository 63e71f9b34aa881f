"""The app's services for one command that needs more than the Bible text (`chat`, `chats`,
`define`, `insight`, `words`, `devices`). Never imported by `read`, `search` or
`translations`: building services loads SQLAlchemy and runs the start-up migration.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from verse_tui.app_factory import Services

T = TypeVar("T")


@asynccontextmanager
async def open_services() -> AsyncIterator[Services]:
    """The services built from the environment's settings, closed on the way out."""
    from verse_tui.app_factory import build_services
    from verse_tui.cli._kit import show_warnings
    from verse_tui.config import Settings

    settings = Settings.from_env()
    show_warnings(settings)
    services = await build_services(settings)
    for warning in services.warnings:
        print(f"verse: warning: {warning}", file=sys.stderr)
    try:
        yield services
    finally:
        await services.aclose()


def run_with_services(call: Callable[[Services], Awaitable[T]]) -> T:
    """Run `call` on freshly built services, in an event loop of its own."""

    async def go() -> T:
        async with open_services() as services:
            return await call(services)

    return asyncio.run(go())
