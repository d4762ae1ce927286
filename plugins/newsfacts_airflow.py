"""Airflow glue for newsfacts: the nightly timetable, the warehouse connection and the
warehouse tables as assets.

Lives in the plugins folder because Airflow only deserialises custom timetables that a
plugin registers; the scheduler, the DAG processor and every worker load it.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from pendulum import UTC, DateTime, Time

from airflow.plugins_manager import AirflowPlugin
from airflow.sdk import Asset
from airflow.timetables.base import DagRunInfo, DataInterval, TimeRestriction, Timetable

#: Every warehouse table news_nightly writes, except bookkeeping (the migration ledger,
#: per-host pacing). Its last task declares them as outlets: a finished run, and only a
#: finished one, emits one event per table, so a DAG scheduled on them runs after each
#: finished nightly run (runs finishing together share one), never once per task.
NIGHTLY_TABLES = (
    "raw.feed_polls", "raw.feed_entries", "raw.discovery_attempts", "raw.discoveries", "raw.links",
    "raw.pages", "raw.relevance_assessments",
    "core.sources", "core.articles", "core.article_versions", "core.duplicate_groups",
    "core.article_fingerprints", "core.article_lsh_bands", "core.stories", "core.entities",
    "core.entity_aliases", "core.mentions", "core.quotes", "core.events", "core.event_participants",
    "core.event_quantities",
    "ops.run_metrics", "ops.completed_windows",
)
#: Named assets: the warehouse's address differs per deployment (and an asset URI must not
#: carry credentials), so the name says which table, the connection says where.
NIGHTLY_ASSETS = [Asset(name=f"newsfacts.{table}", group="newsfacts-warehouse") for table in NIGHTLY_TABLES]


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


def record_window(outlet_events, start: datetime, end: datetime) -> None:
    """Put the run's data interval on each of its asset events.

    A run triggered by assets has no data interval of its own; this is how it learns
    which days changed.
    """
    extra = {"window_start": start.isoformat(), "window_end": end.isoformat()}
    for asset in NIGHTLY_ASSETS:
        outlet_events[asset].extra = extra


def triggering_windows(triggering_asset_events) -> list:
    """The windows of the nightly runs whose asset events triggered this run, in order."""
    from newsfacts.window import Window

    bounds = {
        (event.extra["window_start"], event.extra["window_end"])
        for events in triggering_asset_events.values()
        for event in events
        if "window_start" in event.extra
    }
    return sorted(Window.of(datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in bounds)


class NewsfactsPlugin(AirflowPlugin):
    name = "newsfacts"
    timetables = [PreviousUtcDayTimetable]
