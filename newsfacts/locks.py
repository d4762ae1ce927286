"""One run at a time per day and stage: advisory locks shared by every worker.

Two runs of the same day (a manual trigger while the scheduled run is still going, a
backfill overlapping a re-run) would otherwise both poll every feed and fetch every page
of the day: twice the requests to each outlet, for the same rows. Each network stage
(and the article load) therefore takes a session advisory lock on (stage, day) first; the
second run waits for the first to finish the stage and then finds nothing left to do.
Runs of different days never wait for each other here.

The lock is taken before any transaction and released at the end of the stage; a worker
that dies (SIGKILL, lost connection) releases it with its session.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

import psycopg

from newsfacts.window import Window

log = logging.getLogger(__name__)

#: Advisory lock classes ("np".."ns"), one per stage; the key is the day's ordinal.
STAGE_LOCKS = {
    "poll_feeds": 0x6E70,
    "discover_archives": 0x6E71,
    "fetch_pages": 0x6E72,
    "load_articles": 0x6E73,
}


@contextmanager
def stage_lock(conn: psycopg.Connection, stage: str, window: Window):
    """Hold ``stage``'s lock for ``window`` (waiting for another run that holds it)."""
    key = (STAGE_LOCKS[stage], window.start.toordinal())
    if not conn.execute("SELECT pg_try_advisory_lock(%s, %s)", key).fetchone()[0]:
        log.info("another run is in %s for %s: waiting for it to finish", stage, window.start.date())
        conn.execute("SELECT pg_advisory_lock(%s, %s)", key)
    try:
        yield
    finally:
        if not conn.closed:
            try:
                conn.execute("SELECT pg_advisory_unlock(%s, %s)", key)
            except psycopg.Error:
                pass  # the session is gone, and its lock with it; keep the original error
