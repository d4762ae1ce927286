-- What happened each day between two dates, by type of event?
--
-- A timeline: per UTC day and PLOVER event type (ASSAULT, CONSULT, AGREE, ...), how many
-- events (the stories that reported one: a wire story and its reprints are one event),
-- how many reports (articles) and outlets, and the places reported most (up to three,
-- the most reported first). An event's day is the date the text gives it, else the day
-- of the report; events dated only to a week, month or year ("since January") are
-- background and left out, as in the marts. from_day and to_day are included.
--
-- Indexes: events_dated_day_idx (0010_query_indexes) for events the text dates;
-- articles_published_idx and events_article_idx for the others.
--
--   psql -v from_day=2025-03-14 -v to_day=2025-03-17 -f sql/queries/events_timeline.sql
WITH reported AS (
    SELECT e.article_id, e.event_type, e.location_entity_id, e.location_name, e.event_date AS day
    FROM core.events e
    WHERE e.date_precision = 'day'
      AND e.event_date >= :'from_day'::date
      AND e.event_date <  :'to_day'::date + 1
    UNION ALL
    SELECT e.article_id, e.event_type, e.location_entity_id, e.location_name, (a.published_at AT TIME ZONE 'UTC')::date
    FROM core.articles a
    JOIN core.events e USING (article_id)
    WHERE a.published_at >= :'from_day'::date
      AND a.published_at <  :'to_day'::date + 1
      AND e.event_date IS NULL
), located AS (
    SELECT r.day, r.event_type, r.article_id, a.story_id, a.source_id,
           coalesce(place.name, r.location_name) AS place
    FROM reported r
    JOIN core.articles a ON a.article_id = r.article_id
    LEFT JOIN core.entities place ON place.entity_id = r.location_entity_id
), places AS (
    SELECT day, event_type, place,
           row_number() OVER (PARTITION BY day, event_type ORDER BY count(DISTINCT article_id) DESC, place) AS n
    FROM located
    WHERE place IS NOT NULL
    GROUP BY day, event_type, place
), top_places AS (
    SELECT day, event_type, string_agg(place, ', ' ORDER BY n) AS top_places
    FROM places
    WHERE n <= 3
    GROUP BY day, event_type
)
SELECT l.day,
       l.event_type,
       count(DISTINCT l.story_id)      AS events,
       count(DISTINCT l.article_id)    AS reports,
       count(DISTINCT l.source_id)     AS outlets,
       t.top_places
FROM located l
LEFT JOIN top_places t USING (day, event_type)
GROUP BY l.day, l.event_type, t.top_places
ORDER BY l.day, events DESC, reports DESC, l.event_type;
