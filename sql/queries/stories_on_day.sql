-- Which stories of a given UTC day were reported by the most outlets, who reported each
-- first, and how many of its articles were copies of the same text (wire reprints)?
--
--   psql -v day=2025-03-15 -f sql/queries/stories_on_day.sql
SELECT st.headline                                              AS first_headline,
       first_source.name                                        AS first_outlet,
       st.first_published_at,
       st.outlet_count                                          AS outlets,
       st.article_count                                         AS articles,
       st.article_count - count(DISTINCT a.duplicate_group_id)  AS copies
FROM core.stories st
JOIN core.articles a USING (story_id)
JOIN core.articles first_article ON first_article.article_id = st.first_article_id
JOIN core.sources first_source ON first_source.source_id = first_article.source_id
WHERE st.first_published_at >= :'day'::date
  AND st.first_published_at <  :'day'::date + 1
GROUP BY st.story_id, first_source.name
ORDER BY outlets DESC, articles DESC, st.first_published_at
LIMIT 10;
