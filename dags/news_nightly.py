"""
### news_nightly

Yesterday's news about the Russia–Ukraine war, from the outlets' feeds into the warehouse.

Runs at 02:00 UTC and covers exactly the previous UTC day (its data interval); a run
for a past day (manual trigger, `airflow backfill create`) covers that day. Every task
works on the run's window only and reads/writes the warehouse, so re-running a day
leaves the warehouse as it was, and workers share nothing but the database.

| task | does |
|---|---|
| `prepare_warehouse` | apply migrations, sync `core.sources` with the sources file |
| `poll_feeds` | conditional GET of every feed; store entries; links for the window (items clearly not about the war are recorded, not fetched) |
| `discover_archives` | for sources whose feed does not reach back to the day: sitemaps, GDELT |
| `fetch_and_load_articles` | fetch the window's pages politely and store them compressed; extract articles from the stored pages (each as soon as it is stored, while the fetch waits on the network); score war relevance; upsert the relevant; complete the day |
| `dedupe_articles` | duplicate groups (exact and MinHash/LSH near copies) and story clusters for new or changed articles |
| `extract_facts` | entities, quotes with speakers, events (PLOVER/CAMEO/ACLED, place, date, quantities) of new or changed articles |
| `record_metrics` | one `ops.run_metrics` row per source; fail if every source failed; on success, emit the warehouse tables as assets (outlets, carrying the run's window), which triggers `warehouse_marts` |

Params: `repoll` (poll feeds again even if the day has a good poll), `retry_failed`
(retry permanent page failures and items skipped as irrelevant too), `reextract` (re-extract every stored page of the
day, e.g. after the extractor improved; makes no network request).
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, task
from newsfacts_airflow import NIGHTLY_ASSETS, PreviousUtcDayTimetable


def _window(start, end):
    from newsfacts.window import Window

    return Window.of(start, end)


@dag(
    dag_id="news_nightly",
    schedule=PreviousUtcDayTimetable(run_at=timedelta(hours=2)),
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    # A backfill runs several days at once; per-host pacing is shared through the
    # warehouse (ops.host_pacing), so sites see the same request rate either way.
    max_active_runs=4,
    default_args={
        # Transient trouble (the warehouse restarting, a worker lost) is retried;
        # in-process demo and test runs set NEWSFACTS_TASK_RETRIES=0 to fail fast.
        "retries": int(os.environ.get("NEWSFACTS_TASK_RETRIES", "2")),
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": True,
    },
    params={
        "repoll": Param(False, type="boolean", description="Poll feeds again even if the day has a good poll"),
        "retry_failed": Param(False, type="boolean", description="Retry permanent page failures too"),
        "reextract": Param(False, type="boolean", description="Re-extract every stored page of the day"),
    },
    tags=["newsfacts"],
    doc_md=__doc__,
)
def news_nightly():
    @task
    def prepare_warehouse() -> dict:
        from extractors.sources import load_sources
        from newsfacts import settings
        from newsfacts.errors import reported
        from newsfacts.migrations import migrate
        from newsfacts.sync_sources import sync_sources
        from newsfacts.warehouse import connect
        from newsfacts_airflow import warehouse_dsn

        dsn = warehouse_dsn()
        sources = load_sources(settings.sources_path())
        with reported(dsn):  # a warehouse down, read-only or full fails in one plain line
            applied = migrate(dsn)
            with connect(dsn) as conn:
                active = sync_sources(conn, sources)
        return {"migrations_applied": len(applied), "active_sources": active}

    @task
    def poll_feeds(data_interval_start=None, data_interval_end=None, run_id=None, params=None) -> dict:
        from newsfacts.poll import poll_feeds as poll
        from newsfacts_airflow import warehouse_dsn

        window = _window(data_interval_start, data_interval_end)
        return poll(warehouse_dsn(), window, run_id, repoll=params["repoll"])

    @task
    def discover_archives(data_interval_start=None, data_interval_end=None, run_id=None) -> dict:
        from newsfacts.discover import discover_archives as discover
        from newsfacts_airflow import warehouse_dsn

        return discover(warehouse_dsn(), _window(data_interval_start, data_interval_end), run_id)

    @task
    def fetch_and_load_articles(data_interval_start=None, data_interval_end=None, run_id=None,
                                params=None) -> dict:
        from newsfacts.fetch_and_load import fetch_and_load
        from newsfacts_airflow import warehouse_dsn

        window = _window(data_interval_start, data_interval_end)
        return fetch_and_load(warehouse_dsn(), window, run_id, retry_failed=params["retry_failed"],
                              reextract=params["reextract"])

    @task
    def dedupe_articles(run_id=None) -> dict:
        from newsfacts.dedupe import dedupe
        from newsfacts_airflow import warehouse_dsn

        return dedupe(warehouse_dsn(), run_id)

    @task
    def extract_facts(run_id=None) -> dict:
        from newsfacts.load_facts import load_facts
        from newsfacts_airflow import warehouse_dsn

        return load_facts(warehouse_dsn(), run_id)

    # The only task with outlets: one asset event per table per finished run.
    @task(retries=0, outlets=NIGHTLY_ASSETS)
    def record_metrics(data_interval_start=None, data_interval_end=None, run_id=None, outlet_events=None) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from newsfacts.run_metrics import AllSourcesFailed, check_run
        from newsfacts.run_metrics import record_metrics as record
        from newsfacts_airflow import record_window, warehouse_dsn

        window = _window(data_interval_start, data_interval_end)
        summaries = record(warehouse_dsn(), window, run_id)
        try:
            check_run(summaries)
        except AllSourcesFailed as exc:
            raise AirflowFailException(str(exc)) from exc
        record_window(outlet_events, window.start, window.end)
        return {
            "sources": len(summaries),
            "sources_failed": sum(s.failed for s in summaries),
            "articles_new": sum(s.articles_new for s in summaries),
            "articles_updated": sum(s.articles_updated for s in summaries),
        }

    (
        prepare_warehouse()
        >> poll_feeds()
        >> discover_archives()
        >> fetch_and_load_articles()
        >> dedupe_articles()
        >> extract_facts()
        >> record_metrics()
    )


news_nightly()
