"""Run slow work off the window's thread.

`run_task(fn, on_done, on_error)` runs `fn` on a thread pool; the callbacks run
on the UI thread with its result or the exception. Worker code returns plain
data and never touches widgets. Tests swap in `InlinePool` so tasks run at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from assessor_app.ui.qt import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Pool(Protocol):
    def start(self, runnable: QRunnable) -> None: ...


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # reported to the UI thread, which shows the message
            log.info("background task failed: %s", exc)
            self._report(self._relay.failed, exc)
        else:
            self._report(self._relay.done, result)

    @staticmethod
    def _report(signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            # The application closed while the task ran and took the relay with it:
            # nobody is waiting for the answer.
            log.info("background task finished after the window closed")


class InlinePool:
    """Runs each task at once on the calling thread (for tests)."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()


_pool: _Pool | None = None
_live: set[_Relay] = set()


def use_pool(pool: _Pool | None) -> None:
    global _pool
    _pool = pool


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    *,
    owner: QObject | None = None,
) -> None:
    """Run `fn` off the UI thread. With an `owner` (the page that asked), the
    callbacks are dropped if the owner is gone by the time the task finishes."""
    relay = _Relay()
    _live.add(relay)  # keep the relay alive until the task reports back
    wanted = [True]
    if owner is not None:
        # Not a method of the owner: it must run while the owner is being destroyed.
        owner.destroyed.connect(lambda: wanted.__setitem__(0, False))

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _live.discard(relay)
        if wanted[0]:
            callback(value)

    relay.done.connect(lambda value: finish(on_done, value))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    (_pool or QThreadPool.globalInstance()).start(_Task(fn, relay))
