-- How many were killed and injured, how many drones and missiles were launched, per
-- UTC day and place, with the lowest and highest figure reported and how many stories
-- reported one?
--
-- Figures of ASSAULT events only: the same number in a prisoner swap (AGREE) is not a
-- casualty. Days follow daily_events_by_type_place_actor (the text's date, else the
-- report's; events dated only to a week, month or year are left out). Reports of one
-- attack often disagree (tolls rise during the day, each side counts differently):
-- lowest and highest bound what was reported, figures lists every distinct number. A
-- spread can also be two figures of one attack (drones launched and drones shot down);
-- the sentences in core.events tell them apart.
CREATE MATERIALIZED VIEW marts.daily_casualty_and_strike_figures AS
SELECT coalesce(e.event_date, (coalesce(a.published_at, a.first_window) AT TIME ZONE 'UTC')::date) AS day,
       q.kind,
       e.location_entity_id                                 AS place_entity_id,
       coalesce(place.name, e.location_name)                AS place,
       min(q.value)                                         AS lowest,
       max(q.value)                                         AS highest,
       array_agg(DISTINCT q.value ORDER BY q.value)         AS figures,
       count(DISTINCT a.story_id)                           AS stories,
       count(DISTINCT e.article_id)                         AS articles,
       count(DISTINCT a.source_id)                          AS outlets
FROM core.event_quantities q
JOIN core.events e USING (event_id)
JOIN core.articles a USING (article_id)
LEFT JOIN core.entities place ON place.entity_id = e.location_entity_id
WHERE q.kind IN ('killed', 'injured', 'drones', 'missiles')
  AND e.event_type = 'ASSAULT'
  AND a.story_id IS NOT NULL
  AND (e.event_date IS NULL OR e.date_precision = 'day')
GROUP BY 1, q.kind, e.location_entity_id, coalesce(place.name, e.location_name);

CREATE UNIQUE INDEX daily_casualty_and_strike_figures_key ON marts.daily_casualty_and_strike_figures
    (day, kind, place_entity_id, place) NULLS NOT DISTINCT;

COMMENT ON MATERIALIZED VIEW marts.daily_casualty_and_strike_figures IS 'Killed, injured, drones and missiles reported for ASSAULT events, per UTC day, figure and place: the lowest and highest number reported and how many stories, articles and outlets reported one.';
COMMENT ON COLUMN marts.daily_casualty_and_strike_figures.day IS 'The day the text gives the attack; the UTC day of the report when the text gives none.';
COMMENT ON COLUMN marts.daily_casualty_and_strike_figures.kind IS 'What was counted: killed, injured, drones or missiles.';
COMMENT ON COLUMN marts.daily_casualty_and_strike_figures.place_entity_id IS 'The place of the attack, linked to the registry; null when unlinked or not named.';
COMMENT ON COLUMN marts.daily_casualty_and_strike_figures.place IS 'Name of the place (canonical when linked); null when the report names none.';
COMMENT ON COLUMN marts.daily_casualty_and_strike_figures.lowest IS 'Lowest figure reported.';
COMMENT ON COLUMN marts.daily_casualty_and_strike_figures.highest IS 'Highest figure reported.';
COMMENT ON COLUMN marts.daily_casualty_and_strike_figures.figures IS 'Every distinct figure reported, ascending.';
COMMENT ON COLUMN marts.daily_casualty_and_strike_figures.stories IS 'Stories with a report of such a figure: distinct attacks, as far as story clustering can tell.';
COMMENT ON COLUMN marts.daily_casualty_and_strike_figures.articles IS 'Articles that reported a figure.';
COMMENT ON COLUMN marts.daily_casualty_and_strike_figures.outlets IS 'Distinct outlets that reported a figure.';
