-- Rows pointing nowhere: mentions, quotes and events of a missing article; participants
-- and quantities of a missing event; facts naming an entity missing from the registry;
-- articles in a missing story or duplicate group; stories and duplicate groups that
-- claim members but have none.
--
-- Why: foreign keys guard most of these, but not all of the warehouse's links are keys
-- (a story's article_count, a group's members), and keys are bypassed by bulk loads and
-- restores that disable triggers (session_replication_role = replica, pg_restore
-- --disable-triggers). An orphan is silently dropped by every join: facts that count
-- toward nothing, stories with no article to read.
--
--   psql -f sql/checks/orphaned_rows.sql
SELECT 'core.mentions' AS table_name, m.mention_id AS id, 'article ' || m.article_id || ' does not exist' AS problem
FROM core.mentions m LEFT JOIN core.articles a USING (article_id) WHERE a.article_id IS NULL
UNION ALL
SELECT 'core.quotes', q.quote_id, 'article ' || q.article_id || ' does not exist'
FROM core.quotes q LEFT JOIN core.articles a USING (article_id) WHERE a.article_id IS NULL
UNION ALL
SELECT 'core.events', e.event_id, 'article ' || e.article_id || ' does not exist'
FROM core.events e LEFT JOIN core.articles a USING (article_id) WHERE a.article_id IS NULL
UNION ALL
SELECT 'core.event_participants', p.event_id, p.role || ' ' || p.position || ': event does not exist'
FROM core.event_participants p LEFT JOIN core.events e USING (event_id) WHERE e.event_id IS NULL
UNION ALL
SELECT 'core.event_quantities', q.event_id, 'quantity ' || q.position || ': event does not exist'
FROM core.event_quantities q LEFT JOIN core.events e USING (event_id) WHERE e.event_id IS NULL
UNION ALL
SELECT 'core.mentions', m.mention_id, 'entity ' || m.entity_id || ' is not in core.entities'
FROM core.mentions m LEFT JOIN core.entities x USING (entity_id) WHERE m.entity_id IS NOT NULL AND x.entity_id IS NULL
UNION ALL
SELECT 'core.quotes', q.quote_id, 'speaker ' || q.speaker_entity_id || ' is not in core.entities'
FROM core.quotes q LEFT JOIN core.entities x ON x.entity_id = q.speaker_entity_id
WHERE q.speaker_entity_id IS NOT NULL AND x.entity_id IS NULL
UNION ALL
SELECT 'core.events', e.event_id, 'place ' || e.location_entity_id || ' is not in core.entities'
FROM core.events e LEFT JOIN core.entities x ON x.entity_id = e.location_entity_id
WHERE e.location_entity_id IS NOT NULL AND x.entity_id IS NULL
UNION ALL
SELECT 'core.event_participants', p.event_id, p.role || ' ' || p.entity_id || ' is not in core.entities'
FROM core.event_participants p LEFT JOIN core.entities x USING (entity_id) WHERE p.entity_id IS NOT NULL AND x.entity_id IS NULL
UNION ALL
SELECT 'core.articles', a.article_id, 'story ' || a.story_id || ' does not exist'
FROM core.articles a LEFT JOIN core.stories s USING (story_id) WHERE a.story_id IS NOT NULL AND s.story_id IS NULL
UNION ALL
SELECT 'core.articles', a.article_id, 'duplicate group ' || a.duplicate_group_id || ' does not exist'
FROM core.articles a LEFT JOIN core.duplicate_groups g USING (duplicate_group_id)
WHERE a.duplicate_group_id IS NOT NULL AND g.duplicate_group_id IS NULL
UNION ALL
SELECT 'core.stories', s.story_id, 'claims ' || s.article_count || ' article(s) but has none'
FROM core.stories s WHERE s.article_count > 0 AND NOT EXISTS (SELECT 1 FROM core.articles a WHERE a.story_id = s.story_id)
UNION ALL
SELECT 'core.duplicate_groups', g.duplicate_group_id, 'claims ' || g.article_count || ' article(s) but has none'
FROM core.duplicate_groups g
WHERE g.article_count > 0 AND NOT EXISTS (SELECT 1 FROM core.articles a WHERE a.duplicate_group_id = g.duplicate_group_id)
ORDER BY 1, 2, 3;
