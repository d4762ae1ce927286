-- The warehouse analysts query: a marts layer, a comment on every column, full-text
-- search over articles and quotes, and two group roles: newsfacts_loader writes what the
-- pipeline writes, newsfacts_analyst reads core and marts and nothing else.
--
-- Layers: raw = what outlets served (pages, feeds, links); core = what the pipeline
-- derived (sources, articles, stories, entities, facts); marts = materialized views built
-- on core for analysis; ops = how the pipeline ran.

-- Layers and comments -------------------------------------------------------------------

-- IF NOT EXISTS: the marts migration may create the schema before or after this one.
CREATE SCHEMA IF NOT EXISTS marts;
COMMENT ON SCHEMA marts IS 'Materialized views built on core for analysis, refreshed by the pipeline.';

COMMENT ON COLUMN core.story_events.story_id IS 'The story the event was reported in.';
COMMENT ON COLUMN core.story_events.event_type IS 'PLOVER event type.';
COMMENT ON COLUMN core.story_events.location_entity_id IS 'The place, linked (null when unlinked).';
COMMENT ON COLUMN core.story_events.event_date IS 'When it happened, as resolved from the text.';
COMMENT ON COLUMN core.story_events.first_event_id IS 'The lowest core.events row merged into this one: a place to read the sentence.';
COMMENT ON COLUMN core.story_events.articles IS 'Articles of the story that report the event.';
COMMENT ON COLUMN core.story_events.outlets IS 'Distinct outlets among them.';

-- Full-text search ------------------------------------------------------------------------
-- Generated and stored, so every writer keeps them current without knowing they exist;
-- query with  search_vector @@ websearch_to_tsquery('english', '...')  to use the index.

ALTER TABLE core.articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body_text), 'B')
) STORED;
CREATE INDEX articles_search_idx ON core.articles USING gin (search_vector);
COMMENT ON COLUMN core.articles.search_vector IS 'Full-text search document (english): the headline weighted A, the text B. Match with websearch_to_tsquery(''english'', ...), rank with ts_rank.';

ALTER TABLE core.quotes ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('english', quote_text)
) STORED;
CREATE INDEX quotes_search_idx ON core.quotes USING gin (search_vector);
COMMENT ON COLUMN core.quotes.search_vector IS 'Full-text search document (english) of quote_text. Match with websearch_to_tsquery(''english'', ...).';

-- Roles -------------------------------------------------------------------------------------
-- Roles belong to the cluster, grants to each database: create the roles once (whichever
-- database is migrated first), grant in every database. The existence check lets a
-- migrating role without CREATEROLE pass when a DBA created the roles beforehand; the
-- handler covers two databases of one cluster migrating at the same moment.
-- Role settings are not inherited by members: the statement_timeout below documents the
-- intent, and each analyst login role sets its own (see README).

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsfacts_loader') THEN
        BEGIN
            CREATE ROLE newsfacts_loader NOLOGIN;
            COMMENT ON ROLE newsfacts_loader IS 'newsfacts pipeline writers: reads and writes raw, core and ops, refreshes marts through ops.refresh_mart, no DDL.';
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsfacts_analyst') THEN
        BEGIN
            CREATE ROLE newsfacts_analyst NOLOGIN;
            COMMENT ON ROLE newsfacts_analyst IS 'newsfacts readers: SELECT on core and marts only; no raw pages, no writes, no DDL.';
            ALTER ROLE newsfacts_analyst SET statement_timeout = '30s';
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

-- Nobody creates objects but the owner of the schemas (the role that runs migrations).
-- PostgreSQL 15 no longer lets PUBLIC create in public; databases upgraded from older
-- versions still do.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON SCHEMA raw, core, ops, marts FROM PUBLIC;

-- The loader: what the stages do (DML, COPY, temporary staging tables), never DDL.
-- ALTER DEFAULT PRIVILEGES covers tables that later migrations create, as long as the
-- same role runs them (default privileges apply to objects created by the granting role).
GRANT USAGE ON SCHEMA raw, core, ops, marts TO newsfacts_loader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA raw, core, ops TO newsfacts_loader;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA raw, core, ops TO newsfacts_loader;
GRANT SELECT ON ALL TABLES IN SCHEMA marts TO newsfacts_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA raw, core, ops GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO newsfacts_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA raw, core, ops GRANT USAGE, SELECT ON SEQUENCES TO newsfacts_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA marts GRANT SELECT ON TABLES TO newsfacts_loader;
-- The migration ledger is written by migrations only.
REVOKE INSERT, UPDATE, DELETE ON ops.schema_migrations FROM newsfacts_loader;

-- The analyst: read core and marts, present and future; raw (the pages as served) and ops
-- stay private.
GRANT USAGE ON SCHEMA core, marts TO newsfacts_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA core, marts TO newsfacts_analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA core, marts GRANT SELECT ON TABLES TO newsfacts_analyst;

-- Refreshing marts ------------------------------------------------------------------------
-- REFRESH MATERIALIZED VIEW needs ownership (PostgreSQL 17 adds a MAINTAIN privilege), and
-- owning the marts would let the loader drop or redefine them. This function runs as its
-- owner, the role that runs migrations and so owns the marts, and refreshes nothing but a
-- materialized view in marts.

CREATE FUNCTION ops.refresh_mart(mart regclass, concurrent boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.oid = mart AND c.relkind = 'm' AND n.nspname = 'marts') THEN
        RAISE EXCEPTION '% is not a materialized view in schema marts', mart
            USING ERRCODE = 'wrong_object_type';
    END IF;
    EXECUTE format('REFRESH MATERIALIZED VIEW %s %s', CASE WHEN concurrent THEN 'CONCURRENTLY' END, mart);
END
$$;
COMMENT ON FUNCTION ops.refresh_mart(regclass, boolean) IS 'Refresh one materialized view of marts as its owner; concurrent => true refreshes CONCURRENTLY, which needs a unique index on it. Executable by newsfacts_loader.';
REVOKE ALL ON FUNCTION ops.refresh_mart(regclass, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.refresh_mart(regclass, boolean) TO newsfacts_loader;
