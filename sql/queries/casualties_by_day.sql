-- How many people were reported killed and injured each day, and where: the lowest and
-- highest figure reported, and in how many stories?
--
-- From marts.daily_casualty_and_strike_figures: figures of ASSAULT events only, per UTC
-- day the text gives the attack (else the day of the report), figure and place. Reports
-- of one attack often disagree (tolls rise during the day, each side counts its own way):
-- lowest and highest bound what was reported, figures lists every distinct number,
-- stories counts the attacks (story clusters) that reported one, outlets the outlets.
-- Rows without a place are reports that named none. from_day and to_day are included.
--
-- Index: daily_casualty_and_strike_figures_key (day, kind, ...).
--
--   psql -v from_day=2025-03-14 -v to_day=2025-03-17 -f sql/queries/casualties_by_day.sql
SELECT c.day,
       c.place,
       c.kind,
       c.lowest,
       c.highest,
       c.figures,
       c.stories,
       c.outlets
FROM marts.daily_casualty_and_strike_figures c
WHERE c.kind IN ('killed', 'injured')
  AND c.day >= :'from_day'::date
  AND c.day <  :'to_day'::date + 1
ORDER BY c.day, c.place NULLS LAST, c.kind DESC;
