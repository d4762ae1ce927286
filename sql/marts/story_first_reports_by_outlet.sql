-- Who broke each story, and how long did the other outlets take?
--
-- One row per story and outlet that reported it: the outlet's first article in the
-- story and its lag behind the story's first report (zero for the outlet that broke
-- it). Reprints count: an outlet running the wire copy an hour later did report the
-- story an hour later. Articles without a publication time are left out, since they
-- cannot be placed in time.
CREATE MATERIALIZED VIEW marts.story_first_reports_by_outlet AS
WITH reports AS (
    SELECT a.story_id,
           a.source_id,
           min(a.published_at)                                            AS first_published_at,
           count(*)                                                       AS articles,
           (array_agg(a.article_id ORDER BY a.published_at, a.article_id))[1] AS first_article_id
    FROM core.articles a
    WHERE a.story_id IS NOT NULL AND a.published_at IS NOT NULL
    GROUP BY a.story_id, a.source_id
), stories AS (
    SELECT story_id,
           min(first_published_at)                                                   AS story_first_published_at,
           (array_agg(source_id ORDER BY first_published_at, first_article_id))[1]   AS first_source_id,
           (array_agg(first_article_id ORDER BY first_published_at, first_article_id))[1] AS story_first_article_id
    FROM reports
    GROUP BY story_id
)
SELECT r.story_id,
       headline.title                                         AS headline,
       r.source_id,
       s.name                                                 AS outlet,
       s.perspective,
       r.first_article_id,
       r.first_published_at,
       r.articles,
       st.story_first_published_at,
       first_source.name                                      AS first_outlet,
       r.source_id = st.first_source_id                       AS broke_story,
       r.first_published_at - st.story_first_published_at     AS lag,
       extract(epoch FROM r.first_published_at - st.story_first_published_at) / 60 AS lag_minutes,
       rank() OVER (PARTITION BY r.story_id ORDER BY r.first_published_at) AS report_rank
FROM reports r
JOIN stories st USING (story_id)
JOIN core.sources s ON s.source_id = r.source_id
JOIN core.sources first_source ON first_source.source_id = st.first_source_id
JOIN core.articles headline ON headline.article_id = st.story_first_article_id;

CREATE UNIQUE INDEX story_first_reports_by_outlet_key ON marts.story_first_reports_by_outlet (story_id, source_id);
CREATE INDEX story_first_reports_by_outlet_source_idx ON marts.story_first_reports_by_outlet (source_id, story_first_published_at);

COMMENT ON MATERIALIZED VIEW marts.story_first_reports_by_outlet IS 'Per story and outlet: when the outlet first reported the story and how far behind the first report it was. The row with broke_story is the outlet that broke it.';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.story_id IS 'The story (core.stories).';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.headline IS 'Headline of the story''s first report.';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.source_id IS 'The outlet (core.sources).';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.outlet IS 'Display name of the outlet.';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.perspective IS 'Editorial perspective of the outlet.';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.first_article_id IS 'The outlet''s first article in the story (core.articles).';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.first_published_at IS 'Publication time of the outlet''s first article in the story.';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.articles IS 'The outlet''s articles in the story, copies included.';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.story_first_published_at IS 'Publication time of the story''s first report, by any outlet.';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.first_outlet IS 'The outlet that broke the story (earliest report; the lower article id on a tie).';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.broke_story IS 'True for the outlet that broke the story.';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.lag IS 'How long after the first report the outlet reported it (zero for the outlet that broke it).';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.lag_minutes IS 'The lag in minutes, for averaging.';
COMMENT ON COLUMN marts.story_first_reports_by_outlet.report_rank IS 'Order in which outlets reported the story: 1 for the first (ties share a rank).';
