"""The example queries of sql/queries, run against a day of the demo corpus, with results
checked against the corpus's own truth (front matter), not against earlier output."""

from datetime import date

import psycopg

from newsfacts import queries
from pipeline_helpers import run_day

DAY = date(2025, 3, 15)


def _run(dsn, name, **params):
    with psycopg.connect(dsn) as conn:
        cur = conn.execute(queries.load(name), params)
        names = [d.name for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def test_every_query_states_its_question():
    for path in sorted(queries.QUERIES_DIR.glob("*.sql")):
        assert queries.question(path.stem).endswith("?"), path.name


def test_articles_by_outlet_on_day(pipeline_env, server):
    run_day(pipeline_env, DAY)
    outlets = {o["name"]: slug for slug, o in server.site.outlets.items()}
    result = {row["outlet"]: row for row in _run(pipeline_env, "articles_by_outlet_on_day", day=DAY)}
    war = [a for a in server.site.articles if a.published.date() == DAY and a.war]
    for name, row in result.items():
        if name == "Danube Herald":
            assert row["articles"] == 1  # its war story; the shipyard contract is off-topic
            continue
        mine = [a for a in war if a.outlet == outlets[name]]
        assert row["articles"] == len(mine), name
        assert row["latest_headline"] == max(mine, key=lambda a: a.published).title
    assert {outlets.get(n) for n in result} - {None} == {a.outlet for a in war}


def test_stories_on_day_names_the_first_report_and_counts_copies(pipeline_env, server):
    run_day(pipeline_env, DAY)
    rows = _run(pipeline_env, "stories_on_day", day=DAY)
    by_key = {a.key: a for a in server.site.articles}
    wire = by_key["continental-press/starmer-hosts-virtual-coalition-of-willing-meeting"]
    reprints = [a for a in server.site.articles if a.syndicated_from == wire.key]
    (call,) = [r for r in rows if r["first_headline"] == wire.title]
    assert call["first_outlet"] == "Continental Press Agency"
    assert call["copies"] >= len(reprints) == 2
    assert call["outlets"] >= 3
    assert rows[0]["outlets"] == max(r["outlets"] for r in rows)
    assert all(r["first_published_at"].date() == DAY for r in rows)
