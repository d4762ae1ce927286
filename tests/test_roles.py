"""The group roles of 0006_analyst_access, exercised by logging in as their members.

Roles belong to the cluster and outlive the test databases, so each test creates its own
login roles and drops them at the end (the ``login_role`` fixture of conftest.py).
"""

from datetime import date

import psycopg
import pytest
from psycopg import errors

from newsfacts.warehouse import connect
from pipeline_helpers import expected_by_day, loaded_by_day, run_day

DAY = date(2025, 3, 15)
SCHEMAS = ("raw", "core", "ops", "marts", "public")
PROBE_MART = "marts.probe_article_count"


def _create_probe_mart(admin_dsn: str) -> None:
    """A materialized view in marts made the way the marts migrations make them (by the owner)."""
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE MATERIALIZED VIEW {PROBE_MART} AS SELECT count(*) AS articles FROM core.articles")
        conn.execute(f"CREATE UNIQUE INDEX ON {PROBE_MART} (articles)")


def _refused(conn: psycopg.Connection, statement: str) -> bool:
    try:
        conn.execute(statement)
    except errors.InsufficientPrivilege:
        return True
    return False


def _relations(conn: psycopg.Connection, schemas: tuple[str, ...]) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT format('%%I.%%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ANY (%s) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1", (list(schemas),))]


def test_an_analyst_reads_core_and_marts_and_nothing_else(pipeline_env, server, login_role):
    run_day(pipeline_env, DAY)
    _create_probe_mart(pipeline_env)
    analyst = login_role("newsfacts_analyst")

    assert loaded_by_day(analyst)[DAY] == expected_by_day(server)[DAY]
    with psycopg.connect(analyst, autocommit=True) as conn:
        readable = _relations(conn, ("core", "marts"))
        assert {"core.articles", "core.story_events", PROBE_MART} <= set(readable)
        for relation in readable:
            assert conn.execute("SELECT has_table_privilege(%s, 'SELECT')", (relation,)).fetchone()[0], relation
            for write in ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"):
                assert not conn.execute("SELECT has_table_privilege(%s, %s)", (relation, write)).fetchone()[0], (
                    relation, write)
        articles = conn.execute("SELECT count(*) FROM core.articles").fetchone()[0]
        assert conn.execute(f"SELECT articles FROM {PROBE_MART}").fetchone()[0] == articles
        assert conn.execute("SELECT count(*) FROM core.story_events").fetchone()[0] > 0
        assert sorted(conn.execute("SELECT entity_id FROM core.entities_named('q3874799 | Kyiv')")) == [
            ("person/volodymyr-zelenskyy",), ("place/kyiv",)]

        for relation in _relations(conn, ("raw", "ops")):  # the catalog is public, the rows are not
            assert _refused(conn, f"SELECT * FROM {relation} LIMIT 1"), relation
        for statement in (
            "INSERT INTO core.sources (slug, name, feed_url, language, country, perspective)"
            " VALUES ('x', 'x', 'https://x.example/feed', 'en', 'GB', 'european')",
            "UPDATE core.articles SET title = 'edited'",
            "DELETE FROM core.articles",
            "TRUNCATE core.articles CASCADE",
            f"REFRESH MATERIALIZED VIEW {PROBE_MART}",
            f"SELECT ops.refresh_mart('{PROBE_MART}')",
            "CREATE SCHEMA scratch",
            *(f"CREATE TABLE {schema}.scratch (x int)" for schema in SCHEMAS),
            "CREATE VIEW core.scratch AS SELECT 1 AS x",
            "CREATE INDEX ON core.articles (title)",
            "ALTER TABLE core.articles ADD COLUMN note text",
            "COMMENT ON TABLE core.articles IS 'mine'",
            "DROP VIEW core.story_events",
            "DROP TABLE core.articles CASCADE",
            f"DROP MATERIALIZED VIEW {PROBE_MART}",
            "DROP SCHEMA core CASCADE",
            "DROP FUNCTION core.entities_named(text)",
            "CREATE OR REPLACE FUNCTION core.entities_named(names text) RETURNS TABLE (entity_id text)"
            " LANGUAGE sql AS 'SELECT entity_id FROM core.entities'",
        ):
            assert _refused(conn, statement), statement
        assert conn.execute("SELECT count(*) FROM core.articles").fetchone()[0] == articles


def test_statement_timeout_comes_from_the_login_role_not_the_group(warehouse, login_role):
    with psycopg.connect(warehouse) as conn:
        (group_settings,) = conn.execute(
            "SELECT setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole "
            "WHERE r.rolname = 'newsfacts_analyst' AND s.setdatabase = 0").fetchone()
    assert "statement_timeout=30s" in group_settings

    with psycopg.connect(login_role("newsfacts_analyst")) as conn:
        assert conn.execute("SHOW statement_timeout").fetchone()[0] != "30s"  # role settings are not inherited

    with psycopg.connect(login_role("newsfacts_analyst", statement_timeout="200ms")) as conn:
        assert conn.execute("SHOW statement_timeout").fetchone()[0] == "200ms"
        with pytest.raises(errors.QueryCanceled):
            conn.execute("SELECT pg_sleep(5)")


def test_a_loader_runs_a_day_and_refreshes_marts_without_ddl(pipeline_env, server, login_role):
    _create_probe_mart(pipeline_env)
    loader = login_role("newsfacts_loader")

    run_day(loader, DAY)

    assert loaded_by_day(pipeline_env)[DAY] == expected_by_day(server)[DAY]
    with connect(loader) as conn:
        assert conn.execute(f"SELECT articles FROM {PROBE_MART}").fetchone()[0] == 0  # not refreshed yet
        assert _refused(conn, f"REFRESH MATERIALIZED VIEW {PROBE_MART}")  # needs ownership
        conn.execute(f"SELECT ops.refresh_mart('{PROBE_MART}')")
        conn.execute(f"SELECT ops.refresh_mart('{PROBE_MART}', concurrent => true)")
        loaded = conn.execute("SELECT count(*) FROM core.articles").fetchone()[0]
        assert conn.execute(f"SELECT articles FROM {PROBE_MART}").fetchone()[0] == loaded > 0
        with pytest.raises(errors.WrongObjectType):
            conn.execute("SELECT ops.refresh_mart('core.articles')")

        for statement in (
            "INSERT INTO ops.schema_migrations (version, name, sha256) VALUES (9999, 'fake.sql', '')",
            "CREATE SCHEMA scratch",
            *(f"CREATE TABLE {schema}.scratch (x int)" for schema in SCHEMAS),
            "ALTER TABLE core.articles ADD COLUMN note text",
            "DROP TABLE raw.pages CASCADE",
            f"DROP MATERIALIZED VIEW {PROBE_MART}",
        ):
            assert _refused(conn, statement), statement
