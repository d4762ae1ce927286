"""The scale benchmark's generator (benchmarks/warehouse_scale.py) at a tiny size: the
proportions it promises hold, the warehouse it makes is consistent (its keys and foreign
keys are rebuilt and validated), and every example query and mart refresh runs on it."""

import argparse
import sys
from datetime import date
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import warehouse_scale as ws  # noqa: E402
import warehouse_scale_timing as timing  # noqa: E402

from newsfacts import queries  # noqa: E402
from newsfacts.marts import refresh_marts  # noqa: E402

ARTICLES = 2000


@pytest.fixture(scope="module")
def scale_warehouse(template_db):
    """A fresh copy of the session's migrated database, filled by the generator."""
    import uuid

    from psycopg import sql

    from conftest import _admin, _dsn_for

    name = f"{template_db}_scale_{uuid.uuid4().hex[:6]}"
    _admin(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template_db)))
    dsn = _dsn_for(name)
    args = argparse.Namespace(articles=ARTICLES, days=3, end_date=date(2025, 2, 27), raw_share=0.1, seed=0)
    report = ws.generate(dsn, args, log=lambda message: None)
    yield dsn, report
    _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_proportions(scale_warehouse):
    dsn, report = scale_warehouse
    s = ws.summary(dsn)
    assert s["articles"] == ARTICLES
    assert s["outlets"] == 40 and s["entities"] == ws.ENTITIES and s["days"] >= 3
    assert 0.17 <= s["duplicate_share"] <= 0.23
    assert 21 <= s["mentions_per_article"] <= 29
    assert 2.5 <= s["quotes_per_article"] <= 3.5
    assert 5.4 <= s["events_per_article"] <= 6.6
    assert 1.0 <= s["participants_per_event"] <= 1.3 and 0.3 <= s["quantities_per_event"] <= 0.6
    assert 200 <= s["words_mean"] <= 300
    assert s["story_size_max"] <= ws.MAX_STORY and 2.5 <= s["story_size_mean"] <= 4.5
    assert 30 <= s["lsh_rows_per_article"] <= 42
    assert 0.05 <= s["pages_with_body"] / s["pages"] <= 0.15
    assert report["rows"]["core.articles"] == ARTICLES
    with psycopg.connect(dsn) as conn:
        one = lambda q: conn.execute(q).fetchone()[0]  # noqa: E731
        # Nothing left for the pipeline to do, every article grouped, clustered, fingerprinted.
        assert one("SELECT count(*) FROM core.articles WHERE dedupe_pending OR facts_pending "
                   "OR duplicate_group_id IS NULL OR story_id IS NULL") == 0
        assert one("SELECT count(*) FROM core.article_fingerprints") == ARTICLES
        # Group and story rows agree with their members.
        assert one("""SELECT count(*) FROM core.stories s JOIN (SELECT story_id, count(*) AS n,
                      count(DISTINCT source_id) AS o FROM core.articles GROUP BY 1) x USING (story_id)
                      WHERE s.article_count <> x.n OR s.outlet_count <> x.o""") == 0
        assert one("""SELECT count(*) FROM core.duplicate_groups g JOIN (SELECT duplicate_group_id, count(*) AS n
                      FROM core.articles GROUP BY 1) x USING (duplicate_group_id) WHERE g.article_count <> x.n""") == 0
        # Offsets point into the text: a linked mention's surface is where it says.
        assert one("""SELECT count(*) FROM core.mentions m JOIN core.articles a USING (article_id)
                      WHERE substr(a.body_text, m.start_offset + 1, m.end_offset - m.start_offset) <> m.surface""") == 0
        assert one("""SELECT count(*) FROM core.quotes q JOIN core.articles a USING (article_id)
                      WHERE substr(a.body_text, q.start_offset + 1, q.end_offset - q.start_offset) <> q.quote_text""") == 0
        # Keys and foreign keys are back and validated; sequences are past the ids.
        assert one("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated") == 0
        assert one("SELECT count(*) FROM pg_indexes WHERE indexname = 'articles_search_idx'") == 1
        new_id = conn.execute("INSERT INTO core.duplicate_groups DEFAULT VALUES RETURNING duplicate_group_id").fetchone()[0]
        assert new_id > one("SELECT max(duplicate_group_id) - 1 FROM core.duplicate_groups WHERE duplicate_group_id <> %s"
                            % new_id)
        conn.rollback()


def test_every_example_query_and_mart_refresh_runs(scale_warehouse):
    dsn, _ = scale_warehouse
    args = argparse.Namespace(param=[], runs=1, role="newsfacts_analyst")
    results, slowest = timing.time_queries(dsn, args, log=lambda message: None)
    assert {r["query"] for r in results} == {p.stem for p in queries.QUERIES_DIR.glob("*.sql")}
    assert [r for r in results if "error" in r] == []
    assert len(slowest) == min(3, len(results)) and all("actual time" in plan for _, plan in slowest)
    rows = refresh_marts(dsn)
    assert rows and all(n > 0 for n in rows.values()), rows
