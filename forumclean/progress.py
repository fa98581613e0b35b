"""Progress of a batch, for a person at a terminal: pages, pages/s, failures, ETA.

Drawn on stderr with rich, refreshed from the batch's own loop (no thread, so worker processes
can be forked safely at any time). The total is counted by a small side process while the batch
already runs; until it is known the bar shows the count without an ETA.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .batch import FAILED, NONE


class BatchProgress:
    """A live progress line on stderr. ``advance`` per outcome; ``tick`` from the batch loop."""

    REFRESH = 0.1  # seconds between redraws

    def __init__(self, count: Callable[[], int] | None = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]pages"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:>9}"),
            TextColumn("{task.fields[failed]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            auto_refresh=False,
            redirect_stdout=False,  # results go to the real stdout, never through the bar
            redirect_stderr=False,
            transient=True,
        )
        self.task = self.progress.add_task("pages", total=None, rate="", failed="")
        self.done = self.failed = self.none = self.skipped = 0
        self.start = time.monotonic()
        self.last = 0.0
        self.counter = _Counter(count) if count is not None else None
        self.progress.start()

    def note(self, message: str) -> None:
        """A line printed above the bar (failures)."""
        self.console.print(message, markup=False, highlight=False, soft_wrap=True)

    def skip(self) -> None:
        self.skipped += 1
        self.tick()

    def advance(self, status: str) -> None:
        self.done += 1
        if status == FAILED:
            self.failed += 1
        elif status == NONE:
            self.none += 1
        self.tick()

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.last < self.REFRESH:
            return
        self.last = now
        total = None
        if self.counter is not None:
            found = self.counter.result()
            if found is not None:
                total = max(0, found - self.skipped)
        elapsed = max(now - self.start, 1e-6)
        rate = f"{self.done / elapsed:.0f} p/s" if self.done else ""
        failed = f"[red]{self.failed} failed[/red]" if self.failed else ""
        self.progress.update(self.task, completed=self.done, total=total, rate=rate, failed=failed)
        self.progress.refresh()

    def close(self) -> None:
        self.progress.stop()
        if self.counter is not None:
            self.counter.stop()


class _Counter:
    """Counts the inputs in a side process (a directory walk), so the batch need not wait."""

    def __init__(self, count: Callable[[], int]) -> None:
        from .batch import _context

        ctx = _context()
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_count_main, args=(child, count), daemon=True)
        self.proc.start()
        child.close()
        self.value: int | None = None

    def result(self) -> int | None:
        if self.value is None and self.conn is not None:
            try:
                if self.conn.poll(0):
                    self.value = self.conn.recv()
            except (EOFError, OSError):
                self.conn = None
        return self.value

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()


def _count_main(conn: Any, count: Callable[[], int]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        conn.send(count())
    except Exception:
        pass
