-- Run before every migration pass: the ledger of applied migrations.
-- Idempotent on purpose; everything else lives in sql/migrations/.
CREATE SCHEMA IF NOT EXISTS ops;
COMMENT ON SCHEMA ops IS 'How the pipeline runs: applied migrations, per-run metrics.';
CREATE TABLE IF NOT EXISTS ops.schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    sha256     text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE ops.schema_migrations IS 'Migrations from sql/migrations/ applied to this database, in order.';
COMMENT ON COLUMN ops.schema_migrations.version IS 'Number prefix of the migration file.';
COMMENT ON COLUMN ops.schema_migrations.name IS 'File name of the migration.';
COMMENT ON COLUMN ops.schema_migrations.sha256 IS 'SHA-256 of the file as applied; an applied migration must never change.';
COMMENT ON COLUMN ops.schema_migrations.applied_at IS 'When it was applied.';
