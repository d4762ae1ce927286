"""Per-host request pacing kept in the warehouse, so it holds across runs and workers.

A backfill runs several days at once, each in its own worker process; the per-host
semaphore of one :class:`~extractors.fetch.Fetcher` cannot see the others. Before each
request a worker reserves the host's next slot with one atomic UPDATE on
``ops.host_pacing`` and sleeps until it; slots are ``interval`` apart, whoever asks.
"""

from __future__ import annotations

import threading
import time

import psycopg

from extractors.urls import host_of
from newsfacts.warehouse import connect

_RESERVE = """
INSERT INTO ops.host_pacing AS h (host, next_slot)
VALUES (%(host)s, clock_timestamp() + make_interval(secs => %(interval)s))
ON CONFLICT (host) DO UPDATE
    SET next_slot = greatest(h.next_slot, clock_timestamp()) + make_interval(secs => %(interval)s)
RETURNING extract(epoch FROM next_slot - clock_timestamp()) - %(interval)s
"""


class WarehousePacer:
    """Callable ``pacer(url)`` for :class:`~extractors.fetch.Fetcher`: waits for the host's slot."""

    def __init__(self, dsn: str, interval: float, per_host: dict[str, float] | None = None):
        self._dsn = dsn
        self._interval = interval
        self._per_host = per_host or {}
        self._conn: psycopg.Connection | None = None
        self._lock = threading.Lock()

    def __call__(self, url: str) -> None:
        host = host_of(url)
        interval = self._per_host.get(host, self._interval)
        if interval <= 0:
            return
        with self._lock:
            if self._conn is None or self._conn.closed:
                self._conn = connect(self._dsn)
                # A reservation is a commit per request, made while other threads wait for
                # the lock: not waiting for the WAL flush keeps a busy disk from pacing the
                # fetches. Losing the last reservations in a server crash costs nothing.
                self._conn.execute("SET synchronous_commit TO off")
            wait = self._conn.execute(_RESERVE, {"host": host, "interval": interval}).fetchone()[0]
        if wait > 0:
            time.sleep(float(wait))

    def __enter__(self) -> WarehousePacer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def pacer_for(dsn: str) -> WarehousePacer:
    """The pacer every stage uses: the configured per-host interval, GDELT's own rule."""
    from newsfacts import settings

    gdelt_host = host_of(settings.gdelt_endpoint())
    return WarehousePacer(dsn, settings.host_min_interval(), {gdelt_host: settings.gdelt_min_interval()})
