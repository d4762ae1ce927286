"""The run window: the half-open UTC interval ``[start, end)`` a run is responsible for.

Everything a run decides is a function of its window (never of the wall clock), which
is what makes a re-run of the same day produce the same warehouse.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from extractors.timeutil import as_utc, day_window


class Window(NamedTuple):
    start: datetime
    end: datetime

    @classmethod
    def of(cls, start: datetime, end: datetime) -> Window:
        start, end = as_utc(start), as_utc(end)
        if end <= start:
            raise ValueError(f"empty window {start} .. {end}")
        return cls(start, end)

    @classmethod
    def day(cls, day: date) -> Window:
        return cls(*day_window(day))

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"
