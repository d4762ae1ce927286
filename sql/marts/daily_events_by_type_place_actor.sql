-- What happened where, and who did it: events per UTC day, PLOVER type, place and actor.
--
-- The same event told by several articles of one story counts once (as in
-- core.story_events): events counts stories, articles and outlets count the reports.
-- An event's day is the date the text gives it; an event the text does not date is
-- put on the day of the report. Events dated only to a week, month or year ("since
-- January") are background, not news of a day, and are left out. An event with two
-- actors is in two rows, so do not add events up across actors. Linked places carry
-- coordinates, a country and the oblast (krai) they lie in.
CREATE MATERIALIZED VIEW marts.daily_events_by_type_place_actor AS
WITH reported AS (
    SELECT e.event_id,
           e.article_id,
           a.story_id,
           a.source_id,
           e.event_type,
           coalesce(e.event_date, (coalesce(a.published_at, a.first_window) AT TIME ZONE 'UTC')::date) AS day,
           e.location_entity_id,
           coalesce(place.name, e.location_name) AS place,
           place.lat,
           place.lon,
           place.country,
           place.region_entity_id,
           region.name AS region
    FROM core.events e
    JOIN core.articles a USING (article_id)
    LEFT JOIN core.entities place ON place.entity_id = e.location_entity_id
    LEFT JOIN core.entities region ON region.entity_id = place.region_entity_id
    WHERE a.story_id IS NOT NULL
      AND (e.event_date IS NULL OR e.date_precision = 'day')
)
SELECT r.day,
       r.event_type,
       r.location_entity_id              AS place_entity_id,
       r.place,
       r.lat                             AS latitude,
       r.lon                             AS longitude,
       r.country                         AS place_country,
       r.region_entity_id,
       r.region,
       p.entity_id                       AS actor_entity_id,
       coalesce(actor.name, p.name)      AS actor,
       count(DISTINCT r.story_id)        AS events,
       count(DISTINCT r.article_id)      AS articles,
       count(DISTINCT r.source_id)       AS outlets
FROM reported r
LEFT JOIN core.event_participants p ON p.event_id = r.event_id AND p.role = 'actor'
LEFT JOIN core.entities actor ON actor.entity_id = p.entity_id
GROUP BY r.day, r.event_type, r.location_entity_id, r.place, r.lat, r.lon, r.country, r.region_entity_id, r.region,
         p.entity_id, coalesce(actor.name, p.name);

CREATE UNIQUE INDEX daily_events_by_type_place_actor_key ON marts.daily_events_by_type_place_actor
    (day, event_type, place_entity_id, place, actor_entity_id, actor) NULLS NOT DISTINCT;
CREATE INDEX daily_events_by_type_place_actor_place_idx ON marts.daily_events_by_type_place_actor (place_entity_id, day);
CREATE INDEX daily_events_by_type_place_actor_region_idx ON marts.daily_events_by_type_place_actor (region_entity_id, day);
CREATE INDEX daily_events_by_type_place_actor_actor_idx ON marts.daily_events_by_type_place_actor (actor_entity_id, day);

COMMENT ON MATERIALIZED VIEW marts.daily_events_by_type_place_actor IS 'Events per UTC day, PLOVER type, place and actor, each event counted once per story however many articles told it. Events dated only to a week, month or year are left out.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.day IS 'The day the text gives the event; the UTC day of the report when the text gives none.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.event_type IS 'PLOVER event type: ASSAULT, CONSULT, AGREE, ...';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.place_entity_id IS 'The place, linked to the registry (core.entities); null when unlinked or not named.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.place IS 'Name of the place (canonical when linked, as written otherwise); null when the event names none.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.latitude IS 'Latitude of the linked place (WGS84); null when unlinked.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.longitude IS 'Longitude of the linked place (WGS84); null when unlinked.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.place_country IS 'ISO 3166-1 alpha-2 country of the linked place.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.region_entity_id IS 'The oblast (krai) the linked place lies in, as an entity id; null when unknown.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.region IS 'Name of that oblast (krai), e.g. Donetsk Oblast.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.actor_entity_id IS 'The actor, linked to the registry; null when unlinked or when the event has no actor.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.actor IS 'Name of the actor (canonical when linked); null when the event has no actor.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.events IS 'Distinct events: stories that reported an event of this type, place, day and actor.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.articles IS 'Articles that reported it.';
COMMENT ON COLUMN marts.daily_events_by_type_place_actor.outlets IS 'Distinct outlets that reported it.';
