-- Which outlets reported the ceasefire proposal first?
--
-- Any story: the stories with an article published between from_day and to_day (both
-- included) whose headline matches terms (web-search syntax, English with stemming:
-- "ceasefire proposal" finds "U.S. proposal for 30-day ceasefire"), and every outlet
-- that reported each, in the order they did (report_rank 1 broke it), with how long
-- after the first report each did (lag) and how many articles each ran in the story
-- (marts.story_first_reports_by_outlet). Reprints count: an outlet that ran the wire
-- copy two hours later reported the story two hours later.
--
-- Indexes: articles_search_idx (GIN) with articles_published_idx, then
-- story_first_reports_by_outlet_key (story_id, source_id).
--
--   psql -v terms='ceasefire proposal' -v from_day=2025-03-11 -v to_day=2025-03-18 -f sql/queries/story_first_reports.sql
WITH matching AS (
    SELECT DISTINCT a.story_id
    FROM core.articles a
    CROSS JOIN websearch_to_tsquery('english', :'terms') AS query
    WHERE a.search_vector @@ query
      AND to_tsvector('english', a.title) @@ query
      AND a.published_at >= :'from_day'::date
      AND a.published_at <  :'to_day'::date + 1
      AND a.story_id IS NOT NULL
)
SELECT r.story_id,
       r.headline,
       r.report_rank,
       r.outlet,
       r.perspective,
       r.first_published_at,
       r.lag,
       r.articles,
       r.broke_story
FROM marts.story_first_reports_by_outlet r
WHERE r.story_id IN (SELECT story_id FROM matching)
ORDER BY r.story_first_published_at, r.story_id, r.report_rank, r.outlet;
