"""Helpers of the fault tests: stages in child processes that can be paused and killed,
private PostgreSQL clusters that can be restarted or run out of disk, and the canonical
dump of a clean run to compare with.

A stage runs in a child process exactly as an Airflow task runs it: a fresh Python
process calling the stage function with the run's window, the DSN from the environment
(``WAREHOUSE_DSN``). With ``pause_at`` it stops at a pause point of
:mod:`newsfacts.testhooks`; the test then inspects the warehouse and kills the process
with SIGKILL (a worker lost mid-task) or restarts the server under it.
"""

from __future__ import annotations

import os
import pwd
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from canonical_dump import canonical_dump

TESTS = Path(__file__).parent
DAY = date(2025, 3, 15)
#: Outlets whose feed answers only after 5 s on purpose (a timeout in every run): left out
#: of the fault tests' sources, which are about what a run stores, not about timeouts.
SLOW_OUTLETS = {"lakeside-gazette"}

#: What a DAG task does, in a child process: one stage for one day.
STAGE_SCRIPT = r"""
import sys
from datetime import date

import newsfacts.dedupe, newsfacts.fetch_pages, newsfacts.load_articles, newsfacts.load_facts
from newsfacts.window import Window
from newsfacts.warehouse import resolve_dsn

stage, day = sys.argv[1], date.fromisoformat(sys.argv[2])
# Smaller batches, so that one day spans several (each is one transaction).
for arg in sys.argv[3:]:
    module, size = arg.split("=")
    setattr(getattr(newsfacts, module), "BATCH", int(size))
dsn, window = resolve_dsn(), Window.day(day)
if stage == "fetch_pages":
    result = newsfacts.fetch_pages.fetch_pages(dsn, window, "fault-test", retry_failed=False)
elif stage == "load_articles":
    result = newsfacts.load_articles.load_articles(dsn, window, "fault-test", reextract=False)
elif stage == "dedupe":
    result = newsfacts.dedupe.dedupe(dsn, "fault-test")
elif stage == "load_facts":
    result = newsfacts.load_facts.load_facts(dsn, "fault-test")
else:
    raise SystemExit(f"unknown stage {stage}")
print("stage finished:", result, flush=True)
"""

#: run_day (all the stages of news_nightly, in order) for some days, in a child process.
DAYS_SCRIPT = r"""
import sys
from datetime import date
from pipeline_helpers import run_day
from newsfacts.warehouse import resolve_dsn
for day in sys.argv[1:]:
    run_day(resolve_dsn(), date.fromisoformat(day))
print("days finished", flush=True)
"""


def child_env(dsn: str, **extra: str) -> dict[str, str]:
    """The test's environment (fixture server, limits, sources) for a child process."""
    env = {**os.environ, "WAREHOUSE_DSN": dsn, "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS.parent)])}
    env.pop("NEWSFACTS_PAUSE_AT", None)
    env.update(extra)
    return env


class Child:
    """A child process whose stderr is read as it comes (to see it pause)."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.proc = subprocess.Popen([sys.executable, "-c", *args], env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self._lines.put(line)
        self._lines.put(None)

    def wait_paused(self, timeout: float = 90) -> str:
        """Block until the child reports its pause; fail with its stderr if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line is None:
                break
            self.stderr.append(line)
            if line.startswith("newsfacts-pause "):
                return line.strip()
        self.proc.kill()
        pytest.fail("the child never reached its pause point:\n" + "".join(self.stderr)[-4000:])

    def kill(self) -> None:
        """SIGKILL: no cleanup, no rollback by the client; the server sees the socket close."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def resume(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def finish(self, timeout: float = 180) -> tuple[int, str, str]:
        """Wait for the end; (return code, stdout, stderr)."""
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            pytest.fail(f"the child did not finish within {timeout} s (a hang):\n" + "".join(self.stderr)[-4000:])
        self._reader.join(timeout=10)
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.stderr.append(line)
        return self.proc.returncode, self.proc.stdout.read(), "".join(self.stderr)


def run_stage(stage: str, dsn: str, day: date = DAY, *, pause_at: str | None = None,
              batches: dict[str, int] | None = None, **env: str) -> Child:
    """Start one stage for ``day`` in a child process (paused at ``pause_at`` if given)."""
    extra = dict(env)
    if pause_at:
        extra["NEWSFACTS_PAUSE_AT"] = pause_at
    args = [STAGE_SCRIPT, stage, day.isoformat(), *(f"{m}={n}" for m, n in (batches or {}).items())]
    return Child(args, child_env(dsn, **extra))


def run_days(dsn: str, days: list[date], **env: str) -> Child:
    """run_day for each of ``days`` in a child process."""
    return Child([DAYS_SCRIPT, *map(str, days)], child_env(dsn, **env))


def write_sources(path: Path, *, extra: str = "") -> Path:
    """The demo's sources without the deliberately slow outlets (plus ``extra`` entries)."""
    lines = (TESTS.parent / "demo" / "sources.yml").read_text().splitlines()
    kept = [line for line in lines if not any(f"slug: {slug}," in line for slug in SLOW_OUTLETS)]
    path.write_text("\n".join(kept) + "\n" + extra)
    return path


@pytest.fixture
def fault_env(pipeline_env, monkeypatch, tmp_path):
    """pipeline_env with the fault tests' sources; the warehouse DSN."""
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(write_sources(tmp_path / "sources.yml")))
    return pipeline_env


