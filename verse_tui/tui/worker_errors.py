"""The one place where failed workers become messages the user can act on.

Every screen or widget that starts service workers mixes in `ServiceCalls`; workers are
declared with `exit_on_error=False`, so an exception ends up here instead of closing the app.
The app mixes it in too: an exception nothing handled (a bug) closes the app with a
traceback, and `ServiceCalls._fatal_error` keeps that traceback free of local variables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.worker import Worker, WorkerState

from verse_tui.domain.text import clip
from verse_tui.errors import VerseError

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel


class ServiceCalls:
    """Mixin for the screens, widgets and the app that run service workers: a failed
    worker's error becomes one notification (`report_failure`), and on the app an exception
    nothing handled closes it without local variables in the traceback (`_fatal_error`).

    `on_worker_state_changed` is a named handler, not `@on(...)`: Textual collects `@on`
    handlers only from classes built by its message-pump metaclass, so on a plain mixin
    they would never run.
    """

    app: App[object]  # given by the DOM node (or the app) this is mixed into

    def _fatal_error(self) -> None:
        """On the app, after an exception nothing handled: as Textual's own, but the
        traceback leaves out each frame's local variables (`show_locals=True` in Textual
        8), which may hold the API key, the device credential or the user's text."""
        from rich.segment import Segments
        from rich.traceback import Traceback

        app = cast("App[Any]", self)  # only the app calls this
        app.bell()
        traceback = Traceback(show_locals=False, width=None)
        app._exit_renderables.append(Segments(app.console.render(traceback, app.console.options)))
        app._close_messages_no_wait()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            event.stop()  # reported once, here, not again by the app it bubbles to
            report_failure(self.app, event.worker)


def describe(error: BaseException) -> str:
    """A message fit for the user: VerseErrors say it themselves, others are summarised."""
    if isinstance(error, VerseError):
        return error.message
    return (
        f"Something went wrong ({type(error).__name__}: {clip(str(error), 160)}). "
        "Try again; if it keeps happening, restart Verse."
    )


def report_failure(app: App[Any], worker: Worker[Any]) -> None:
    """Show a failed worker's error as a notification (and log the details)."""
    error = worker.error
    if error is None:
        return
    app.log.error(f"worker {worker.name!r} failed", error)
    severity: SeverityLevel = "warning" if isinstance(error, VerseError) else "error"
    app.notify(
        describe(error),
        title=worker.description or worker.name,
        severity=severity,
        timeout=8,
    )
