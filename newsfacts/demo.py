"""``make demo``: run news_nightly for one day of the offline corpus, end to end.

Starts (or reuses) the embedded PostgreSQL warehouse unless WAREHOUSE_DSN is set,
serves the demo corpus over real HTTP on 127.0.0.1, runs the DAG in-process with
Airflow's own SQLite metadata DB, then prints what each source yielded and the answer
of one SQL query, and does what warehouse_marts does after a nightly run (refresh the
marts, run the data-quality checks) so the marts can be queried at once. Running it
again for the same day changes nothing in the warehouse.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from datetime import date, timedelta

from newsfacts import airflow_local, settings
from newsfacts.window import Window

DEMO_SOURCES = settings.PROJECT_ROOT / "demo" / "sources.yml"
#: The demo tightens the network limits so its slow feed visibly times out in seconds.
DEMO_ENVIRONMENT = {
    "NEWSFACTS_READ_TIMEOUT": "2",
    "NEWSFACTS_TOTAL_TIMEOUT": "5",
    "NEWSFACTS_RETRIES": "1",
    "NEWSFACTS_BACKOFF_SECONDS": "0.2",
    # All demo outlets live on one host (127.0.0.1); real hosts get 0.5 s, GDELT 5 s.
    "NEWSFACTS_HOST_MIN_INTERVAL": "0.01",
    "NEWSFACTS_GDELT_MIN_INTERVAL": "0.05",
    # The fetcher refuses loopback and private addresses unless told otherwise; the
    # demo's fixture server is on 127.0.0.1.
    "NEWSFACTS_ALLOW_HOSTS": "127.0.0.1",
}


def demo_environment(fixture_url: str, dsn: str) -> dict[str, str]:
    from newsfacts.fixture_server import GDELT_PATH

    env = dict(DEMO_ENVIRONMENT)
    env.update(
        {
            "NEWSFACTS_SOURCES": str(DEMO_SOURCES),
            "NEWSFACTS_FIXTURE_URL": fixture_url,
            "NEWSFACTS_GDELT_URL": fixture_url + GDELT_PATH,
            "WAREHOUSE_DSN": dsn,
        }
    )
    return env


def _table(rows: list[tuple], headers: tuple[str, ...]) -> str:
    cells = [tuple("" if v is None else str(v) for v in row) for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(out)


def warehouse_rows(dsn: str) -> int:
    """Rows in all warehouse tables: equal before and after a re-run of the same day."""
    from newsfacts.warehouse import connect

    with connect(dsn) as conn:
        tables = conn.execute(
            "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables "
            "WHERE table_schema IN ('raw', 'core', 'ops', 'marts') AND table_type = 'BASE TABLE'"
        ).fetchall()
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for (t,) in tables)


def print_summary(dsn: str, day: date) -> None:
    from newsfacts import queries
    from newsfacts.run_metrics import summarize
    from newsfacts.warehouse import connect

    window = Window.day(day)
    with connect(dsn) as conn:
        summaries = summarize(conn, window)
        print(f"\nPer-source summary for {day} (ops.run_metrics):\n")
        rows = [
            (
                s.slug, s.poll_outcome, s.entries_in_window, s.entries_skipped, s.pages_fetched, s.pages_failed,
                s.articles_irrelevant, s.articles_new, s.articles_duplicate, s.articles_updated,
                "; ".join(filter(None, [s.poll_detail if s.poll_outcome != "ok" else None,
                                        ", ".join(f"{k}={v}" for k, v in s.failures.items())]))[:90],
            )
            for s in summaries
        ]
        print(_table(rows, ("source", "poll", "in window", "not fetched", "fetched", "failed", "off-topic",
                            "loaded", "copies", "updated", "problems")))
        print("\n(not fetched: feed item clearly not about the war; off-topic: scored below the relevance"
              " threshold, kept in raw.relevance_assessments; copies: loaded, in another article's duplicate group)")
        for name in ("articles_by_outlet_on_day", "stories_on_day"):
            print(f"\n{queries.question(name)}\n  (sql/queries/{name}.sql, day={day})\n")
            cur = conn.execute(queries.load(name), {"day": day})
            rows = [tuple(str(v)[:60] for v in row) for row in cur.fetchall()]
            print(_table(rows, tuple(d.name for d in cur.description)))
        totals = conn.execute(
            "SELECT count(*), count(DISTINCT source_id) FROM core.articles "
            "WHERE published_at >= %s AND published_at < %s",
            (window.start, window.end),
        ).fetchone()
        print(f"\n{totals[0]} articles from {totals[1]} outlets published on {day} are in the warehouse.")


def refresh_and_check(dsn: str, windows: list[Window]) -> bool:
    """Refresh the marts and run the checks, as warehouse_marts would; False if a check failed."""
    from newsfacts.marts import refresh_marts
    from newsfacts.quality import DataQualityError, check_warehouse

    marts = refresh_marts(dsn)
    print("\nMarts refreshed (SELECT * FROM marts.<name>; see README, \"The marts\"):\n")
    print(_table(sorted(marts.items()), ("mart", "rows")))
    try:
        runs = check_warehouse(dsn, windows)
    except DataQualityError as exc:
        print(f"\n{exc}")
        return False
    print(f"\nData-quality checks (sql/checks): {runs} run(s), all passed.")
    return True


@contextmanager
def demo_session(port: int):
    """The demo's world: Airflow configured in-process, the warehouse migrated, the corpus
    served on 127.0.0.1:``port`` and the environment pointing the pipeline at it."""
    from newsfacts.fixture_server import FixtureServer
    from newsfacts.migrations import migrate
    from newsfacts.warehouse import describe, resolve_dsn

    airflow_local.configure()
    dsn = resolve_dsn()
    print(f"warehouse: {describe(dsn)}")
    server = FixtureServer(port=port).start()
    try:
        print(f"fixture server: {server.base_url} ({len(server.site.articles)} corpus articles)")
        os.environ.update(demo_environment(server.base_url, dsn))
        airflow_local.migrate_metadata_db()
        migrate(dsn)
        yield server, dsn
    finally:
        server.stop()


def run_demo(day: date, port: int = 8765) -> int:
    started = time.monotonic()
    with demo_session(port) as (server, dsn):
        rows_before = warehouse_rows(dsn)
        print(f"running news_nightly for {day} in-process ...")
        state = airflow_local.run_dag("news_nightly", day)
        print(f"news_nightly finished: {state}; {server.total_requests()} HTTP requests served")
        print_summary(dsn, day)
        checked = refresh_and_check(dsn, [Window.day(day)])
        rows_after = warehouse_rows(dsn)
        print(f"Warehouse rows: {rows_before} before this run, {rows_after} after"
              f" ({rows_after - rows_before:+d}); run `make demo` again to see a re-run add nothing.")
    print(f"\ndone in {time.monotonic() - started:.0f} s")
    return 0 if state == "success" and checked else 1


def run_backfill(first: date, last: date, port: int = 8765) -> int:
    """``make backfill``: news_nightly for each day of a range, in-process, on the demo corpus."""
    from newsfacts.warehouse import connect

    started = time.monotonic()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    states = {}
    with demo_session(port) as (server, dsn):
        rows_before = warehouse_rows(dsn)
        for day in days:
            states[day] = airflow_local.run_dag("news_nightly", day)
            print(f"{day}: {states[day]}")
        with connect(dsn) as conn:
            per_day = dict(conn.execute(
                "SELECT (published_at AT TIME ZONE 'UTC')::date, count(*) FROM core.articles "
                "WHERE published_at >= %s AND published_at < %s GROUP BY 1",
                (Window.day(first).start, Window.day(last).end),
            ).fetchall())
        print("\n" + _table([(d, per_day.get(d, 0), states[d]) for d in days], ("day", "articles", "run")))
        print(f"\n{len(days)} days in {time.monotonic() - started:.0f} s; {server.total_requests()} HTTP requests,"
              f" at most {server.max_requests_per_second()} in any one second (one host: 127.0.0.1);"
              f" warehouse rows {rows_before} -> {warehouse_rows(dsn)}")
        checked = refresh_and_check(dsn, [Window.day(d) for d in days])
    return 0 if all(s == "success" for s in states.values()) and checked else 1