def new_database(template_db: str) -> str:
    """A fresh migrated database on the test server (dropped by drop_database)."""
    from conftest import _admin, _dsn_for

    name = f"{template_db}_{uuid.uuid4().hex[:6]}"
    _admin(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template_db)))
    return _dsn_for(name)


def drop_database(dsn: str) -> None:
    from conftest import _admin

    name = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
    _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def other_warehouse(template_db):
    """A second fresh warehouse, for a reference run next to the test's."""
    dsn = new_database(template_db)
    yield dsn
    drop_database(dsn)


@pytest.fixture(scope="session")
def clean_day_dsn(template_db, fixture_server, tmp_path_factory):
    """A warehouse holding a clean, uninterrupted run of DAY (kept for the session)."""
    from conftest import GDELT_PATH, TEST_ENVIRONMENT
    from pipeline_helpers import run_day

    dsn = new_database(template_db)
    fixture_server.load()
    with pytest.MonkeyPatch.context() as env:
        for key, value in TEST_ENVIRONMENT.items():
            env.setenv(key, value)
        env.setenv("NEWSFACTS_SOURCES", str(write_sources(tmp_path_factory.mktemp("clean") / "sources.yml")))
        env.setenv("NEWSFACTS_FIXTURE_URL", fixture_server.base_url)
        env.setenv("NEWSFACTS_GDELT_URL", fixture_server.url(GDELT_PATH))
        env.setenv("WAREHOUSE_DSN", dsn)
        run_day(dsn, DAY)
    yield dsn
    drop_database(dsn)


@pytest.fixture(scope="session")
def clean_day(clean_day_dsn):
    """The canonical dump of that clean run."""
    return canonical_dump(clean_day_dsn)


def assert_no_partial_rows(dsn: str) -> None:
    """What a kill must never leave behind, whatever the stage."""
    checks = {
        "fetched link without its page": """
            SELECT count(*) FROM raw.links l WHERE fetch_outcome = 'ok'
            AND NOT EXISTS (SELECT 1 FROM raw.pages p WHERE p.link_id = l.link_id)""",
        "article whose link is not marked extracted": """
            SELECT count(*) FROM core.articles a JOIN raw.links l USING (link_id)
            WHERE l.extract_outcome IS DISTINCT FROM 'ok'""",
        "article without its version or relevance assessment": """
            SELECT count(*) FROM core.articles a
            WHERE NOT EXISTS (SELECT 1 FROM core.article_versions v WHERE v.article_id = a.article_id)
               OR NOT EXISTS (SELECT 1 FROM raw.relevance_assessments r WHERE r.link_id = a.link_id)""",
        "grouped article without group, story or fingerprint": """
            SELECT count(*) FROM core.articles a WHERE NOT dedupe_pending
            AND (duplicate_group_id IS NULL OR story_id IS NULL
                 OR NOT EXISTS (SELECT 1 FROM core.article_fingerprints f WHERE f.article_id = a.article_id))""",
        "ungrouped article already in a group or story": """
            SELECT count(*) FROM core.articles WHERE dedupe_pending
            AND (duplicate_group_id IS NOT NULL OR story_id IS NOT NULL)""",
        "group or story without articles, or with wrong counts": """
            SELECT (SELECT count(*) FROM core.duplicate_groups g WHERE article_count <>
                        (SELECT count(*) FROM core.articles a WHERE a.duplicate_group_id = g.duplicate_group_id)
                        OR article_count = 0)
                 + (SELECT count(*) FROM core.stories s WHERE article_count <>
                        (SELECT count(*) FROM core.articles a WHERE a.story_id = s.story_id) OR article_count = 0)""",
        "facts of an article whose facts are not done (orphans of a lost batch)": """
            SELECT (SELECT count(*) FROM core.mentions m JOIN core.articles a USING (article_id) WHERE a.facts_pending)
                 + (SELECT count(*) FROM core.quotes q JOIN core.articles a USING (article_id) WHERE a.facts_pending)
                 + (SELECT count(*) FROM core.events e JOIN core.articles a USING (article_id) WHERE a.facts_pending)""",
    }
    from pipeline_helpers import scalar

    found = {what: scalar(dsn, query) for what, query in checks.items()}
    assert {what: n for what, n in found.items() if n} == {}


