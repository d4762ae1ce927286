-- Who and what is named most often in the same articles as Vladimir Putin?
--
-- Any entity: a name as any outlet writes it, in Latin or Cyrillic letters, a Wikidata
-- QID or a registry id (several separated by | give one list per entity). From
-- marts.entity_pairs_mentioned_together: articles counts distinct texts naming both (a
-- wire story reprinted ten times is one), stories the stories they belong to; only
-- names linked to the registry pair up. The top 25 per entity.
--
-- Indexes: entity_pairs_mentioned_together_key (entity_a_id, ...) and
-- entity_pairs_mentioned_together_b_idx (entity_b_id): the entity can be either.
--
--   psql -v entity=Q7747 -f sql/queries/named_together_with.sql
WITH wanted AS (
    SELECT entity_id FROM core.entities_named(:'entity')
), pairs AS (
    SELECT p.entity_a AS entity, p.entity_b_id AS other_id, p.entity_b AS other, p.entity_b_type AS other_type,
           p.articles, p.stories, p.first_published_at, p.last_published_at
    FROM marts.entity_pairs_mentioned_together p
    WHERE p.entity_a_id = ANY (ARRAY(SELECT entity_id FROM wanted))
    UNION ALL
    SELECT p.entity_b, p.entity_a_id, p.entity_a, p.entity_a_type,
           p.articles, p.stories, p.first_published_at, p.last_published_at
    FROM marts.entity_pairs_mentioned_together p
    WHERE p.entity_b_id = ANY (ARRAY(SELECT entity_id FROM wanted))
), ranked AS (
    SELECT pairs.*, row_number() OVER (PARTITION BY entity ORDER BY articles DESC, stories DESC, other) AS n
    FROM pairs
)
SELECT entity,
       other,
       other_type,
       other_id,
       articles,
       stories,
       first_published_at,
       last_published_at
FROM ranked
WHERE n <= 25
ORDER BY entity, n;
