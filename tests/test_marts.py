"""The marts of sql/marts: built by migrate, refreshed concurrently, rebuilt when their file
changes, and holding what the corpus says they should after the pipeline loads demo days.

Expected values come from the corpus's own truth (outlet, publication time, which
article reprints which) wherever it has one; for what only the pipeline decides (story
clusters, extracted facts) they are recomputed in Python from the core rows, so the test
checks the mart's counting, not the extractor."""

import re
import shutil
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import combinations

import psycopg
import pytest

from conftest import DEMO_DAYS
from extractors.urls import normalize_url
from newsfacts.marts import MARTS_DIR, MartError, discover, refresh_marts
from newsfacts.migrations import migrate
from pipeline_helpers import expected_by_day, rows

#: Loaded but not in the corpus's articles: a static page, dated by its own markup.
DANUBE_WAR_STORY = "/danube-herald/2025/03/15/izmail-port-drone-strike-romania-jets.html"


@dataclass(frozen=True)
class Truth:
    url: str
    outlet: str
    published: datetime
    original_url: str | None  # the article it reprints, per the corpus
    text: str


def corpus_truth(server) -> dict[str, Truth]:
    """Every article the demo days load, by normalised URL, as the corpus describes it."""
    by_key = {a.key: a for a in server.site.articles}
    by_url = {normalize_url(server.url(a.path)): a for a in server.site.articles}
    truth = {}
    for day in DEMO_DAYS:
        for url in expected_by_day(server)[day]:
            if url in by_url:
                a = by_url[url]
                original = by_key.get(a.syndicated_from or "")
                truth[url] = Truth(url, a.outlet, a.published, original and normalize_url(server.url(original.path)),
                                   "\n\n".join(a.paragraphs))
    page = (server.corpus / "static" / DANUBE_WAR_STORY.lstrip("/")).read_text(encoding="utf-8")
    published = re.search(r'article:published_time" content="([^"]+)"', page).group(1)
    url = normalize_url(server.url(DANUBE_WAR_STORY))
    truth[url] = Truth(url, "danube-herald", datetime.fromisoformat(published), None, "")
    return truth


def is_canonical(t: Truth, truth: dict[str, Truth]) -> bool:
    """A text counts once: an article is canonical unless it reprints another loaded article."""
    return t.original_url is None or t.original_url not in truth


def utc_day(moment: datetime):
    return moment.astimezone(timezone.utc).date()


def mart(dsn, query, *params) -> list[dict]:
    with psycopg.connect(dsn) as conn:
        cur = conn.execute(query, params)
        return [dict(zip([d.name for d in cur.description], row)) for row in cur.fetchall()]


def story_of(dsn) -> dict[str, int]:
    return dict(rows(dsn, "SELECT url, story_id FROM core.articles"))


def test_every_mart_is_built_commented_and_refreshable_concurrently(warehouse):
    with psycopg.connect(warehouse) as conn:
        views = {name for (name,) in conn.execute("SELECT matviewname FROM pg_matviews WHERE schemaname = 'marts'")}
        uncommented = conn.execute(
            """
            SELECT c.relname, a.attname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'marts'
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relkind = 'm'
              AND (obj_description(c.oid, 'pg_class') IS NULL OR col_description(c.oid, a.attnum) IS NULL)
            """
        ).fetchall()
        # REFRESH ... CONCURRENTLY needs a unique index on plain columns, without a predicate.
        refreshable = {name for (name,) in conn.execute(
            """
            SELECT DISTINCT c.relname FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'marts'
            WHERE i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
            """
        )}
        recorded = dict(conn.execute("SELECT name, sha256 FROM ops.mart_definitions").fetchall())
    assert views == {m.name for m in discover()} == refreshable
    assert len(views) >= 6
    assert uncommented == []
    assert recorded == {m.name: m.sha256 for m in discover()}


def test_daily_articles_count_each_text_once_by_outlet(demo_warehouse, server):
    truth = corpus_truth(server)
    stories = story_of(demo_warehouse)
    assert rows(demo_warehouse, "SELECT count(*) FROM marts.daily_war_articles_by_outlet") == [(0,)]  # built empty
    refresh_marts(demo_warehouse)
    expected = defaultdict(lambda: {"articles": 0, "copies": 0, "stories": set()})
    for t in truth.values():
        cell = expected[(utc_day(t.published), t.outlet)]
        cell["articles" if is_canonical(t, truth) else "copies"] += 1
        cell["stories"].add(stories[t.url])
    expected = {k: {**v, "stories": len(v["stories"])} for k, v in expected.items()}
    actual = {
        (r["day"], r["outlet_slug"]): {"articles": r["articles"], "copies": r["copies"], "stories": r["stories"]}
        for r in mart(demo_warehouse, "SELECT * FROM marts.daily_war_articles_by_outlet")
    }
    assert actual == expected
    assert sum(v["copies"] for v in actual.values()) >= 3  # the wire's reprints are there, and counted apart
    perspectives = dict(rows(demo_warehouse, "SELECT DISTINCT outlet_slug, perspective FROM marts.daily_war_articles_by_outlet"))
    assert perspectives["continental-press"] == "wire" and perspectives["volga-dispatch"] == "russian_state"


