-- Who was quoted most between two days, and by outlets of which perspective?
--
-- Every quote an article carries counts, direct or reported speech (core.quotes), so a
-- wire quote reprinted by three outlets counts three times: that is how often readers
-- met it. Speakers are the registry's canonical names, else the name as written; quotes
-- whose speaker the article does not name are left out. by_perspective: quotes per
-- outlet perspective (ukrainian, russian_state, european, wire, ...). The top 20.
--
-- Indexes: articles_published_idx, quotes_article_idx.
--
--   psql -v from_day=2025-03-14 -v to_day=2025-03-16 -f sql/queries/most_quoted_by_perspective.sql
WITH quoted AS (
    SELECT coalesce(speaker.name, q.speaker_name)  AS speaker,
           q.article_id,
           a.source_id,
           s.perspective
    FROM core.articles a
    JOIN core.quotes q USING (article_id)
    JOIN core.sources s ON s.source_id = a.source_id
    LEFT JOIN core.entities speaker ON speaker.entity_id = q.speaker_entity_id
    WHERE a.published_at >= :'from_day'::date
      AND a.published_at <  :'to_day'::date + 1
      AND coalesce(speaker.name, q.speaker_name) IS NOT NULL
), per_perspective AS (
    SELECT speaker, perspective, count(*) AS quotes
    FROM quoted
    GROUP BY speaker, perspective
)
SELECT t.speaker,
       t.quotes,
       t.articles,
       t.outlets,
       p.by_perspective
FROM (SELECT speaker,
             count(*)                      AS quotes,
             count(DISTINCT article_id)    AS articles,
             count(DISTINCT source_id)     AS outlets
      FROM quoted
      GROUP BY speaker) t
JOIN (SELECT speaker, jsonb_object_agg(perspective, quotes) AS by_perspective
      FROM per_perspective
      GROUP BY speaker) p USING (speaker)
ORDER BY t.quotes DESC, t.articles DESC, t.speaker
LIMIT 20;
