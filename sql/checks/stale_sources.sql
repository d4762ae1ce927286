-- Sources whose feed polled fine on every one of the last stale_days days up to the
-- window's end, yet published no war article in those days.
--
-- Why: a site redesign that breaks extraction, a feed frozen on old items or a relevance
-- rule gone wrong leaves the feed looking healthy while the outlet silently drops out of
-- every count. Quiet outlets exist, so it takes days of silence (NEWSFACTS_FRESHNESS_DAYS,
-- default 7), not one. Good polls are those of newsfacts.poll.GOOD_POLL; days without a
-- recorded poll do not count, so a gap in the runs is not mistaken for silence. Relative
-- to the window, never to the clock: re-checking an old day gives the same answer.
--
--   psql -v window_end=2025-03-16 -v stale_days=7 -f sql/checks/stale_sources.sql
WITH span AS (
    SELECT :'window_end'::timestamptz - make_interval(days => :'stale_days'::int) AS since,
           :'window_end'::timestamptz                                             AS until
), polled AS (
    SELECT p.source_id, count(DISTINCT p.window_start) AS good_poll_days
    FROM raw.feed_polls p CROSS JOIN span
    WHERE p.outcome IN ('ok', 'not_modified', 'outside_horizon')
      AND p.window_start >= span.since AND p.window_end <= span.until
    GROUP BY p.source_id
)
SELECT s.slug                                AS source,
       polled.good_poll_days,
       (SELECT max(a.published_at) FROM core.articles a
        WHERE a.source_id = s.source_id AND a.published_at < span.until) AS last_article_published_at
FROM polled
JOIN core.sources s USING (source_id)
CROSS JOIN span
WHERE s.active
  AND polled.good_poll_days >= :'stale_days'::int
  AND NOT EXISTS (
      SELECT 1 FROM core.articles a
      WHERE a.source_id = s.source_id
        AND coalesce(a.published_at, a.first_window) >= span.since
        AND coalesce(a.published_at, a.first_window) < span.until)
ORDER BY s.slug;