def test_first_reports_and_lags_follow_the_publication_times(demo_warehouse, server):
    truth = corpus_truth(server)
    stories = story_of(demo_warehouse)
    refresh_marts(demo_warehouse)
    members = defaultdict(list)
    for t in truth.values():
        members[stories[t.url]].append(t)
    expected = {}
    for story, reports in members.items():
        first = min(t.published for t in reports)
        for outlet in {t.outlet for t in reports}:
            own = [t.published for t in reports if t.outlet == outlet]
            expected[(story, outlet)] = (min(own), len(own), min(own) - first, min(own) == first)
    actual = {
        (r["story_id"], r["slug"]): (r["first_published_at"], r["articles"], r["lag"], r["broke_story"])
        for r in mart(demo_warehouse, "SELECT m.*, s.slug FROM marts.story_first_reports_by_outlet m "
                                      "JOIN core.sources s USING (source_id)")
    }
    assert actual == expected
    lagging = [lag for (_, _, lag, broke) in actual.values() if not broke]
    assert lagging and all(lag.total_seconds() > 0 for lag in lagging)


def _events(dsn) -> list[dict]:
    """Every event of a clustered article, with what the marts group it by, from core rows."""
    return mart(dsn, """
        SELECT e.event_id, e.article_id, a.story_id, a.source_id, e.event_type, e.event_date, e.date_precision,
               a.published_at, e.location_entity_id, coalesce(p.name, e.location_name) AS place, p.lat, p.lon
        FROM core.events e JOIN core.articles a USING (article_id)
        LEFT JOIN core.entities p ON p.entity_id = e.location_entity_id
        WHERE a.story_id IS NOT NULL""")


def _day(event: dict):
    """The day the marts give an event: its own (to the day), else its report's; None leaves it out."""
    if event["event_date"] is None:
        return utc_day(event["published_at"])
    return event["event_date"] if event["date_precision"] == "day" else None


def test_events_count_each_story_once_per_type_place_and_actor(demo_warehouse):
    refresh_marts(demo_warehouse)
    actors = defaultdict(list)
    for event_id, entity_id, name in rows(demo_warehouse, """
            SELECT p.event_id, p.entity_id, coalesce(x.name, p.name) FROM core.event_participants p
            LEFT JOIN core.entities x USING (entity_id) WHERE p.role = 'actor'"""):
        actors[event_id].append((entity_id, name))
    groups = defaultdict(lambda: (set(), set(), set()))
    for e in _events(demo_warehouse):
        if (day := _day(e)) is None:
            continue
        for actor in actors[e["event_id"]] or [(None, None)]:
            stories, articles, outlets = groups[(day, e["event_type"], e["location_entity_id"], e["place"], *actor)]
            stories.add(e["story_id"]), articles.add(e["article_id"]), outlets.add(e["source_id"])
    expected = {k: (len(s), len(a), len(o)) for k, (s, a, o) in groups.items()}
    actual = {
        (r["day"], r["event_type"], r["place_entity_id"], r["place"], r["actor_entity_id"], r["actor"]):
            (r["events"], r["articles"], r["outlets"])
        for r in mart(demo_warehouse, "SELECT * FROM marts.daily_events_by_type_place_actor")
    }
    assert actual == expected
    assert any(events < articles for events, articles, _ in actual.values())  # one event, several reports
    places = mart(demo_warehouse, "SELECT DISTINCT place_entity_id, latitude, longitude FROM marts.daily_events_by_type_place_actor "
                                  "WHERE place_entity_id IS NOT NULL")
    assert places and all(p["latitude"] is not None and p["longitude"] is not None for p in places)


def test_events_carry_the_oblast_their_place_lies_in(demo_warehouse):
    from extractors.entities import by_id

    refresh_marts(demo_warehouse)
    located = mart(demo_warehouse, "SELECT DISTINCT place_entity_id, region_entity_id, region "
                                   "FROM marts.daily_events_by_type_place_actor WHERE place_entity_id IS NOT NULL")
    for row in located:
        region = by_id(row["place_entity_id"]).region
        assert row["region_entity_id"] == region, row
        assert row["region"] == (by_id(region).name if region else None)
    assert any(row["region"] and row["region_entity_id"] != row["place_entity_id"] for row in located)


