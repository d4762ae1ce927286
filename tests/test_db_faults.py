"""The warehouse misbehaving under a run: restarted mid-stage, down, read-only, out of
disk, over a configured limit. Each gives a task failure with one readable line (what
is wrong, what to do) instead of a hang or corrupt data, and a rerun gives the
warehouse a clean run gives.

The restart and the full disk use a private PostgreSQL cluster started by the test; the
full disk is real: the warehouse database lives in a tablespace on a small tmpfs mounted
in the server's own mount namespace (needs root or unprivileged user namespaces; the
test is skipped otherwise, and the 53100 mapping is still unit-tested below).
"""

import time

import psycopg
import pytest
from psycopg import sql

from canonical_dump import canonical_dump, dump_differences
from extractors.sources import load_sources
from fault_helpers import (DAY, PrivateCluster, assert_no_partial_rows, clean_day, clean_day_dsn, fault_env,  # noqa: F401 - fixtures
                           run_stage)
from newsfacts import settings
from newsfacts.dedupe import dedupe
from newsfacts.discover import discover_archives
from newsfacts.errors import WarehouseError, explain, plain_errors, reported
from newsfacts.fetch_pages import fetch_pages
from newsfacts.load_articles import load_articles
from newsfacts.load_facts import load_facts
from newsfacts.migrations import migrate
from newsfacts.poll import poll_feeds
from newsfacts.run_metrics import record_metrics
from newsfacts.sync_sources import sync_sources
from newsfacts.warehouse import connect
from newsfacts.window import Window
from pipeline_helpers import run_day, scalar

WINDOW = Window.day(DAY)


def _one_plain_line(message: str, *needles: str) -> None:
    assert "\n" not in message and len(message) < 1000, message
    for needle in needles:
        assert needle in message, message


def _stages_until_facts(dsn: str) -> None:
    with connect(dsn) as conn:
        sync_sources(conn, load_sources(settings.sources_path()))
    poll_feeds(dsn, WINDOW, "fault")
    discover_archives(dsn, WINDOW, "fault")
    fetch_pages(dsn, WINDOW, "fault")
    load_articles(dsn, WINDOW, "fault")
    dedupe(dsn, "fault")


def test_a_warehouse_restart_mid_stage_fails_the_task_plainly_and_the_rerun_is_clean(fault_env, server, clean_day):
    with PrivateCluster() as cluster:
        dsn = cluster.create_database("warehouse")
        migrate(dsn)
        _stages_until_facts(dsn)

        # extract_facts, stopped with its second batch written but not committed...
        child = run_stage("load_facts", dsn, pause_at="load_facts.store:2", batches={"load_facts": 4})
        child.wait_paused()
        # ... when the server restarts (fast shutdown: sessions are terminated).
        cluster.restart()
        started = time.monotonic()
        child.resume()
        code, _, err = child.finish(timeout=60)
        assert code != 0 and time.monotonic() - started < 30, "the task fails at once, no hang"
        last = err.strip().splitlines()[-1]
        assert last.startswith("newsfacts.errors.WarehouseError: "), err[-3000:]
        _one_plain_line(last, "the task is retried", "[warehouse: ")
        assert "shut down or restarted" in last or "connection to the warehouse was lost" in last, last
        assert_no_partial_rows(dsn)
        assert scalar(dsn, "SELECT count(*) FROM core.articles WHERE NOT facts_pending") == 4

        # A task that starts while the server is down fails just as plainly.
        cluster.stop()
        with pytest.raises(WarehouseError) as down:
            record_metrics(dsn, WINDOW, "fault")
        _one_plain_line(str(down.value), "could not be made", "check that PostgreSQL is up")
        cluster.start()

        # The retry: the day again, to the end.
        run_day(dsn, DAY)
        assert dump_differences(clean_day, canonical_dump(dsn)) == []


