-- Sources whose new articles recorded in ops.run_metrics for the window differ from the
-- articles the warehouse holds as first loaded by that window's run.
--
-- Why: record_metrics counts the window's articles from the warehouse when the run ends,
-- and nothing but a run of that window stamps an article with it (first_window), so the
-- two agree unless rows were deleted or loaded behind the pipeline's back, or the run
-- died between loading and recording. Dashboards read the metrics, analysts read the
-- marts: a difference means they tell different stories.
--
--   psql -v window_start=2025-03-15 -f sql/checks/articles_differ_from_run_metrics.sql
WITH recorded AS (
    SELECT source_id, articles_new FROM ops.run_metrics
    WHERE window_start = :'window_start'::timestamptz
), loaded AS (
    SELECT source_id, count(*) AS articles FROM core.articles
    WHERE first_window = :'window_start'::timestamptz
    GROUP BY source_id
)
SELECT s.slug                             AS source,
       recorded.articles_new              AS recorded_articles_new,
       coalesce(loaded.articles, 0)       AS articles_in_warehouse
FROM recorded
FULL JOIN loaded USING (source_id)
JOIN core.sources s USING (source_id)
WHERE recorded.articles_new IS DISTINCT FROM coalesce(loaded.articles, 0)
ORDER BY s.slug;
