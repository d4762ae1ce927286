"""Migrations and the connection to the warehouse, including the embedded default."""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest

from newsfacts.migrations import MigrationError, discover, migrate
from newsfacts.warehouse import dsn_from_airflow_conn

MIGRATIONS = Path(__file__).parent.parent / "sql" / "migrations"


def _tables(dsn):
    with psycopg.connect(dsn) as conn:
        return {
            f"{s}.{t}"
            for s, t in conn.execute(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_schema IN ('raw', 'core', 'ops')"
            )
        }


def test_migrations_are_ordered_and_applied_once(warehouse, template_db):
    versions = [m.version for m in discover()]
    assert versions == sorted(versions) and versions[0] == 1
    assert migrate(warehouse) == []  # the template was migrated already
    assert {"core.sources", "raw.feed_polls", "raw.feed_entries", "raw.links", "raw.pages",
            "core.articles", "ops.run_metrics", "ops.schema_migrations"} <= _tables(warehouse)
    with psycopg.connect(warehouse) as conn:
        applied = conn.execute("SELECT count(*) FROM ops.schema_migrations").fetchone()[0]
        # Per-database settings live outside the database, so look at the migrated one.
        settings = conn.execute(
            "SELECT setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase "
            "WHERE d.datname = %s",
            (template_db,),
        ).fetchone()[0]
    assert applied == len(versions)
    assert "TimeZone=UTC" in settings


def test_a_changed_applied_migration_is_refused(warehouse, tmp_path):
    copied = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copied)
    first = sorted(copied.glob("*.sql"))[0]
    first.write_text(first.read_text() + "\n-- edited after release\n")
    with pytest.raises(MigrationError, match="changed after it was applied"):
        migrate(warehouse, copied)


def test_a_new_migration_is_applied_and_a_broken_one_rolls_back(warehouse, tmp_path):
    copied = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copied)
    (copied / "0900_add_probe.sql").write_text("CREATE TABLE ops.probe (x int);")
    assert migrate(warehouse, copied) == ["0900_add_probe.sql"]
    (copied / "0901_broken.sql").write_text("CREATE TABLE ops.half (x int); SELECT no_such_function();")
    with pytest.raises(MigrationError, match="0901_broken.sql failed"):
        migrate(warehouse, copied)
    assert "ops.probe" in _tables(warehouse) and "ops.half" not in _tables(warehouse)


def test_concurrent_migrations_do_not_collide(template_db, warehouse):
    with psycopg.connect(warehouse, autocommit=True) as conn:
        conn.execute("DROP SCHEMA raw, core, ops CASCADE")
    errors = []

    def run():
        try:
            migrate(warehouse)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT count(*) FROM ops.schema_migrations").fetchone()[0] == len(discover())


def test_airflow_connection_forms():
    uri = dsn_from_airflow_conn("postgresql://loader:p%40ss@db.internal:5433/warehouse?sslmode=require")
    info = psycopg.conninfo.conninfo_to_dict(uri)
    assert info == {"host": "db.internal", "port": "5433", "user": "loader", "password": "p@ss",
                    "dbname": "warehouse", "sslmode": "require"}
    as_json = dsn_from_airflow_conn(json.dumps({"conn_type": "postgres", "host": "h", "login": "u",
                                                "schema": "w", "port": 5432, "extra": {"sslmode": "disable"}}))
    assert psycopg.conninfo.conninfo_to_dict(as_json) == {"host": "h", "user": "u", "dbname": "w",
                                                          "port": "5432", "sslmode": "disable"}


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("WAREHOUSE_DSN", "AIRFLOW_CONN_WAREHOUSE")}
    env["NEWSFACTS_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "newsfacts.cli", *args], env=env, capture_output=True,
                          text=True, timeout=120, check=True)


def test_embedded_warehouse_starts_from_nothing_migrates_and_is_reused(tmp_path):
    """With no DSN configured, a real PostgreSQL is started in the project's home."""
    home = tmp_path / "home"
    first = _cli(home, "migrate")
    assert "0001_pipeline_core.sql" in first.stdout
    assert (home / "warehouse" / "PG_VERSION").exists()
    probe = [sys.executable, "-c", "from newsfacts.warehouse import resolve_dsn; print(resolve_dsn())"]
    env = {k: v for k, v in os.environ.items() if k not in ("WAREHOUSE_DSN", "AIRFLOW_CONN_WAREHOUSE")}
    env["NEWSFACTS_HOME"] = str(home)
    dsn = subprocess.run(probe, env=env, capture_output=True, text=True, check=True).stdout.strip()
    with psycopg.connect(dsn) as conn:
        started = conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0]
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        assert conn.execute("SELECT version()").fetchone()[0].startswith("PostgreSQL")
    try:
        second = _cli(home, "migrate")
        assert "0 migration(s) applied" in second.stdout
        with psycopg.connect(dsn) as conn:
            assert conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0] == started
            assert conn.execute("SELECT count(*) FROM ops.schema_migrations").fetchone()[0] == len(discover())
    finally:
        postmaster = int((home / "warehouse" / "postmaster.pid").read_text().split()[0])
        os.kill(postmaster, signal.SIGINT)  # fast shutdown
    assert pid
