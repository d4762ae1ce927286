"""Stage 4: one ops.run_metrics row per window and source, and the verdict on the run.

Counts are computed from the warehouse's state for the window, not accumulated by the
stages, so a re-run writes the same numbers as the first run (only the timing columns
and run_id reflect the latest run).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfacts.errors import plain_errors
from newsfacts.poll import GOOD_POLL
from newsfacts.warehouse import connect
from newsfacts.window import Window

_REFRESH = """
WITH link_counts AS (
    SELECT source_id,
           count(*) AS in_window,
           count(*) FILTER (WHERE fetch_outcome = 'ok') AS fetched,
           count(*) FILTER (WHERE fetch_outcome <> ALL(%(not_failures)s)
                               OR extract_outcome <> ALL(%(not_failures)s)) AS failed,
           count(*) FILTER (WHERE fetch_outcome = 'skipped_irrelevant') AS skipped,
           count(*) FILTER (WHERE extract_outcome = 'irrelevant') AS irrelevant
    FROM raw.links WHERE window_start = %(start)s GROUP BY source_id
), failure_reasons AS (
    SELECT source_id, jsonb_object_agg(reason, n ORDER BY reason) AS failures
    FROM (
        SELECT source_id, reason, count(*) AS n FROM (
            SELECT source_id, 'fetch:' || fetch_outcome AS reason FROM raw.links
            WHERE window_start = %(start)s AND fetch_outcome <> ALL(%(not_failures)s)
            UNION ALL
            SELECT source_id, 'extract:' || extract_outcome FROM raw.links
            WHERE window_start = %(start)s AND extract_outcome <> ALL(%(not_failures)s)
        ) r GROUP BY source_id, reason
    ) g GROUP BY source_id
), article_counts AS (
    SELECT source_id,
           count(*) FILTER (WHERE first_window = %(start)s) AS new,
           count(*) FILTER (WHERE updated_window = %(start)s AND first_window <> %(start)s) AS updated,
           count(*) FILTER (WHERE first_window = %(start)s AND g.canonical_article_id <> a.article_id) AS duplicate
    FROM core.articles a LEFT JOIN core.duplicate_groups g USING (duplicate_group_id)
    WHERE first_window = %(start)s OR updated_window = %(start)s
    GROUP BY source_id
), polls AS (
    SELECT source_id, outcome, detail, entries_seen FROM raw.feed_polls WHERE window_start = %(start)s
), discovery AS (
    SELECT source_id,
           string_agg(method || ': ' || outcome || ', ' || urls_found || ' urls', '; ' ORDER BY method) AS summary
    FROM raw.discovery_attempts WHERE window_start = %(start)s GROUP BY source_id
)
INSERT INTO ops.run_metrics AS m (window_start, source_id, window_end, run_id, poll_outcome, poll_detail,
    discovery, entries_seen, entries_in_window, pages_fetched, pages_failed, articles_new, articles_updated,
    failures, entries_skipped, articles_irrelevant, articles_duplicate)
SELECT %(start)s, s.source_id, %(end)s, %(run_id)s, p.outcome, p.detail, d.summary, coalesce(p.entries_seen, 0),
       coalesce(l.in_window, 0), coalesce(l.fetched, 0), coalesce(l.failed, 0),
       coalesce(a.new, 0), coalesce(a.updated, 0), coalesce(f.failures, '{}'::jsonb),
       coalesce(l.skipped, 0), coalesce(l.irrelevant, 0), coalesce(a.duplicate, 0)
FROM core.sources s
LEFT JOIN polls p USING (source_id)
LEFT JOIN discovery d USING (source_id)
LEFT JOIN link_counts l USING (source_id)
LEFT JOIN failure_reasons f USING (source_id)
LEFT JOIN article_counts a USING (source_id)
WHERE s.active OR l.in_window > 0
ON CONFLICT (window_start, source_id) DO UPDATE SET
    window_end = EXCLUDED.window_end, run_id = EXCLUDED.run_id,
    poll_outcome = EXCLUDED.poll_outcome, poll_detail = EXCLUDED.poll_detail,
    discovery = EXCLUDED.discovery, entries_seen = EXCLUDED.entries_seen, entries_in_window = EXCLUDED.entries_in_window,
    pages_fetched = EXCLUDED.pages_fetched, pages_failed = EXCLUDED.pages_failed,
    articles_new = EXCLUDED.articles_new, articles_updated = EXCLUDED.articles_updated,
    failures = EXCLUDED.failures, entries_skipped = EXCLUDED.entries_skipped,
    articles_irrelevant = EXCLUDED.articles_irrelevant, articles_duplicate = EXCLUDED.articles_duplicate
"""
#: Outcomes of a link that are decisions, not failures.
NOT_FAILURES = ["ok", "skipped_irrelevant", "irrelevant", "duplicate"]


class AllSourcesFailed(RuntimeError):
    """Every active source failed for the window: nothing was learned, fail the run."""


@dataclass
class SourceSummary:
    slug: str
    poll_outcome: str | None
    poll_detail: str | None
    discovery: str | None
    entries_in_window: int
    pages_fetched: int
    pages_failed: int
    articles_new: int
    articles_updated: int
    failures: dict
    seconds: float
    entries_skipped: int = 0
    articles_irrelevant: int = 0
    articles_duplicate: int = 0

    @property
    def failed(self) -> bool:
        """The source yielded nothing: no link for the window and every way of finding
        some (feed, archives) failed, or links but every one of them failed."""
        if self.entries_in_window:
            return self.pages_failed > 0 and self.pages_failed == self.entries_in_window
        feed_ok = self.poll_outcome in GOOD_POLL
        archives_ok = bool(self.discovery) and ": ok," in self.discovery
        return not (feed_ok or archives_ok)


@plain_errors
def record_metrics(dsn: str, window: Window, run_id: str) -> list[SourceSummary]:
    """Recompute the window's metrics rows and return them, one per active source."""
    with connect(dsn) as conn:
        with conn.transaction():
            conn.execute(_REFRESH, {"start": window.start, "end": window.end, "run_id": run_id,
                                    "not_failures": NOT_FAILURES})
        return summarize(conn, window)


def summarize(conn, window: Window) -> list[SourceSummary]:
    rows = conn.execute(
        """
        SELECT s.slug, m.poll_outcome, m.poll_detail, m.discovery, m.entries_in_window, m.pages_fetched,
               m.pages_failed, m.articles_new, m.articles_updated, m.failures,
               m.poll_seconds + m.fetch_seconds + m.extract_seconds, m.entries_skipped,
               m.articles_irrelevant, m.articles_duplicate
        FROM ops.run_metrics m JOIN core.sources s USING (source_id)
        WHERE m.window_start = %s AND s.active
        ORDER BY s.slug
        """,
        (window.start,),
    ).fetchall()
    return [SourceSummary(*row) for row in rows]


def check_run(summaries: list[SourceSummary]) -> None:
    """Raise :class:`AllSourcesFailed` when no source produced anything."""
    if summaries and all(s.failed for s in summaries):
        reasons = "; ".join(f"{s.slug}: {s.poll_detail or s.poll_outcome}" for s in summaries)
        raise AllSourcesFailed(f"every source failed: {reasons}")
