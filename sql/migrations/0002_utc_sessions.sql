-- Day windows are UTC days. Make UTC the default time zone of every session on the
-- warehouse database, so that '2025-03-15'::date compared with a timestamptz means the
-- UTC day in psql and BI tools too (a session can still SET TIME ZONE for display).
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET timezone TO %L', current_database(), 'UTC');
END
$$;
