"""Progress reporting for long work, whatever shows it (a terminal bar, Excel's status bar)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    def update(self, message: str, fraction: float) -> None:
        """Report that ``message`` is under way and ``fraction`` (0..1) of the work is done."""


class NoProgress:
    def update(self, message: str, fraction: float) -> None:
        return None


@contextmanager
def steps(progress: Progress | None, *names: str) -> Iterator[StepCounter]:
    counter = StepCounter(progress or NoProgress(), names)
    yield counter
    counter.done()


class StepCounter:
    """Walk through named steps, reporting each as a fraction of the whole."""

    def __init__(self, progress: Progress, names: tuple[str, ...]):
        self.progress, self.names, self.index = progress, names, 0

    def next(self) -> None:
        if self.index < len(self.names):
            self.progress.update(self.names[self.index], self.index / max(len(self.names), 1))
        self.index += 1

    def done(self) -> None:
        self.progress.update("Done", 1.0)


class Part:
    """One part of longer work: its fractions fall in [start, end] of the whole, and its own
    "Done" is left to the whole (so the bar never runs backwards or finishes early)."""

    def __init__(self, progress: Progress | None, start: float, end: float):
        self.progress, self.start, self.end = progress or NoProgress(), start, end

    def update(self, message: str, fraction: float) -> None:
        if message != "Done":
            self.progress.update(message, self.start + (self.end - self.start) * fraction)
