"""How news_nightly hands over to warehouse_marts: one asset event per warehouse table,
from its last task only, carrying the run's window; and warehouse_marts, scheduled on
exactly those assets, refreshing the marts and failing loudly on a data-quality fault."""

import re
from collections import defaultdict
from datetime import date
from types import SimpleNamespace

import pendulum
import psycopg
import pytest
from newsfacts_airflow import NIGHTLY_ASSETS, NIGHTLY_TABLES, record_window, triggering_windows

from newsfacts import airflow_local, settings
from newsfacts.window import Window
from pipeline_helpers import rows

_WRITES = re.compile(r"(?:INSERT INTO|UPDATE|DELETE FROM|COPY)\s+((?:raw|core|ops)\.[a-z_]+)")
_READS = re.compile(r"\b((?:raw|core|ops)\.[a-z_]+)\b")


def test_only_the_last_nightly_task_has_outlets_and_they_are_the_warehouse_tables():
    dag = airflow_local.load_dag("news_nightly")
    with_outlets = {t.task_id: t.outlets for t in dag.tasks if t.outlets}
    assert list(with_outlets) == ["record_metrics"]
    assert not dag.get_task("record_metrics").downstream_task_ids  # the last task
    assert {a.name for a in with_outlets["record_metrics"]} == {f"newsfacts.{t}" for t in NIGHTLY_TABLES}


def test_warehouse_marts_is_scheduled_on_exactly_the_nightly_outlets():
    from airflow.sdk import AssetAll

    dag = airflow_local.load_dag("warehouse_marts")
    condition = dag.timetable.asset_condition
    assert isinstance(condition, AssetAll)  # a run needs a finished nightly run, not one table
    assert {a.name for a in condition.objects} == {a.name for a in NIGHTLY_ASSETS}
    assert dag.get_task("check_quality").upstream_task_ids == {"refresh_marts"}
    assert dag.get_task("check_quality").retries == 0


_IMPORTS = re.compile(r"^\s*from newsfacts\.([a-z_]+) import", re.MULTILINE)


def _stage_modules() -> set[str]:
    """The newsfacts modules the DAG file imports, and those they import, and so on."""
    found, todo = set(), _IMPORTS.findall((settings.PROJECT_ROOT / "dags" / "news_nightly.py").read_text())
    while todo:
        module = todo.pop()
        if module not in found:
            found.add(module)
            todo += _IMPORTS.findall((settings.PROJECT_ROOT / "newsfacts" / f"{module}.py").read_text())
    return found


def test_the_declared_tables_are_the_tables_the_nightly_stages_write():
    """Keeps the outlets honest when a stage starts writing a new table."""
    modules = _stage_modules()
    assert {"fetch_pages", "load_articles", "groups", "dedupe", "load_facts"} <= modules
    written = {t for m in modules for t in _WRITES.findall((settings.PROJECT_ROOT / "newsfacts" / f"{m}.py").read_text())}
    # Not data: the migrations' and marts' ledgers (migrate applies both), and the hosts'
    # pacing, which runs share to stay polite.
    assert set(NIGHTLY_TABLES) == written - {"ops.schema_migrations", "ops.mart_definitions", "ops.host_pacing"}


def test_marts_and_checks_read_only_tables_the_nightly_run_announces():
    sql_files = [*(settings.SQL_DIR / "marts").glob("*.sql"), *(settings.SQL_DIR / "checks").glob("*.sql")]
    code = [re.sub(r"--.*", "", path.read_text()) for path in sql_files]
    read = {t for text in code for t in _READS.findall(text)}
    assert read and read <= set(NIGHTLY_TABLES)


def test_the_run_window_travels_on_the_asset_events():
    outlet_events = defaultdict(lambda: SimpleNamespace(extra={}))
    day = Window.day(date(2025, 3, 15))
    record_window(outlet_events, day.start, day.end)
    assert set(outlet_events) == set(NIGHTLY_ASSETS)
    later = Window.day(date(2025, 3, 16))
    triggering = {asset: [SimpleNamespace(extra=dict(event.extra))] for asset, event in outlet_events.items()}
    triggering[NIGHTLY_ASSETS[0]].append(SimpleNamespace(extra={"window_start": later.start.isoformat(),
                                                                "window_end": later.end.isoformat()}))
    assert triggering_windows(triggering) == [day, later]
    assert triggering_windows({}) == []


@pytest.fixture(scope="module")
def airflow_db():
    airflow_local.migrate_metadata_db()


@pytest.mark.airflow
def test_warehouse_marts_refreshes_and_fails_loudly_in_airflow(airflow_db, demo_warehouse, monkeypatch, capfd):
    """A manual run (no triggering events) checks the latest recorded window."""
    monkeypatch.setenv("WAREHOUSE_DSN", demo_warehouse)
    today = pendulum.today("UTC").date()
    assert airflow_local.run_dag("warehouse_marts", today) == "success"
    assert rows(demo_warehouse, "SELECT count(*) > 0 FROM marts.daily_war_articles_by_outlet") == [(True,)]

    with psycopg.connect(demo_warehouse, autocommit=True) as conn:
        conn.execute("UPDATE core.events SET sentence = '' WHERE event_id = (SELECT min(event_id) FROM core.events)")
    capfd.readouterr()
    assert airflow_local.run_dag("warehouse_marts", today) == "failed"
    log = "".join(capfd.readouterr())
    assert "1 data-quality check(s) failed" in log and "events_without_source_sentence" in log
