-- How much did each outlet publish about the war each UTC day, counting each text once?
--
-- One row per UTC day and outlet with at least one war article. A wire story reprinted
-- by three outlets is one article (for the outlet that published it first) and a copy
-- for each of the others; stories count the distinct events an outlet covered that
-- day, reprints included. Articles and copies add up across outlets; stories do not
-- (a story three outlets covered is in three rows).
CREATE MATERIALIZED VIEW marts.daily_war_articles_by_outlet AS
WITH articles AS (
    SELECT (coalesce(a.published_at, a.first_window) AT TIME ZONE 'UTC')::date AS day,
           a.source_id,
           a.story_id,
           -- An article not yet deduplicated, or whose group lost its canonical, stands for itself.
           coalesce(g.canonical_article_id, a.article_id) = a.article_id AS canonical
    FROM core.articles a
    LEFT JOIN core.duplicate_groups g USING (duplicate_group_id)
)
SELECT a.day,
       s.source_id,
       s.slug                                    AS outlet_slug,
       s.name                                    AS outlet,
       s.perspective,
       count(*) FILTER (WHERE a.canonical)       AS articles,
       count(*) FILTER (WHERE NOT a.canonical)   AS copies,
       count(DISTINCT a.story_id)                AS stories
FROM articles a
JOIN core.sources s USING (source_id)
GROUP BY a.day, s.source_id, s.slug, s.name, s.perspective;

CREATE UNIQUE INDEX daily_war_articles_by_outlet_key ON marts.daily_war_articles_by_outlet (day, source_id);
CREATE INDEX daily_war_articles_by_outlet_perspective_idx ON marts.daily_war_articles_by_outlet (perspective, day);

COMMENT ON MATERIALIZED VIEW marts.daily_war_articles_by_outlet IS 'War articles and stories per UTC day and outlet, each text counted once (canonical articles; reprints are copies). Sum articles across outlets freely, never stories.';
COMMENT ON COLUMN marts.daily_war_articles_by_outlet.day IS 'UTC day of publication (of the first load when the article has no publication time).';
COMMENT ON COLUMN marts.daily_war_articles_by_outlet.source_id IS 'The outlet (core.sources).';
COMMENT ON COLUMN marts.daily_war_articles_by_outlet.outlet_slug IS 'Stable identifier of the outlet from the sources file.';
COMMENT ON COLUMN marts.daily_war_articles_by_outlet.outlet IS 'Display name of the outlet.';
COMMENT ON COLUMN marts.daily_war_articles_by_outlet.perspective IS 'Editorial perspective of the outlet: ukrainian, russian_state, russian_independent, european, us, middle_east, wire, ...';
COMMENT ON COLUMN marts.daily_war_articles_by_outlet.articles IS 'War articles the outlet published that day whose text it was first with (the canonical member of their duplicate group).';
COMMENT ON COLUMN marts.daily_war_articles_by_outlet.copies IS 'War articles the outlet published that day that copy an earlier text (wire reprints, the same text at another URL).';
COMMENT ON COLUMN marts.daily_war_articles_by_outlet.stories IS 'Distinct stories (events) the outlet''s articles of the day belong to, copies included. Not additive across outlets.';
