-- The analysts' marts: materialized views in schema marts, one per file of sql/marts/,
-- built by `newsfacts migrate` after the migrations (newsfacts/marts.py). This ledger
-- records which version of each file a mart was built from, so a mart is rebuilt only
-- when its file changed.

-- IF NOT EXISTS: 0006_analyst_access creates (and comments) the schema too.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE TABLE ops.mart_definitions (
    name       text PRIMARY KEY,
    sha256     text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE ops.mart_definitions IS 'Marts built from sql/marts/: the file each was built from, by hash. A changed file rebuilds its mart.';
COMMENT ON COLUMN ops.mart_definitions.name IS 'Mart name: the file name without .sql, and the view marts.<name>.';
COMMENT ON COLUMN ops.mart_definitions.sha256 IS 'SHA-256 of the file the mart was last built from.';
COMMENT ON COLUMN ops.mart_definitions.applied_at IS 'When the mart was last (re)built.';
