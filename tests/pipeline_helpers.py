"""Helpers shared by the pipeline tests: run a day through the stages, snapshot tables."""

from __future__ import annotations

import shutil
from datetime import date, timezone

import psycopg

from extractors.sources import load_sources
from extractors.urls import normalize_url
from newsfacts import settings
from newsfacts.discover import discover_archives
from newsfacts.dedupe import dedupe
from newsfacts.fetch_and_load import fetch_and_load
from newsfacts.load_facts import load_facts
from newsfacts.poll import poll_feeds
from newsfacts.run_metrics import record_metrics
from newsfacts.sync_sources import sync_sources
from newsfacts.warehouse import connect
from newsfacts.window import Window

#: Columns that say when or how fast something ran, not what the warehouse holds.
TIMING_COLUMNS = {"poll_seconds", "fetch_seconds", "extract_seconds", "run_id", "applied_at"}


def run_day(dsn: str, day: date, **options):
    """The stages of news_nightly, in order, for one UTC day (what the DAG tasks call)."""
    window = Window.day(day)
    with connect(dsn) as conn:
        sync_sources(conn, load_sources(settings.sources_path()))
    poll_feeds(dsn, window, "test", repoll=options.get("repoll", False))
    discover_archives(dsn, window, "test")
    fetch_and_load(dsn, window, "test", retry_failed=options.get("retry_failed", False),
                   reextract=options.get("reextract", False))
    dedupe(dsn, "test")
    load_facts(dsn, "test")
    return record_metrics(dsn, window, "test")


def serve_updated(server, tmp_path, article, note: str) -> None:
    """Serve a copy of the corpus (made in ``tmp_path``) in which ``article`` was updated
    on 16 March 2025 at 09:00 UTC, ``note`` added at the end of its text."""
    corpus = tmp_path / "corpus"
    shutil.copytree(server.corpus, corpus)
    source = corpus / "articles" / article.outlet / f"{article.slug}.md"
    text = source.read_text().replace("\n---\n", "\nupdated: 2025-03-16T09:00:00Z\n---\n", 1)
    source.write_text(text + note)
    server.load(corpus)


def snapshot(dsn: str) -> dict[str, list[tuple]]:
    """Every row of every warehouse table, minus timing columns, in a stable order."""
    state = {}
    with psycopg.connect(dsn) as conn:
        tables = conn.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema IN ('raw', 'core', 'ops', 'marts') AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            schema, name = table.split(".")
            columns = [
                c for (c,) in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
                    "ORDER BY ordinal_position",
                    (schema, name),
                )
                if c not in TIMING_COLUMNS
            ]
            column_list = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(f"SELECT {column_list} FROM {table} ORDER BY {column_list}").fetchall()
            state[table] = rows
    return state


def scalar(dsn: str, query: str, *params):
    with psycopg.connect(dsn) as conn:
        return conn.execute(query, params).fetchone()[0]


def rows(dsn: str, query: str, *params) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(query, params).fetchall()


def state_differences(before: dict, after: dict) -> list[str]:
    """Readable differences between two snapshots (empty when identical)."""
    problems = []
    for table in sorted(set(before) | set(after)):
        old, new = {repr(r) for r in before.get(table, [])}, {repr(r) for r in after.get(table, [])}
        if len(before.get(table, [])) != len(after.get(table, [])):
            problems.append(f"{table}: {len(before.get(table, []))} rows -> {len(after.get(table, []))} rows")
        for row in sorted(old - new)[:3]:
            problems.append(f"{table}: row changed or removed: {row[:400]}")
        for row in sorted(new - old)[:3]:
            problems.append(f"{table}: row changed or added: {row[:400]}")
    return problems


def expected_by_day(server) -> dict[date, set[str]]:
    """Every URL a day should hold: the corpus articles about the war (``war: true``), the
    Danube Herald's war story, nothing that fails to fetch or extract (per behaviours.yml
    and the video page) and nothing off the war's subject."""
    failing = {path for path, spec in server.site.routes.items()
               if spec.status != 200 or spec.redirect or spec.generate or spec.delay_seconds}
    failing.add("/harbor-post/video/2025/03/15/rally-for-ukraine-boston.html")
    days: dict[date, set[str]] = {}
    for article in server.site.articles:
        if article.path not in failing and article.war:
            days.setdefault(article.published.date(), set()).add(normalize_url(server.url(article.path)))
    days[date(2025, 3, 15)].add(normalize_url(server.url("/danube-herald/2025/03/15/izmail-port-drone-strike-romania-jets.html")))
    return days


def loaded_by_day(dsn) -> dict[date, set[str]]:
    days: dict[date, set[str]] = {}
    for url, published in rows(dsn, "SELECT url, published_at FROM core.articles"):
        days.setdefault(published.astimezone(timezone.utc).date(), set()).add(url)
    return days
