-- Which actors, places and weapons are named together, and how often?
--
-- One row per pair of registry entities named in the same article, in both orders'
-- stead once (entity_a_id < entity_b_id). Articles counts distinct texts only (the
-- canonical member of each duplicate group), so a wire story reprinted ten times does
-- not make its pairs ten times stronger. Unlinked names are left out: they have no
-- identity to pair on.
CREATE MATERIALIZED VIEW marts.entity_pairs_mentioned_together AS
WITH canonical_mentions AS (
    SELECT DISTINCT m.article_id, m.entity_id, a.story_id, a.published_at
    FROM core.mentions m
    JOIN core.articles a USING (article_id)
    LEFT JOIN core.duplicate_groups g USING (duplicate_group_id)
    WHERE m.entity_id IS NOT NULL
      AND coalesce(g.canonical_article_id, a.article_id) = a.article_id
)
SELECT x.entity_id                    AS entity_a_id,
       ea.name                        AS entity_a,
       ea.type                        AS entity_a_type,
       y.entity_id                    AS entity_b_id,
       eb.name                        AS entity_b,
       eb.type                        AS entity_b_type,
       count(*)                       AS articles,
       count(DISTINCT x.story_id)     AS stories,
       min(x.published_at)            AS first_published_at,
       max(x.published_at)            AS last_published_at
FROM canonical_mentions x
JOIN canonical_mentions y ON y.article_id = x.article_id AND x.entity_id < y.entity_id
JOIN core.entities ea ON ea.entity_id = x.entity_id
JOIN core.entities eb ON eb.entity_id = y.entity_id
GROUP BY x.entity_id, ea.name, ea.type, y.entity_id, eb.name, eb.type;

CREATE UNIQUE INDEX entity_pairs_mentioned_together_key ON marts.entity_pairs_mentioned_together (entity_a_id, entity_b_id);
CREATE INDEX entity_pairs_mentioned_together_b_idx ON marts.entity_pairs_mentioned_together (entity_b_id);

COMMENT ON MATERIALIZED VIEW marts.entity_pairs_mentioned_together IS 'Pairs of registry entities named in the same article, with the number of distinct texts (canonical articles) and stories naming both. Each pair once: entity_a_id < entity_b_id.';
COMMENT ON COLUMN marts.entity_pairs_mentioned_together.entity_a_id IS 'One entity of the pair (core.entities), the smaller id.';
COMMENT ON COLUMN marts.entity_pairs_mentioned_together.entity_a IS 'Its canonical name.';
COMMENT ON COLUMN marts.entity_pairs_mentioned_together.entity_a_type IS 'Its type: person, organization, place, weapon or group.';
COMMENT ON COLUMN marts.entity_pairs_mentioned_together.entity_b_id IS 'The other entity of the pair, the larger id.';
COMMENT ON COLUMN marts.entity_pairs_mentioned_together.entity_b IS 'Its canonical name.';
COMMENT ON COLUMN marts.entity_pairs_mentioned_together.entity_b_type IS 'Its type.';
COMMENT ON COLUMN marts.entity_pairs_mentioned_together.articles IS 'Canonical articles (distinct texts, copies not counted) naming both.';
COMMENT ON COLUMN marts.entity_pairs_mentioned_together.stories IS 'Distinct stories of those articles.';
COMMENT ON COLUMN marts.entity_pairs_mentioned_together.first_published_at IS 'Publication time of the earliest of those articles.';
COMMENT ON COLUMN marts.entity_pairs_mentioned_together.last_published_at IS 'Publication time of the latest of those articles.';
