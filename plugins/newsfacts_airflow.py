"""Airflow glue for newsfacts: the nightly timetable and the warehouse connection.

Lives in the plugins folder because Airflow only deserialises custom timetables that a
plugin registers; the scheduler, the DAG processor and every worker load it.
"""

from __future__ import annotations

import os
from datetime import timedelta

from pendulum import UTC, DateTime, Time

from airflow.plugins_manager import AirflowPlugin
from airflow.timetables.base import DagRunInfo, DataInterval, TimeRestriction, Timetable


def _midnight(value: DateTime) -> DateTime:
    return DateTime.combine(value.in_timezone(UTC).date(), Time.min).replace(tzinfo=UTC)


class PreviousUtcDayTimetable(Timetable):
    """Each run covers one whole UTC day and starts ``run_at`` after that day ends.

    A plain cron schedule in Airflow 3 gives a zero-length data interval, and
    ``CronDataIntervalTimetable("0 2 * * *")`` would give 02:00-to-02:00 windows; we
    want calendar days, so articles of day D are always loaded by the run for D.

    The logical date of a run is the start of its day. A manual run (or
    ``dag.test(logical_date=...)``) covers the UTC day containing its logical date,
    so triggering for 2025-03-15 loads 2025-03-15; triggered with "now" it loads
    today so far, and the scheduled run re-covers the day completely the next night.
    """

    description = "Every UTC day, after the day ends"

    def __init__(self, run_at: timedelta = timedelta(hours=2)):
        self.run_at = run_at
        self.description = f"Previous UTC day, at {int(run_at.total_seconds() // 3600):02d}:00 UTC"

    @property
    def summary(self) -> str:
        return self.description

    def serialize(self) -> dict:
        return {"run_at_seconds": int(self.run_at.total_seconds())}

    @classmethod
    def deserialize(cls, data: dict) -> PreviousUtcDayTimetable:
        return cls(run_at=timedelta(seconds=data["run_at_seconds"]))

    def infer_manual_data_interval(self, *, run_after: DateTime) -> DataInterval:
        start = _midnight(run_after)
        return DataInterval(start=start, end=start + timedelta(days=1))

    def next_dagrun_info(
        self,
        *,
        last_automated_data_interval: DataInterval | None,
        restriction: TimeRestriction,
    ) -> DagRunInfo | None:
        if last_automated_data_interval is not None:
            start = _midnight(last_automated_data_interval.end)
        elif restriction.earliest is None:
            return None
        else:
            start = _midnight(restriction.earliest)
            if restriction.earliest > start:
                start += timedelta(days=1)
            if not restriction.catchup:
                # Without catchup, begin with the most recent day that has ended.
                yesterday = _midnight(DateTime.now(UTC)) - timedelta(days=1)
                start = max(start, yesterday)
        if restriction.latest is not None and start > restriction.latest:
            return None
        end = start + timedelta(days=1)
        return DagRunInfo(run_after=end + self.run_at, data_interval=DataInterval(start=start, end=end))


def warehouse_dsn() -> str:
    """The warehouse DSN for a task.

    ``WAREHOUSE_DSN`` wins; then Airflow's connection ``warehouse`` from any of Airflow's
    stores (environment, secrets backend, metadata DB); then the embedded PostgreSQL.
    """
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    from newsfacts.warehouse import conninfo_from_fields, resolve_dsn

    if os.environ.get("WAREHOUSE_DSN"):
        return resolve_dsn()
    try:
        conn = Connection.get("warehouse")
    except AirflowNotFoundException:
        return resolve_dsn()
    return conninfo_from_fields(
        host=conn.host, port=conn.port, login=conn.login, password=conn.password,
        schema=conn.schema, extra=conn.extra_dejson,
    )


class NewsfactsPlugin(AirflowPlugin):
    name = "newsfacts"
    timetables = [PreviousUtcDayTimetable]