def test_casualty_and_strike_figures_bound_what_was_reported(demo_warehouse):
    refresh_marts(demo_warehouse)
    assaults = {e["event_id"]: e for e in _events(demo_warehouse) if e["event_type"] == "ASSAULT" and _day(e)}
    groups = defaultdict(list)
    for event_id, kind, value in rows(demo_warehouse, "SELECT event_id, kind, value FROM core.event_quantities"):
        if event_id in assaults and kind in ("killed", "injured", "drones", "missiles"):
            e = assaults[event_id]
            groups[(_day(e), kind, e["location_entity_id"], e["place"])].append((value, e))
    expected = {
        key: (min(v for v, _ in reports), max(v for v, _ in reports), sorted({v for v, _ in reports}),
              len({e["story_id"] for _, e in reports}), len({e["article_id"] for _, e in reports}))
        for key, reports in groups.items()
    }
    actual = {
        (r["day"], r["kind"], r["place_entity_id"], r["place"]):
            (r["lowest"], r["highest"], r["figures"], r["stories"], r["articles"])
        for r in mart(demo_warehouse, "SELECT * FROM marts.daily_casualty_and_strike_figures")
    }
    assert actual == expected
    assert {"killed", "injured", "drones", "missiles"} <= {kind for _, kind, _, _ in actual}


def test_quotes_merge_reprints_and_are_searchable(demo_warehouse, server):
    truth = corpus_truth(server)
    refresh_marts(demo_warehouse)
    reports = rows(demo_warehouse, """
        SELECT DISTINCT (a.published_at AT TIME ZONE 'UTC')::date, coalesce(x.name, q.speaker_name), q.quote_text,
                        q.direct, q.article_id
        FROM core.quotes q JOIN core.articles a USING (article_id)
        LEFT JOIN core.entities x ON x.entity_id = q.speaker_entity_id""")
    carried = Counter(report[:4] for report in reports)
    quotes = mart(demo_warehouse, "SELECT q.*, a.url FROM marts.quotes_by_speaker_and_day q "
                                  "JOIN core.quotes f USING (quote_id) JOIN core.articles a ON a.article_id = f.article_id")
    assert {(q["day"], q["speaker"], q["quote_text"], q["direct"]): q["articles"] for q in quotes} == carried
    # A wire quote is one row however many outlets reprinted it: the row counts every
    # reprint (per the corpus) whose text carries the words.
    wire = [q for q in quotes if truth.get(q["url"]) and truth[q["url"]].outlet == "continental-press" and q["direct"]]
    reprinted = 0
    for q in wire:
        reprints = [t for t in truth.values()
                    if t.original_url == q["url"] and utc_day(t.published) == q["day"] and q["quote_text"] in t.text]
        assert q["articles"] >= 1 + len(reprints), q["quote_text"]
        reprinted += bool(reprints)
    assert reprinted >= 3
    # Full-text search through the GIN index finds exactly the rows whose words match.
    word = "ceasefire"
    with psycopg.connect(demo_warehouse) as conn:
        conn.execute("SET enable_seqscan = off")
        query = "SELECT quote_id FROM marts.quotes_by_speaker_and_day WHERE search @@ websearch_to_tsquery('simple', %s)"
        found = {qid for (qid,) in conn.execute(query, (word,))}
        plan = "\n".join(line for (line,) in conn.execute("EXPLAIN " + query, (word,)))
    assert "quotes_by_speaker_and_day_search_idx" in plan
    expected = {q["quote_id"] for q in quotes
                if re.search(rf"\b{word}\b", f"{q['speaker'] or ''} {q['quote_text']}", re.IGNORECASE)}
    assert found == expected and found


def test_entity_pairs_count_distinct_texts_only(demo_warehouse, server):
    truth = corpus_truth(server)
    refresh_marts(demo_warehouse)
    named = defaultdict(set)
    for url, entity_id in rows(demo_warehouse, "SELECT DISTINCT a.url, m.entity_id FROM core.mentions m "
                                               "JOIN core.articles a USING (article_id) WHERE m.entity_id IS NOT NULL"):
        named[url].add(entity_id)
    expected = Counter(
        pair for url, entities in named.items() if is_canonical(truth[url], truth) for pair in combinations(sorted(entities), 2)
    )
    actual = {(r["entity_a_id"], r["entity_b_id"]): r["articles"]
              for r in mart(demo_warehouse, "SELECT * FROM marts.entity_pairs_mentioned_together")}
    assert actual == dict(expected)
    with_copies = Counter(pair for entities in named.values() for pair in combinations(sorted(entities), 2))
    assert with_copies[("place/russia", "place/ukraine")] > actual[("place/russia", "place/ukraine")]


