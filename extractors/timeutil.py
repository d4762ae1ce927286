"""Timestamps from feeds and pages, made aware (UTC) and checked for plausibility.

Publishers get dates wrong in every possible way: naive local times, 1970 epochs from a
zero field, years in the future. A date we cannot trust is worse than no date, because it
decides which day's window an article lands in, so implausible dates become ``None`` and
callers fall back to another source of truth.
"""

from __future__ import annotations

import calendar
import time
from datetime import date, datetime, timedelta, timezone

#: Nothing about this war (or any web news feed) is older than this.
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=timezone.utc)
#: How far past the run's window a claimed date may be before we call it wrong
#: (time zones and clock skew make a few hours normal).
FUTURE_TOLERANCE = timedelta(days=1)


def as_utc(value: datetime) -> datetime:
    """Return ``value`` as a plain aware UTC datetime; naive values are taken to be UTC.

    Subclasses (pendulum's DateTime from Airflow) become plain datetimes: pendulum's
    arithmetic on a stdlib tzinfo silently drops the zone.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    return datetime(
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond, tzinfo=timezone.utc,
    )


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """Convert feedparser's ``*_parsed`` fields (UTC struct_time) to an aware datetime."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    except (OverflowError, ValueError, TypeError):
        return None


def plausible(value: datetime | None, *, not_after: datetime | None = None) -> datetime | None:
    """Return ``value`` in UTC if it is a believable publication time, else ``None``.

    ``not_after`` is when the document was served (the response's ``Date`` header,
    stored with it; never the wall clock, so a re-run judges dates exactly as the first
    run did). Without it only the lower bound is checked.
    """
    if value is None:
        return None
    value = as_utc(value)
    if value < EARLIEST_PLAUSIBLE:
        return None
    if not_after is not None and value > as_utc(not_after) + FUTURE_TOLERANCE:
        return None
    return value


def day_window(day: date) -> tuple[datetime, datetime]:
    """The UTC day ``[day 00:00, day+1 00:00)`` as a pair of aware datetimes."""
    start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    return start, start + timedelta(days=1)


def in_window(value: datetime | None, start: datetime, end: datetime) -> bool:
    """True when ``value`` lies in the half-open window ``[start, end)``."""
    return value is not None and start <= value < end
