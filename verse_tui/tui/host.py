"""The running `VerseApp`, typed, for the screens and widgets that use its services.

Textual types `node.app` as `App[object]`; every screen, widget and command provider of this
package runs inside a `VerseApp`, so `verse_app(node)` says so once, here, instead of a
`type: ignore` at each use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from verse_tui.errors import VerseError

if TYPE_CHECKING:
    from textual.app import App

    from verse_tui.app_factory import Services
    from verse_tui.services.study_library import StudyService
    from verse_tui.tui.app import VerseApp


class InApp(Protocol):
    """A DOM node or a command provider: anything Textual gives an `app`."""

    @property
    def app(self) -> App[object]: ...


def verse_app(node: InApp) -> VerseApp:
    """The app `node` runs in."""
    return cast("VerseApp", node.app)


def services(node: InApp) -> Services:
    """The app's full services (the user database and everything that needs it).

    The places that use them open only once they are loaded (`VerseApp.library_status`);
    should one be reached earlier, the user is told why rather than shown a traceback.
    """
    app = verse_app(node)
    loaded: Services | None = app.services
    if loaded is None:
        raise VerseError(app.library_status() or "Your library is not open yet.")
    return loaded


def study_library(node: InApp) -> StudyService:
    """The offline study library (lexicon, concordance, commentaries) of the running app."""
    study = services(node).study
    if study is None:
        raise VerseError("The offline study library is not part of this installation of Verse.")
    return study
