"""`airflow backfill create` on a real Airflow (scheduler, DAG processor, API server and
LocalExecutor from `airflow standalone`, metadata in PostgreSQL), running several days
in parallel against the fixture server: the command the README tells users to run. Each
finished day's asset events then trigger warehouse_marts, which refreshes the marts and
checks the warehouse."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from conftest import ADMIN_DSN, TEST_ENVIRONMENT, _dsn_for
from newsfacts import airflow_local
from newsfacts_airflow import NIGHTLY_TABLES
from newsfacts.fixture_server import GDELT_PATH
from pipeline_helpers import expected_by_day, loaded_by_day

pytestmark = pytest.mark.airflow
DAYS = [date(2025, 3, 14), date(2025, 3, 15), date(2025, 3, 16)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def metadata_db():
    name = f"newsfacts_airflow_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield _dsn_for(name)
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _wait(what: str, check, timeout: float, proc: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"airflow standalone exited while waiting for {what}:\n{log.read_text()[-3000:]}")
        if result := check():
            return result
        time.sleep(2)
    pytest.fail(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")


def test_airflow_backfill_create_runs_days_in_parallel(tmp_path, metadata_db, warehouse, server):
    info = psycopg.conninfo.conninfo_to_dict(metadata_db)
    port = _free_port()
    env = {
        **os.environ,
        **TEST_ENVIRONMENT,
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(airflow_local.DAGS_FOLDER),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(airflow_local.PLUGINS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN":
            f"postgresql+psycopg2://{info.get('user', 'postgres')}@{info.get('host', '127.0.0.1')}:{info.get('port', 5432)}/{info['dbname']}",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": uuid.uuid4().hex,
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "NEWSFACTS_SOURCES": str(Path(__file__).parent.parent / "demo" / "sources.yml"),
        "NEWSFACTS_FIXTURE_URL": server.base_url,
        "NEWSFACTS_GDELT_URL": server.url(GDELT_PATH),
        "NEWSFACTS_TASK_RETRIES": "0",
        "WAREHOUSE_DSN": warehouse,
        # `airflow standalone` starts its components by running `airflow` from PATH.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    airflow = str(Path(sys.executable).with_name("airflow"))
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    log = tmp_path / "standalone.log"
    with log.open("w") as out:
        proc = subprocess.Popen([airflow, "standalone"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        def parsed():
            with psycopg.connect(metadata_db) as conn:
                return conn.execute("SELECT count(*) = 2 FROM serialized_dag "
                                    "WHERE dag_id IN ('news_nightly', 'warehouse_marts')").fetchone()[0]

        _wait("the DAGs to be parsed", parsed, 240, proc, log)
        for dag_id in ("news_nightly", "warehouse_marts"):
            subprocess.run([airflow, "dags", "unpause", dag_id], env=env, check=True, capture_output=True, timeout=120)
        created = subprocess.run(
            [airflow, "backfill", "create", "--dag-id", "news_nightly", "--from-date", str(DAYS[0]),
             "--to-date", str(DAYS[-1]), "--max-active-runs", "3"],
            env=env, capture_output=True, text=True, timeout=120,
        )
        assert created.returncode == 0, created.stderr[-3000:]

        def finished():
            with psycopg.connect(metadata_db) as conn:
                states = conn.execute("SELECT state FROM dag_run WHERE run_type = 'backfill'").fetchall()
            return [s for (s,) in states] if len(states) == 3 and all(s in ("success", "failed") for (s,) in states) else None

        assert _wait("the backfill runs", finished, 300, proc, log) == ["success"] * 3
        with psycopg.connect(metadata_db) as conn:
            windows = conn.execute(
                "SELECT data_interval_start::date, data_interval_end - data_interval_start FROM dag_run "
                "WHERE run_type = 'backfill' ORDER BY 1"
            ).fetchall()
            overlap = conn.execute(
                "SELECT count(*) FROM dag_run a JOIN dag_run b ON a.run_id < b.run_id AND a.run_type = 'backfill' "
                "AND b.run_type = 'backfill' AND a.start_date < b.end_date AND b.start_date < a.end_date"
            ).fetchone()[0]
        assert [w[0] for w in windows] == DAYS and {w[1].days for w in windows} == {1}
        assert overlap > 0, "the backfill ran its days one after another, not in parallel"

        with psycopg.connect(metadata_db) as conn:
            backfill_runs = [r for (r,) in conn.execute("SELECT run_id FROM dag_run WHERE run_type = 'backfill'")]
            events = conn.execute(
                "SELECT source_run_id, source_task_id, extra, timestamp FROM asset_event "
                "WHERE source_dag_id = 'news_nightly'"
            ).fetchall()
        # One event per warehouse table per finished run, all from its last task, carrying its window.
        # (news_nightly's own scheduled run for yesterday, if any, emits its events too.)
        ours = [(run, task, extra if isinstance(extra, dict) else json.loads(extra), at)
                for run, task, extra, at in events if run in backfill_runs]
        assert Counter((run, task) for run, task, _, _ in ours) == {
            (run, "record_metrics"): len(NIGHTLY_TABLES) for run in backfill_runs}
        assert {(extra["window_start"], extra["window_end"]) for _, _, extra, _ in ours} == {
            (f"{day}T00:00:00+00:00", f"{day + timedelta(days=1)}T00:00:00+00:00") for day in DAYS}
        last_event = max(at for *_, at in ours)

        def marts_refreshed():
            """warehouse_marts runs, once one refreshed after the last day's events and all are over."""
            with psycopg.connect(metadata_db) as conn:
                runs = conn.execute(
                    "SELECT dr.run_id, dr.run_type, dr.state, ti.start_date FROM dag_run dr "
                    "LEFT JOIN task_instance ti ON ti.dag_id = dr.dag_id AND ti.run_id = dr.run_id "
                    "AND ti.task_id = 'refresh_marts' WHERE dr.dag_id = 'warehouse_marts'"
                ).fetchall()
            over = runs and all(state in ("success", "failed") for _, _, state, _ in runs)
            fresh = any(started and started > last_event for *_, started in runs)
            return runs if over and fresh else None

        marts_runs = _wait("warehouse_marts to refresh after the backfill", marts_refreshed, 300, proc, log)
        with psycopg.connect(metadata_db) as conn:
            nightly_runs = conn.execute("SELECT count(*) FROM dag_run WHERE dag_id = 'news_nightly'").fetchone()[0]
            consumed_from = {task for (task,) in conn.execute(
                "SELECT DISTINCT ae.source_task_id FROM dagrun_asset_event x JOIN asset_event ae ON ae.id = x.event_id")}
        assert {(run_type, state) for _, run_type, state, _ in marts_runs} == {("asset_triggered", "success")}
        # Triggered by finished nightly runs only: at most one marts run per nightly run, never one per task.
        assert 1 <= len(marts_runs) <= nightly_runs and consumed_from == {"record_metrics"}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    expected, loaded = expected_by_day(server), loaded_by_day(warehouse)
    for day in DAYS:
        assert loaded[day] == expected[day], day
    with psycopg.connect(warehouse) as conn:
        refreshed = {d for (d,) in conn.execute("SELECT DISTINCT day FROM marts.daily_war_articles_by_outlet")}
    assert set(DAYS) <= refreshed
