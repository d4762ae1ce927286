-- Which outlets had failures in the run of a given day, and why?
--
-- Needs the loader role (newsfacts_loader) or the owner: it reads ops.run_metrics and
-- raw.links, which the analyst role cannot. One row per outlet whose run for the day
-- (the window [day 00:00, day+1 00:00) UTC) had a problem: a feed that could not be
-- read (feed, feed_problem), archives (sitemaps, GDELT) that failed (archive_problems),
-- or pages that failed to fetch or to extract (pages_failed, failures by reason as
-- ops.run_metrics counts them, and each failed page with its reason and URL). Decisions
-- are not failures: pages not fetched because the feed item was clearly off the war,
-- articles off the war's subject, copies.
--
-- Indexes: run_metrics_pkey (window_start, source_id), links_window_idx (window_start,
-- source_id), discovery_attempts_pkey (source_id, window_start, method).
--
--   psql "$WAREHOUSE_DSN" -v day=2025-03-15 -f sql/queries/source_failures_on_day.sql
SELECT s.slug                                                   AS outlet,
       s.name,
       r.poll_outcome                                           AS feed,
       CASE WHEN r.poll_outcome NOT IN ('ok', 'not_modified', 'outside_horizon') THEN r.poll_detail END AS feed_problem,
       archives.problems                                        AS archive_problems,
       r.pages_failed,
       r.failures,
       pages.failed_pages
FROM ops.run_metrics r
JOIN core.sources s USING (source_id)
LEFT JOIN LATERAL (
    SELECT array_agg(d.method || ': ' || d.outcome || coalesce(' (' || d.detail || ')', '') ORDER BY d.method) AS problems
    FROM raw.discovery_attempts d
    WHERE d.source_id = r.source_id
      AND d.window_start = r.window_start
      AND d.outcome <> 'ok'
) archives ON true
LEFT JOIN LATERAL (
    SELECT array_agg(f.reason || coalesce(': ' || f.detail, '') || ' <' || f.url || '>' ORDER BY f.reason, f.url) AS failed_pages
    FROM (SELECT l.url,
                 CASE WHEN l.fetch_outcome NOT IN ('ok', 'skipped_irrelevant', 'irrelevant', 'duplicate')
                      THEN 'fetch:' || l.fetch_outcome ELSE 'extract:' || l.extract_outcome END AS reason,
                 CASE WHEN l.fetch_outcome NOT IN ('ok', 'skipped_irrelevant', 'irrelevant', 'duplicate')
                      THEN l.fetch_detail ELSE l.extract_detail END AS detail
          FROM raw.links l
          WHERE l.window_start = r.window_start
            AND l.source_id = r.source_id
            AND (l.fetch_outcome NOT IN ('ok', 'skipped_irrelevant', 'irrelevant', 'duplicate')
                 OR l.extract_outcome NOT IN ('ok', 'skipped_irrelevant', 'irrelevant', 'duplicate'))) f
) pages ON true
WHERE r.window_start = :'day'::date
  AND (r.poll_outcome NOT IN ('ok', 'not_modified', 'outside_horizon')
       OR r.pages_failed > 0
       OR archives.problems IS NOT NULL
       OR pages.failed_pages IS NOT NULL)
ORDER BY s.slug;
