"""A progress bar on stderr for a document that takes a while to render.

It appears only when stderr is a terminal and only once the render has taken longer than a
second: a quick render prints nothing, a script's stderr never gets control characters. The core
reports progress through a plain callback (jiuzhu.docx_out.Progress); this is the terminal's side.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SHOW_AFTER = 1.0  # seconds


class LazyBar:
    """`bar(done, total)` records progress; the bar is drawn from `after` seconds on."""

    def __init__(self, label: str, console: Any = None, after: float = SHOW_AFTER) -> None:
        from rich.console import Console

        self.label = label
        self.console = console or Console(stderr=True)
        self.done, self.total = 0, 0
        self._lock = threading.Lock()
        self._progress: Any = None
        self._task: Any = None
        self._timer: threading.Timer | None = None
        if self.console.is_terminal:
            self._timer = threading.Timer(after, self._show)
            self._timer.daemon = True
            self._timer.start()

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            self.done, self.total = done, total
            if self._progress is not None:
                self._progress.update(self._task, completed=done, total=total)

    def _show(self) -> None:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn

        with self._lock:
            self._progress = Progress(SpinnerColumn(), TextColumn(self.label), BarColumn(), TaskProgressColumn(),
                                      TimeElapsedColumn(), console=self.console, transient=True)
            self._task = self._progress.add_task(self.label, total=self.total or None, completed=self.done)
            self._progress.start()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._progress is not None:
                self._progress.stop()
                self._progress = None


@contextmanager
def render_progress(label: str) -> Iterator[LazyBar]:
    bar = LazyBar(label)
    try:
        yield bar
    finally:
        bar.close()
