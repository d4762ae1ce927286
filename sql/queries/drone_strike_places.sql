-- Which places were hit by drones last week, by number of reports?
--
-- A drone attack is an ASSAULT event whose mode is drone, at a place the registry has
-- coordinates for (latitude and longitude, to put the answer on a map; a country stands
-- for reports that name nothing more precise). Its day is the date the text gives it,
-- else the UTC day of the report; attacks dated only to a week, month or year ("since
-- January") are background and left out, as in the marts. reports counts the articles
-- that told of a drone attack on the place, stories the distinct attacks as far as story
-- clustering can tell (a wire story and its reprints are one), outlets the outlets.
-- "Last week" is any span of days: from_day to to_day, both included.
--
-- Indexes: events_type_date_idx (event_type, event_date) for attacks the text dates;
-- articles_published_idx and events_article_idx for the others.
--
--   psql -v from_day=2025-03-11 -v to_day=2025-03-17 -f sql/queries/drone_strike_places.sql
WITH attacks AS (
    SELECT e.article_id, e.location_entity_id, e.event_date AS day
    FROM core.events e
    WHERE e.event_type = 'ASSAULT'
      AND e.mode = 'drone'
      AND e.date_precision = 'day'
      AND e.event_date >= :'from_day'::date
      AND e.event_date <  :'to_day'::date + 1
    UNION ALL
    SELECT e.article_id, e.location_entity_id, (a.published_at AT TIME ZONE 'UTC')::date
    FROM core.articles a
    JOIN core.events e USING (article_id)
    WHERE a.published_at >= :'from_day'::date
      AND a.published_at <  :'to_day'::date + 1
      AND e.event_type = 'ASSAULT'
      AND e.mode = 'drone'
      AND e.event_date IS NULL
)
SELECT place.name                        AS place,
       place.entity_id                   AS place_entity_id,
       place.lat                         AS latitude,
       place.lon                         AS longitude,
       place.country,
       count(DISTINCT t.article_id)      AS reports,
       count(DISTINCT a.story_id)        AS stories,
       count(DISTINCT a.source_id)       AS outlets,
       min(t.day)                        AS first_day,
       max(t.day)                        AS last_day
FROM attacks t
JOIN core.entities place ON place.entity_id = t.location_entity_id
JOIN core.articles a ON a.article_id = t.article_id
WHERE place.lat IS NOT NULL
  AND place.lon IS NOT NULL
GROUP BY place.entity_id
ORDER BY reports DESC, stories DESC, place.name;
