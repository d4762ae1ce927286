"""Shared fixtures: a real PostgreSQL database per session, a real HTTP server on 127.0.0.1.

The server is the PostgreSQL on 127.0.0.1:5432 (override with NEWSFACTS_TEST_PG, a
libpq DSN of a role that may create databases). Each test session creates its own
database, migrates it once and uses it as a template: tests that need an empty
warehouse get a fresh copy in milliseconds. Everything is dropped at the end.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from newsfacts.fixture_server import GDELT_PATH, FixtureServer
from newsfacts.migrations import migrate

ADMIN_DSN = os.environ.get("NEWSFACTS_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")

#: Limits for tests: the fixture server's slow routes must time out in about a second.
TEST_ENVIRONMENT = {
    "NEWSFACTS_READ_TIMEOUT": "1",
    "NEWSFACTS_TOTAL_TIMEOUT": "3",
    "NEWSFACTS_RETRIES": "1",
    "NEWSFACTS_BACKOFF_SECONDS": "0.05",
    "NEWSFACTS_HOST_MIN_INTERVAL": "0",
    "NEWSFACTS_GDELT_MIN_INTERVAL": "0",
}


def _dsn_for(dbname: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_DSN)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**info)


def _admin(statement: sql.Composable) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture(scope="session")
def template_db():
    """A migrated database that per-test databases are copied from."""
    name = f"newsfacts_test_{uuid.uuid4().hex[:10]}"
    try:
        _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        pytest.exit(f"PostgreSQL is not reachable at {ADMIN_DSN!r}: {exc}", returncode=2)
    migrate(_dsn_for(name))
    yield name
    _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def warehouse(template_db):
    """DSN of a fresh, migrated warehouse database for one test."""
    name = f"{template_db}_{uuid.uuid4().hex[:6]}"
    _admin(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template_db)))
    yield _dsn_for(name)
    _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def fixture_server():
    """The demo corpus served over HTTP on 127.0.0.1 (an ephemeral port)."""
    with FixtureServer() as server:
        yield server


@pytest.fixture
def server(fixture_server):
    """The session's fixture server with fresh request counts and the corpus restored."""
    fixture_server.load()
    fixture_server.reset_counts()
    return fixture_server


@pytest.fixture
def pipeline_env(monkeypatch, server, warehouse):
    """Environment of a pipeline run against the fixture server and a fresh warehouse."""
    for key, value in TEST_ENVIRONMENT.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(Path(__file__).parent.parent / "demo" / "sources.yml"))
    monkeypatch.setenv("NEWSFACTS_FIXTURE_URL", server.base_url)
    monkeypatch.setenv("NEWSFACTS_GDELT_URL", server.url(GDELT_PATH))
    monkeypatch.setenv("WAREHOUSE_DSN", warehouse)
    return warehouse


def pytest_configure(config):
    """Point Airflow at this project and a throw-away metadata DB before anything imports it."""
    import tempfile

    from newsfacts import airflow_local

    home = Path(tempfile.mkdtemp(prefix="newsfacts-test-home-"))
    os.environ["NEWSFACTS_HOME"] = str(home)
    airflow_local.configure(home)
