"""
### news_reprocess

Re-extract the stored pages of a range of days and recompute their metrics, **without any
network request**: use it after the extractor improves, or after fixing a bug in a later
stage. Trigger it by hand with `from_date` and `to_date` (inclusive, UTC days):

    airflow dags trigger news_reprocess --conf '{"from_date": "2025-03-01", "to_date": "2025-03-31"}'

Each day is one mapped task, so days are retried and reported separately.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, task


@dag(
    dag_id="news_reprocess",
    schedule=None,
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    params={
        "from_date": Param("2025-03-14", type="string", format="date", description="First day (UTC)"),
        "to_date": Param("2025-03-17", type="string", format="date", description="Last day (UTC), inclusive"),
    },
    tags=["newsfacts"],
    doc_md=__doc__,
)
def news_reprocess():
    @task
    def days_in_range(params=None) -> list[str]:
        from datetime import date, timedelta

        first, last = date.fromisoformat(params["from_date"]), date.fromisoformat(params["to_date"])
        if last < first:
            raise ValueError(f"to_date {last} is before from_date {first}")
        return [str(first + timedelta(days=n)) for n in range((last - first).days + 1)]

    @task(max_active_tis_per_dagrun=2)
    def reprocess(day: str, run_id=None) -> dict:
        from datetime import date

        from newsfacts.reprocess import reprocess_day
        from newsfacts_airflow import warehouse_dsn

        return reprocess_day(warehouse_dsn(), date.fromisoformat(day), run_id)

    reprocess.expand(day=days_in_range())


news_reprocess()
