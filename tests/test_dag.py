"""The DAG file and the timetable, checked the way Airflow loads them."""

import subprocess
import sys
import textwrap
from datetime import timedelta

import pendulum
from airflow.timetables.base import DataInterval, TimeRestriction
from newsfacts_airflow import PreviousUtcDayTimetable

from newsfacts import airflow_local

UTC = pendulum.UTC


def test_dag_imports_without_errors_and_has_the_pipeline_tasks():
    dag = airflow_local.load_dag("news_nightly")
    assert isinstance(dag.timetable, PreviousUtcDayTimetable)
    order = ["prepare_warehouse", "poll_feeds", "discover_archives", "fetch_and_load_articles", "dedupe_articles", "extract_facts", "record_metrics"]
    assert sorted(dag.task_ids) == sorted(order)
    for upstream, downstream in zip(order, order[1:]):
        assert dag.get_task(downstream).upstream_task_ids == {upstream}
    assert dag.get_task("record_metrics").retries == 0


def test_importing_the_dags_does_no_database_or_network_work(tmp_path):
    """Parse the DAGs folder with sockets and database connections forbidden."""
    script = textwrap.dedent(
        f"""
        import socket, psycopg
        def forbidden(*a, **k):
            raise AssertionError("network or database used at import time")
        socket.socket.connect = forbidden
        socket.create_connection = forbidden
        psycopg.connect = forbidden
        import sys; sys.path.insert(0, {str(airflow_local.PLUGINS_FOLDER)!r})
        from airflow.dag_processing.dagbag import DagBag
        bag = DagBag(dag_folder={str(airflow_local.DAGS_FOLDER)!r})
        assert not bag.import_errors, bag.import_errors
        assert "news_nightly" in bag.dags and "warehouse_marts" in bag.dags
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")


def test_scheduled_runs_cover_whole_previous_utc_days_and_start_at_two():
    timetable = PreviousUtcDayTimetable(run_at=timedelta(hours=2))
    last = DataInterval(pendulum.datetime(2025, 3, 14, tz=UTC), pendulum.datetime(2025, 3, 15, tz=UTC))
    info = timetable.next_dagrun_info(
        last_automated_data_interval=last,
        restriction=TimeRestriction(earliest=pendulum.datetime(2025, 1, 1, tz=UTC), latest=None, catchup=True),
    )
    assert info.data_interval == DataInterval(pendulum.datetime(2025, 3, 15, tz=UTC), pendulum.datetime(2025, 3, 16, tz=UTC))
    assert info.run_after == pendulum.datetime(2025, 3, 16, 2, tz=UTC)
    assert info.logical_date == pendulum.datetime(2025, 3, 15, tz=UTC)


def test_first_run_starts_at_the_next_midnight_after_start_date():
    timetable = PreviousUtcDayTimetable()
    info = timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=pendulum.datetime(2025, 3, 1, 15, tz=UTC), latest=None, catchup=True),
    )
    assert info.data_interval.start == pendulum.datetime(2025, 3, 2, tz=UTC)


def test_manual_runs_cover_the_day_of_their_logical_date():
    timetable = PreviousUtcDayTimetable()
    interval = timetable.infer_manual_data_interval(run_after=pendulum.datetime(2025, 3, 15, 17, 30, tz="Europe/Kyiv"))
    assert interval == DataInterval(pendulum.datetime(2025, 3, 15, tz=UTC), pendulum.datetime(2025, 3, 16, tz=UTC))


def test_backfill_enumerates_each_day_once_without_gaps():
    dag = airflow_local.load_dag("news_nightly")
    from airflow.serialization.definitions.dag import SerializedDAG  # noqa: F401 - Airflow's own path
    from airflow.serialization.serialized_objects import DagSerialization

    scheduler_dag = DagSerialization.deserialize_dag(DagSerialization.serialize_dag(dag))
    infos = list(
        scheduler_dag.iter_dagrun_infos_between(pendulum.datetime(2025, 3, 1, tz=UTC), pendulum.datetime(2025, 3, 31, tz=UTC))
    )
    assert len(infos) == 31
    for previous, current in zip(infos, infos[1:]):
        assert previous.data_interval.end == current.data_interval.start
    assert infos[-1].data_interval.end == pendulum.datetime(2025, 4, 1, tz=UTC)


def test_timetable_survives_serialization():
    original = PreviousUtcDayTimetable(run_at=timedelta(hours=3))
    copy = PreviousUtcDayTimetable.deserialize(original.serialize())
    assert copy.run_at == timedelta(hours=3)
    assert "03:00" in copy.summary
