-- Which stories of a given UTC day were reported by the most outlets, who reported each
-- first, which outlets followed, and how many of its articles were copies of the same
-- text (wire reprints)?
--
-- A story belongs to the day its first report was published. reported_by lists every
-- outlet that carried the story, in the order of its first article in it.
--
-- Indexes: stories_first_published_idx, articles_story_idx.
--
--   psql -v day=2025-03-15 -f sql/queries/stories_on_day.sql
SELECT st.headline                                              AS first_headline,
       first_source.name                                        AS first_outlet,
       st.first_published_at,
       st.outlet_count                                          AS outlets,
       st.article_count                                         AS articles,
       st.article_count - count(DISTINCT a.duplicate_group_id)  AS copies,
       reporters.reported_by
FROM core.stories st
JOIN core.articles a USING (story_id)
JOIN core.articles first_article ON first_article.article_id = st.first_article_id
JOIN core.sources first_source ON first_source.source_id = first_article.source_id
CROSS JOIN LATERAL (
    SELECT string_agg(per_outlet.name, ', ' ORDER BY per_outlet.first_at, per_outlet.name) AS reported_by
    FROM (SELECT s.name, min(r.published_at) AS first_at
          FROM core.articles r
          JOIN core.sources s USING (source_id)
          WHERE r.story_id = st.story_id
          GROUP BY s.name) per_outlet
) reporters
WHERE st.first_published_at >= :'day'::date
  AND st.first_published_at <  :'day'::date + 1
GROUP BY st.story_id, first_source.name, reporters.reported_by
ORDER BY outlets DESC, articles DESC, st.first_published_at
LIMIT 10;
