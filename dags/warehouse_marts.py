"""
### warehouse_marts

The analysts' marts brought up to date after every finished `news_nightly` run, then the
warehouse checked.

Scheduled on the warehouse tables that `news_nightly` declares as outlets of its last task
(`record_metrics`): each finished nightly run emits one event per table, so this DAG runs
once per finished run (runs finishing together are served by one run), never once per
task. A backfill of N days refreshes the marts up to N times, never before a day is done.

| task | does |
|---|---|
| `refresh_marts` | `REFRESH MATERIALIZED VIEW CONCURRENTLY` every mart of `sql/marts/`, in file order; readers are never blocked |
| `check_quality` | every check of `sql/checks/`, for the window of each nightly run that triggered this run (a manual run checks the latest recorded window); fails listing every failing check with example rows |
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.sdk import dag, task
from newsfacts_airflow import NIGHTLY_ASSETS


@dag(
    dag_id="warehouse_marts",
    schedule=NIGHTLY_ASSETS,
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    # Refreshes of the same marts would only queue behind each other's locks.
    max_active_runs=1,
    default_args={
        "retries": int(os.environ.get("NEWSFACTS_TASK_RETRIES", "2")),
        "retry_delay": timedelta(minutes=5),
    },
    tags=["newsfacts"],
    doc_md=__doc__,
)
def warehouse_marts():
    @task
    def refresh_marts() -> dict:
        from newsfacts.marts import refresh_marts as refresh
        from newsfacts_airflow import warehouse_dsn

        return refresh(warehouse_dsn())

    # A failed check is a finding, not a transient error: no retries.
    @task(retries=0)
    def check_quality(triggering_asset_events=None) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from newsfacts.quality import DataQualityError, check_warehouse, latest_run_window
        from newsfacts_airflow import triggering_windows, warehouse_dsn

        dsn = warehouse_dsn()
        windows = triggering_windows(triggering_asset_events) or [w for w in [latest_run_window(dsn)] if w]
        try:
            runs = check_warehouse(dsn, windows)
        except DataQualityError as exc:
            raise AirflowFailException(str(exc)) from exc
        return {"checks_run": runs, "windows": [str(w) for w in windows]}

    refresh_marts() >> check_quality()


warehouse_marts()