def test_a_read_only_warehouse_is_reported_in_one_line(warehouse):
    name = psycopg.conninfo.conninfo_to_dict(warehouse)["dbname"]
    with psycopg.connect(warehouse, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = on").format(sql.Identifier(name)))
    with pytest.raises(WarehouseError) as failed:
        load_facts(warehouse, "read-only")
    assert failed.value.sqlstate == "25006"
    _one_plain_line(str(failed.value), "the warehouse is read-only", "not a standby",
                    "default_transaction_read_only = off")
    assert isinstance(failed.value.__cause__, psycopg.errors.ReadOnlySqlTransaction)
    assert scalar(warehouse, "SELECT count(*) FROM core.entities") == 0
    # The DAG's first task (migrations, sources) reports it the same way.
    with pytest.raises(WarehouseError, match="^the warehouse is read-only: "):
        with reported(warehouse):
            migrate(warehouse)


def test_a_full_disk_is_reported_in_one_line_and_the_day_completes_once_space_is_freed(fault_env, server, clean_day):
    with PrivateCluster(tablespace_mb=32) as cluster:
        with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE TABLESPACE small LOCATION {}").format(sql.Literal(str(cluster.small))))
        dsn = cluster.create_database("warehouse", tablespace="small")
        migrate(dsn)
        with connect(dsn) as conn:
            sync_sources(conn, load_sources(settings.sources_path()))
        poll_feeds(dsn, WINDOW, "fault")
        discover_archives(dsn, WINDOW, "fault")

        # Fill the disk for real, to the last page.
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CREATE TABLE public.filler (x text)")
            for rows in (1000, 100, 10, 1):
                with pytest.raises(psycopg.errors.DiskFull):
                    for _ in range(1000):
                        conn.execute("INSERT INTO public.filler SELECT repeat('x', 1000) FROM generate_series(1, %s)",
                                     (rows,))
        pages = scalar(dsn, "SELECT count(*) FROM raw.pages")

        with pytest.raises(WarehouseError) as failed:
            fetch_pages(dsn, WINDOW, "fault")
        assert failed.value.sqlstate == "53100"
        _one_plain_line(str(failed.value), "disk is full", "free or add space")
        assert scalar(dsn, "SELECT count(*) FROM raw.pages") == pages
        assert_no_partial_rows(dsn)

        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("DROP TABLE public.filler")
        run_day(dsn, DAY)
        assert dump_differences(clean_day, canonical_dump(dsn)) == []


def test_server_errors_map_to_one_plain_line(warehouse):
    # A real configuration-limit error (SQLSTATE 53400) from the server...
    with psycopg.connect(warehouse) as conn:
        conn.execute("SET temp_file_limit = '64kB'")
        conn.execute("SET work_mem = '64kB'")
        with pytest.raises(psycopg.errors.ConfigurationLimitExceeded) as limit:
            conn.execute("SELECT md5(i::text) FROM generate_series(1, 100000) i ORDER BY 1").fetchall()
    message = str(explain(limit.value, warehouse))
    _one_plain_line(message, "configuration limit was exceeded", "temp_file_limit", "raise the limit")
    # ... and the disk-full class (53100) as the server raises it.
    full = psycopg.errors.DiskFull('could not extend file "base/16384/16385": No space left on device\n'
                                   "HINT:  Check free disk space.")
    _one_plain_line(str(explain(full, warehouse)), "disk is full", "No space left on device", "free or add space")
    assert explain(full).sqlstate == "53100"


def test_connection_problems_are_plain_and_never_show_the_password():
    secret = "S3cr3t-pw-that-must-not-leak"

    @plain_errors
    def stage(dsn):
        with connect(dsn) as conn:
            conn.execute("SELECT 1")

    # Nothing listens on port 1.
    with pytest.raises(WarehouseError) as refused:
        stage(f"host=127.0.0.1 port=1 user=postgres password={secret} dbname=x connect_timeout=3")
    _one_plain_line(str(refused.value), "could not be made", "port=1")
    # A malformed connection string: libpq echoes part of it.
    with pytest.raises(WarehouseError) as malformed:
        stage(f"host=127.0.0.1 password={secret} {secret}")
    _one_plain_line(str(malformed.value), "connection string is malformed")
    for failure in (refused.value, malformed.value):
        assert secret not in str(failure) and secret not in str(failure.__cause__)
