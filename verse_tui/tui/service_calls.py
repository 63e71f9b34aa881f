"""The one place where failed workers become messages the user can act on.

Every screen or widget that starts service workers mixes in `ServiceCalls`; workers are
declared with `exit_on_error=False`, so an exception ends up here instead of closing the app.
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from verse_tui.domain.text import clip
from verse_tui.errors import VerseError


class ServiceCalls:
    """Mixin for DOM nodes that run service workers: routes their errors to one handler.

    A named handler, not `@on(...)`: Textual collects `@on` handlers only from classes built by
    its message-pump metaclass, so on a plain mixin they would never run.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            event.stop()  # reported once, here, not again by the app it bubbles to
            report_failure(self.app, event.worker)  # type: ignore[attr-defined]


def describe(error: BaseException) -> str:
    """A message fit for the user: VerseErrors say it themselves, others are summarised."""
    if isinstance(error, VerseError):
        return error.message
    return (
        f"Something went wrong ({type(error).__name__}: {clip(str(error), 160)}). "
        "Try again; if it keeps happening, restart Verse."
    )


def report_failure(app: object, worker: Worker) -> None:
    """Show a failed worker's error as a notification (and log the details)."""
    error = worker.error
    if error is None:
        return
    app.log.error(f"worker {worker.name!r} failed", error)  # type: ignore[attr-defined]
    severity = "warning" if isinstance(error, VerseError) else "error"
    app.notify(
        describe(error),
        title=worker.description or worker.name,  # type: ignore[attr-defined]
        severity=severity,
        timeout=8,
    )