def _contents(dsn) -> dict[str, list[tuple]]:
    with psycopg.connect(dsn) as conn:
        return {m.name: sorted(map(repr, conn.execute(f"SELECT * FROM marts.{m.name}").fetchall())) for m in discover()}


def test_refreshing_twice_changes_nothing_and_never_blocks_readers(demo_warehouse):
    first = refresh_marts(demo_warehouse)
    before = _contents(demo_warehouse)
    reader = psycopg.connect(demo_warehouse)
    try:
        # A reader in the middle of a transaction holds its lock on every mart it read...
        for name in first:
            reader.execute(f"SELECT count(*) FROM marts.{name}")
        # ...which a plain REFRESH would wait for,
        with psycopg.connect(demo_warehouse, autocommit=True) as blocked:
            blocked.execute("SET lock_timeout = '300ms'")
            with pytest.raises(psycopg.errors.LockNotAvailable):
                blocked.execute("REFRESH MATERIALIZED VIEW marts.daily_war_articles_by_outlet")
        # ...and the concurrent refresh does not.
        done = []
        refresher = threading.Thread(target=lambda: done.append(refresh_marts(demo_warehouse)))
        refresher.start()
        refresher.join(timeout=60)
        assert done == [first], "the refresh waited for a reader"
    finally:
        reader.close()
    assert _contents(demo_warehouse) == before
    assert all(first.values())


def _oids(dsn) -> dict[str, int]:
    return dict(rows(dsn, "SELECT matviewname, format('marts.%%I', matviewname)::regclass::oid::int FROM pg_matviews "
                          "WHERE schemaname = 'marts'"))


def test_a_changed_mart_file_rebuilds_that_mart_and_the_marts_built_on_it(warehouse, tmp_path):
    marts = tmp_path / "marts"
    shutil.copytree(MARTS_DIR, marts)
    assert migrate(warehouse, marts_directory=marts) == []
    (marts / "zz_outlet_totals.sql").write_text(
        "CREATE MATERIALIZED VIEW marts.zz_outlet_totals AS SELECT outlet_slug, sum(articles) AS articles "
        "FROM marts.daily_war_articles_by_outlet GROUP BY outlet_slug;\n"
        "CREATE UNIQUE INDEX ON marts.zz_outlet_totals (outlet_slug);\n"
    )
    assert migrate(warehouse, marts_directory=marts) == ["marts/zz_outlet_totals.sql"]
    before = _oids(warehouse)

    changed = marts / "daily_war_articles_by_outlet.sql"
    changed.write_text(changed.read_text() + "\n-- a changed definition\n")
    assert migrate(warehouse, marts_directory=marts) == ["marts/daily_war_articles_by_outlet.sql",
                                                         "marts/zz_outlet_totals.sql"]
    after = _oids(warehouse)
    rebuilt = {name for name in before if after[name] != before[name]}
    assert rebuilt == {"daily_war_articles_by_outlet", "zz_outlet_totals"}
    assert migrate(warehouse, marts_directory=marts) == []

    (marts / "zz_outlet_totals.sql").unlink()
    assert migrate(warehouse, marts_directory=marts) == []
    assert "zz_outlet_totals" not in _oids(warehouse)
    assert rows(warehouse, "SELECT count(*) FROM ops.mart_definitions WHERE name = 'zz_outlet_totals'") == [(0,)]


def test_a_broken_mart_file_is_named_and_leaves_the_others_alone(warehouse, tmp_path):
    marts = tmp_path / "marts"
    shutil.copytree(MARTS_DIR, marts)
    (marts / "broken_mart.sql").write_text("CREATE MATERIALIZED VIEW marts.broken_mart AS SELECT no_such_column FROM core.articles;")
    with pytest.raises(MartError, match="broken_mart.sql failed"):
        migrate(warehouse, marts_directory=marts)
    (marts / "broken_mart.sql").write_text("CREATE MATERIALIZED VIEW marts.another_name AS SELECT 1 AS x;")
    with pytest.raises(MartError, match="did not create the materialized view marts.broken_mart"):
        migrate(warehouse, marts_directory=marts)
    assert set(_oids(warehouse)) == {m.name for m in discover()}
