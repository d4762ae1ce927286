-- Pairs of canonical articles (each standing for its own duplicate group) that declare
-- the same canonical URL or have the same normalised text.
--
-- Why: every "count each text once" figure (marts.daily_war_articles_by_outlet,
-- marts.entity_pairs_mentioned_together) counts canonical articles. Two canonicals with
-- one URL or one text are one article counted twice: deduplication missed a copy, or a
-- group was split by hand.
--
--   psql -f sql/checks/duplicate_canonical_articles.sql
WITH canonical AS (
    SELECT a.article_id, a.canonical_url, f.normalized_sha256
    FROM core.duplicate_groups g
    JOIN core.articles a ON a.article_id = g.canonical_article_id
    LEFT JOIN core.article_fingerprints f ON f.article_id = a.article_id
)
SELECT x.article_id,
       y.article_id AS same_as_article_id,
       CASE WHEN x.canonical_url = y.canonical_url THEN 'same canonical URL ' || x.canonical_url
            ELSE 'same normalised text' END AS problem
FROM canonical x
JOIN canonical y ON x.article_id < y.article_id
 AND (x.canonical_url = y.canonical_url OR x.normalized_sha256 = y.normalized_sha256)
ORDER BY x.article_id, y.article_id;
