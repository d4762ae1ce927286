"""A worker killed with SIGKILL in the middle of loading a day loses nothing and leaves
nothing half-written; running the day again gives exactly the warehouse a clean run gives.

Each stage runs in a child process as an Airflow task would (the same function, the
DSN from the environment) with small batches, pauses at a documented pause point
(:mod:`newsfacts.testhooks`) and is killed there: after a committed batch, and inside a
batch's open transaction. The kill leaves no partial article, no orphan fact and no
fetched link without its page; the rerun's warehouse is compared, table by table, with
the canonical dump of an uninterrupted run of the same day in a separate database.
"""

import time

import psycopg

from canonical_dump import canonical_dump, dump_differences
from extractors.sources import load_sources
from fault_helpers import DAY, assert_no_partial_rows, clean_day, clean_day_dsn, fault_env, run_stage  # noqa: F401 - fixtures
from newsfacts import settings
from newsfacts.discover import discover_archives
from newsfacts.fetch_pages import fetch_pages
from newsfacts.load_articles import load_articles
from newsfacts.poll import poll_feeds
from newsfacts.sync_sources import sync_sources
from newsfacts.warehouse import connect
from newsfacts.window import Window
from pipeline_helpers import run_day, scalar

WINDOW = Window.day(DAY)


def _sessions_gone(dsn: str, pid: int, timeout: float = 10) -> None:
    """The killed worker's server session ends (its open transaction rolled back)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not scalar(dsn, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'newsfacts' "
                           "AND client_port IS NOT NULL AND backend_type = 'client backend' "
                           "AND pid <> pg_backend_pid() AND datname = current_database()"):
            return
        time.sleep(0.1)
    raise AssertionError(f"the killed worker {pid} still has a session")


def _kill_at(dsn: str, stage: str, point: str, batches: dict, measure: str) -> tuple[int, int]:
    """Run ``stage`` in a child, pause it at ``point``, read ``measure`` (a count), kill it
    with SIGKILL; returns (the count while paused, the count after the kill)."""
    child = run_stage(stage, dsn, pause_at=point, batches=batches)
    child.wait_paused()
    while_paused = scalar(dsn, measure)
    child.kill()
    _sessions_gone(dsn, child.proc.pid)
    assert_no_partial_rows(dsn)
    return while_paused, scalar(dsn, measure)


def test_a_worker_killed_anywhere_in_a_day_loses_nothing_and_the_rerun_equals_a_clean_run(fault_env, server,
                                                                                         clean_day):
    dsn = fault_env
    with connect(dsn) as conn:
        sync_sources(conn, load_sources(settings.sources_path()))
    poll_feeds(dsn, WINDOW, "crash")
    discover_archives(dsn, WINDOW, "crash")
    to_fetch = scalar(dsn, "SELECT count(*) FROM raw.links WHERE fetch_outcome IS NULL")
    assert to_fetch > 16

    # fetch_pages, killed after its third batch of 4 links is stored (none of the rest is): enough
    # pages for two load batches of 3 and part of a third, whatever the order of the links.
    fetched = "SELECT count(*) FROM raw.links WHERE fetch_outcome IS NOT NULL AND fetch_outcome <> 'skipped_irrelevant'"
    assert _kill_at(dsn, "fetch_pages", "fetch_pages.batch:3", {"fetch_pages": 4}, fetched) == (12, 12)
    pages_before_rest = scalar(dsn, "SELECT count(*) FROM raw.pages")
    assert 7 <= pages_before_rest <= 12

    # load_articles, killed between batches: the first batch of 3 links stays loaded...
    extracted = "SELECT count(*) FROM raw.links WHERE extract_outcome IS NOT NULL"
    assert _kill_at(dsn, "load_articles", "load_articles.batch:1", {"load_articles": 3}, extracted) == (3, 3)
    # ... and killed inside a batch's transaction: its merged rows vanish with the worker.
    loaded = "SELECT count(*) FROM core.articles"
    before = scalar(dsn, loaded)
    paused, after = _kill_at(dsn, "load_articles", "load_articles.merge:2", {"load_articles": 3}, loaded)
    assert paused == after and after > before, "only the committed first batch of the second attempt stays"
    assert scalar(dsn, extracted) == 6

    # The rest of the pages and articles, so that the next stages have several batches.
    fetch_pages(dsn, WINDOW, "crash")
    load_articles(dsn, WINDOW, "crash")
    articles = scalar(dsn, loaded)
    assert articles >= 12

    # dedupe, killed inside its second batch of 4 (the first stays grouped).
    grouped = "SELECT count(*) FROM core.articles WHERE NOT dedupe_pending"
    assert _kill_at(dsn, "dedupe", "dedupe.batch:2", {"dedupe": 4}, grouped) == (4, 4)

    # extract_facts, killed with its second batch's facts written but not committed.
    facts = "SELECT (SELECT count(*) FROM core.mentions) + (SELECT count(*) FROM core.events)"
    paused, after = _kill_at(dsn, "load_facts", "load_facts.store:2", {"load_facts": 4}, facts)
    assert paused == after > 0
    assert scalar(dsn, "SELECT count(*) FROM core.articles WHERE NOT facts_pending") == 4

    # Airflow's retry: the day again, from the start, to the end.
    run_day(dsn, DAY)
    assert dump_differences(clean_day, canonical_dump(dsn)) == []


def test_a_killed_worker_releases_its_stage_lock(fault_env, server):
    """A worker that dies holding a day's stage lock does not block the retry."""
    dsn = fault_env
    with connect(dsn) as conn:
        sync_sources(conn, load_sources(settings.sources_path()))
    poll_feeds(dsn, WINDOW, "crash")
    child = run_stage("fetch_pages", dsn, pause_at="fetch_pages.batch:1", batches={"fetch_pages": 2})
    child.wait_paused()
    with psycopg.connect(dsn, autocommit=True) as conn:
        held = conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted").fetchone()[0]
    assert held >= 1
    child.kill()
    started = time.monotonic()
    counts = fetch_pages(dsn, WINDOW, "retry")
    assert counts["requested"] > 0 and time.monotonic() - started < 30
