-- How did Ukrainian, Russian and Western outlets cover Kursk in the week of 11 March 2025?
--
-- Per perspective: the outlets with war articles between from_day and to_day (both
-- included), their war articles (reprints included: carrying a story is covering it),
-- how many of those name the entity and what share that is, the stories those articles
-- belong to, and the events they report that took place there or involve the entity
-- (an event once per story, type, place and date, as in core.story_events), with the
-- count of each event type. Perspectives: ukrainian -> Ukrainian, russian_state and
-- russian_independent -> Russian state and Russian independent (they report one war
-- very differently), european and us -> Western; wire services, Middle Eastern and other
-- outlets keep their own rows. entity: a name as any outlet writes it, in Latin or
-- Cyrillic letters, a Wikidata QID or a registry id; several separated by | are read as
-- one (Kursk|Kursk region: the town and the region, which the registry keeps apart).
--
-- Indexes: daily_war_articles_by_outlet_key (day, source_id); articles_published_idx,
-- then per article mentions_article_idx and events_article_idx; event_participants_pkey.
--
--   psql -v entity='Kursk|Kursk region' -v from_day=2025-03-11 -v to_day=2025-03-18 -f sql/queries/coverage_by_perspective.sql
WITH wanted AS (
    SELECT entity_id FROM core.entities_named(:'entity')
), camps AS (
    SELECT source_id,
           CASE perspective
               WHEN 'ukrainian' THEN 'Ukrainian'
               WHEN 'russian_state' THEN 'Russian state'
               WHEN 'russian_independent' THEN 'Russian independent'
               WHEN 'european' THEN 'Western'
               WHEN 'us' THEN 'Western'
               ELSE perspective
           END AS camp
    FROM core.sources
), totals AS (
    SELECT c.camp,
           count(DISTINCT d.source_id)    AS outlets,
           sum(d.articles + d.copies)     AS articles
    FROM marts.daily_war_articles_by_outlet d
    JOIN camps c USING (source_id)
    WHERE d.day >= :'from_day'::date
      AND d.day <  :'to_day'::date + 1
    GROUP BY c.camp
), in_period AS (
    SELECT a.article_id, a.story_id, c.camp
    FROM core.articles a
    JOIN camps c USING (source_id)
    WHERE a.published_at >= :'from_day'::date
      AND a.published_at <  :'to_day'::date + 1
), naming AS (
    SELECT p.camp,
           count(*)                       AS articles,
           count(DISTINCT p.story_id)     AS stories
    FROM in_period p
    WHERE EXISTS (SELECT FROM core.mentions m
                  WHERE m.article_id = p.article_id AND m.entity_id IN (SELECT entity_id FROM wanted))
    GROUP BY p.camp
), events AS (
    SELECT DISTINCT p.camp, p.story_id, e.event_type, e.location_entity_id, e.event_date
    FROM in_period p
    JOIN core.events e USING (article_id)
    WHERE e.location_entity_id IN (SELECT entity_id FROM wanted)
       OR EXISTS (SELECT FROM core.event_participants ep
                  WHERE ep.event_id = e.event_id AND ep.entity_id IN (SELECT entity_id FROM wanted))
), event_types AS (
    SELECT camp, event_type, count(*) AS events
    FROM events
    GROUP BY camp, event_type
), event_summary AS (
    SELECT camp,
           sum(events)                                                              AS events,
           string_agg(event_type || ' ' || events, ', ' ORDER BY events DESC, event_type) AS event_types
    FROM event_types
    GROUP BY camp
)
SELECT t.camp                                                        AS perspective,
       t.outlets,
       t.articles,
       coalesce(n.articles, 0)                                       AS naming_it,
       round(coalesce(n.articles, 0)::numeric / t.articles, 3)       AS share,
       coalesce(n.stories, 0)                                        AS stories,
       coalesce(ev.events, 0)                                        AS events,
       ev.event_types
FROM totals t
LEFT JOIN naming n USING (camp)
LEFT JOIN event_summary ev USING (camp)
ORDER BY array_position(ARRAY['Ukrainian', 'Russian state', 'Russian independent', 'Western'], t.camp) NULLS LAST,
         t.camp;
