-- Which outlets published articles on a given UTC day, and what was each one's latest headline?
--
--   psql -v day=2025-03-15 -f sql/queries/articles_by_outlet_on_day.sql
SELECT s.name                                                     AS outlet,
       s.perspective,
       count(*)                                                   AS articles,
       (array_agg(a.title ORDER BY a.published_at DESC))[1]       AS latest_headline
FROM core.articles a
JOIN core.sources s USING (source_id)
WHERE a.published_at >= :'day'::date
  AND a.published_at <  :'day'::date + 1
GROUP BY s.name, s.perspective
ORDER BY articles DESC, outlet;