# Private PostgreSQL clusters --------------------------------------------------------------


def _pg_bindir() -> Path | None:
    candidates = [os.environ.get("NEWSFACTS_PG_BIN"), "/usr/lib/postgresql/15/bin"]
    if found := shutil.which("initdb"):
        candidates.append(str(Path(found).parent))
    try:
        candidates.append(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip())
    except OSError:
        pass
    for candidate in filter(None, candidates):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "postgres").exists():
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateCluster:
    """A PostgreSQL server of our own on a free port, to restart or starve at will.

    As root (PostgreSQL refuses to run as root) its processes run as the ``postgres``
    user. With ``tablespace_mb`` the server runs in a private mount namespace where a
    tmpfs of that size is mounted as the tablespace ``small``: a database created in it
    runs out of disk for real (the WAL stays on the big disk, so the server survives it).
    """

    def __init__(self, tablespace_mb: int | None = None):
        self.bindir = _pg_bindir()
        if self.bindir is None:
            pytest.skip("PostgreSQL server binaries (initdb, postgres) not found; set NEWSFACTS_PG_BIN")
        # Not under pytest's tmp_path: the server's user must be able to reach it.
        base = Path(tempfile.mkdtemp(prefix="newsfacts-pg-"))
        self.base, self.tablespace_mb = base, tablespace_mb
        self.data, self.small = base / "data", base / "small"
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root without a 'postgres' user to run a private server as")
            if not shutil.which("setpriv"):
                pytest.skip("running as root without setpriv to run a private server as 'postgres'")
            self._as_postgres = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
            shutil.chown(base, "postgres")
        subprocess.run([*self._as_postgres, str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                        "--auth=trust", "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
        if tablespace_mb:
            self.small.mkdir()
            if self._as_postgres:
                shutil.chown(self.small, "postgres")

    def dsn(self, dbname: str = "postgres", **extra) -> str:
        return psycopg.conninfo.make_conninfo(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname,
                                              **extra)

    def start(self, timeout: float = 60) -> None:
        server = [*self._as_postgres, str(self.bindir / "postgres"), "-D", str(self.data), "-p", str(self.port),
                  "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.base}",
                  "-c", "fsync=off", "-c", "max_connections=60"]
        if self.tablespace_mb:
            # The mount exists only in the server's own mount namespace and goes with it.
            owner = 'chown postgres:postgres "$d" && ' if self._as_postgres else ""
            script = f'd="$1"; shift; mount -t tmpfs -o size={self.tablespace_mb}m,mode=0700 tmpfs "$d" && {owner}exec "$@"'
            if os.geteuid() == 0:
                namespace = ["unshare", "--mount", "--propagation", "private"]
            else:  # an unprivileged user namespace to mount in, a nested one to run as ourselves again
                namespace = ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]
                server = ["unshare", "--user", f"--map-user={os.getuid()}", f"--map-group={os.getgid()}", *server]
            command = [*namespace, "sh", "-c", script, "sh", str(self.small), *server]
        else:
            command = server
        self.log = (self.base / "server.log").open("ab")
        self.proc = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.skip(f"the private PostgreSQL did not start: {self.read_log()[-1500:]}")
            try:
                psycopg.connect(self.dsn(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.2)
        pytest.fail(f"the private PostgreSQL did not accept connections: {self.read_log()[-1500:]}")

    def stop(self, mode: signal.Signals = signal.SIGINT) -> None:
        """SIGINT: fast shutdown (active sessions are terminated, as by `pg_ctl stop -m fast`)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(mode)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> PrivateCluster:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop(signal.SIGQUIT)  # immediate shutdown: the cluster is thrown away
        shutil.rmtree(self.base, ignore_errors=True)

    def read_log(self) -> str:
        return (self.base / "server.log").read_text(errors="replace")

    def create_database(self, name: str, tablespace: str | None = None) -> str:
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if tablespace:
                statement += sql.SQL(" TABLESPACE {}").format(sql.Identifier(tablespace))
            conn.execute(statement)
        return self.dsn(name)
