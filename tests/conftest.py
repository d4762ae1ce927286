"""Shared fixtures: a real PostgreSQL database per session, a real HTTP server on 127.0.0.1.

The server is the PostgreSQL on 127.0.0.1:5432 (override with NEWSFACTS_TEST_PG, a
libpq DSN of a role that may create databases). Each test session creates its own
database, migrates it once and uses it as a template: tests that need an empty
warehouse get a fresh copy in milliseconds. Everything is dropped at the end.
"""

from __future__ import annotations

import os
import secrets
import uuid
from contextlib import contextmanager
from datetime import date, timedelta
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
    # The fixture server lives on 127.0.0.1, which the fetcher refuses unless allowed.
    "NEWSFACTS_ALLOW_HOSTS": "127.0.0.1",
}


def _dsn_for(dbname: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(ADMIN_DSN)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**info)


def _admin(statement: sql.Composable) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(statement)


@contextmanager
def _database_copy(template: str, suffix: str | None = None):
    """A database copied from ``template`` (named ``<template>_<suffix>``, a random suffix
    by default), dropped on exit; yields its name."""
    name = f"{template}_{suffix or uuid.uuid4().hex[:6]}"
    _admin(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
    try:
        yield name
    finally:
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _pipeline_environment(server: FixtureServer) -> dict[str, str]:
    """The environment of a pipeline run against ``server`` (WAREHOUSE_DSN aside)."""
    return {
        **TEST_ENVIRONMENT,
        "NEWSFACTS_SOURCES": str(Path(__file__).parent.parent / "demo" / "sources.yml"),
        "NEWSFACTS_FIXTURE_URL": server.base_url,
        "NEWSFACTS_GDELT_URL": server.url(GDELT_PATH),
    }


def _run_days(dsn: str, server: FixtureServer, days) -> None:
    """Load ``days`` of the demo corpus (restored first) into ``dsn`` as the pipeline does."""
    from pipeline_helpers import run_day

    server.load()
    with pytest.MonkeyPatch.context() as env:
        for key, value in _pipeline_environment(server).items():
            env.setenv(key, value)
        for day in days:
            run_day(dsn, day)


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
    with _database_copy(template_db) as name:
        yield _dsn_for(name)


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
    for key, value in _pipeline_environment(server).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("WAREHOUSE_DSN", warehouse)
    return warehouse


def pytest_configure(config):
    """Point Airflow at this project and a throw-away metadata DB before anything imports it."""
    import tempfile

    from newsfacts import airflow_local

    home = Path(tempfile.mkdtemp(prefix="newsfacts-test-home-"))
    os.environ["NEWSFACTS_HOME"] = str(home)
    # Tests that build a fetcher from the settings without pipeline_env reach the
    # fixture server too; tests of the address guard set their own policy.
    os.environ["NEWSFACTS_ALLOW_HOSTS"] = TEST_ENVIRONMENT["NEWSFACTS_ALLOW_HOSTS"]
    airflow_local.configure(home)


#: The days of the demo corpus a loaded warehouse holds: a wire story and its reprints,
#: stories spanning days, every outlet's feed quirks.
DEMO_DAYS = (date(2025, 3, 14), date(2025, 3, 15), date(2025, 3, 16))


@pytest.fixture(scope="session")
def demo_template(template_db, fixture_server):
    """A database holding DEMO_DAYS as the pipeline loads them, built once per session
    (about ten seconds) for the tests that only read or damage a loaded warehouse."""
    with _database_copy(template_db, "demo") as name:
        _run_days(_dsn_for(name), fixture_server, DEMO_DAYS)
        yield name


@pytest.fixture
def demo_warehouse(demo_template):
    """DSN of a fresh copy of the loaded demo warehouse, which a test may damage."""
    with _database_copy(demo_template) as name:
        yield _dsn_for(name)


#: The whole demo corpus: 11-18 March 2025, every story from its first report to its last.
CORPUS_DAYS = tuple(date(2025, 3, 11) + timedelta(days=n) for n in range(8))


@pytest.fixture(scope="session")
def corpus_warehouse(template_db, fixture_server):
    """DSN (as the owner) of a database holding every day of the demo corpus as the
    pipeline loads them, marts refreshed; built once per session (about 40 seconds) for
    tests that only read. Do not change it: copy it with CREATE DATABASE ... TEMPLATE."""
    from newsfacts.marts import refresh_marts

    with _database_copy(template_db, "corpus") as name:
        _run_days(_dsn_for(name), fixture_server, CORPUS_DAYS)
        refresh_marts(_dsn_for(name))
        yield _dsn_for(name)


# Login roles ---------------------------------------------------------------------------
# The group roles of 0006_analyst_access are NOLOGIN: tests log in as members of them.
# Roles belong to the cluster and outlive the test databases, so every role made here is
# dropped when its fixture ends.

@contextmanager
def _login_roles(dsn: str):
    """Yield ``make(group, **settings)``: it creates a LOGIN member of ``group`` (with role
    settings) from the owner's ``dsn`` and returns a DSN that logs in as it to the same
    database. Every role made is dropped on exit."""
    created = []

    def make(group: str, **settings: str) -> str:
        name = f"newsfacts_test_{secrets.token_hex(4)}"
        password = secrets.token_hex(12)  # trust auth ignores it; password auth needs it
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(name), sql.Literal(password), sql.Identifier(group)))
            created.append(name)
            for key, value in settings.items():
                conn.execute(sql.SQL("ALTER ROLE {} SET {} = {}").format(
                    sql.Identifier(name), sql.Identifier(key), sql.Literal(value)))
        info = psycopg.conninfo.conninfo_to_dict(dsn)
        return psycopg.conninfo.make_conninfo(**{**info, "user": name, "password": password})

    try:
        yield make
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            for name in created:
                conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


@pytest.fixture
def login_role(warehouse):
    """Make a LOGIN member of a group role, with role settings; return a DSN that logs in as it."""
    with _login_roles(warehouse) as make:
        yield make


@pytest.fixture(scope="session")
def corpus_login_role(corpus_warehouse):
    """``login_role`` on the corpus warehouse: its roles last the session."""
    with _login_roles(corpus_warehouse) as make:
        yield make


@pytest.fixture(scope="session")
def corpus_analyst(corpus_login_role):
    """DSN of an analyst (a login member of newsfacts_analyst, with the statement time
    limit the README recommends) on the corpus warehouse."""
    return corpus_login_role("newsfacts_analyst", statement_timeout="30s")


@pytest.fixture(scope="session")
def corpus_loader(corpus_login_role):
    """DSN of a login member of newsfacts_loader on the corpus warehouse."""
    return corpus_login_role("newsfacts_loader")
