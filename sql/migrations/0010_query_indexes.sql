-- Indexes the example queries of sql/queries/ need at scale and the earlier migrations
-- did not create.
--
-- Events by the day the text gives them, whatever their type: the timeline
-- (events_timeline.sql) ranges over event_date for every type at once, which
-- events_type_date_idx (event_type, event_date) cannot serve without an equality on
-- event_type. Partial: only events dated to the day are ever ranged over by day (those
-- dated to a week, month or year are background), so the index skips the rest.

CREATE INDEX events_dated_day_idx ON core.events (event_date) WHERE date_precision = 'day';
COMMENT ON INDEX core.events_dated_day_idx IS 'Events dated to a day, by that day: day ranges over all event types (sql/queries/events_timeline.sql).';
