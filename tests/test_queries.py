"""The example queries of sql/queries, run as the README tells analysts to run them: logged
in as a member of newsfacts_analyst (the one query that reads ops as a member of
newsfacts_loader), with the parameters their headers show, through psycopg and through
psql, against every day of the demo corpus (11-18 March 2025, marts refreshed).

Results are checked against the corpus's own truth (front matter, headlines, texts,
behaviours.yml) where the corpus states it, and otherwise recounted in Python from the
stored core rows, never against earlier output.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import urlsplit

import psycopg
import pytest
import yaml
from psycopg import errors, sql
from psycopg.rows import dict_row

from extractors.urls import normalize_url
from newsfacts import queries
from pipeline_helpers import expected_by_day

DAY = date(2025, 3, 15)
NAMES = sorted(path.stem for path in queries.QUERIES_DIR.glob("*.sql"))
#: Queries that read ops or raw: run as the loader; the analyst role cannot.
NEEDS_LOADER = {"source_failures_on_day"}
#: The one spot where perspectives are grouped, as coverage_by_perspective.sql groups them.
CAMPS = {"ukrainian": "Ukrainian", "russian_state": "Russian state", "russian_independent": "Russian independent",
         "european": "Western", "us": "Western"}


# -- helpers -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def analyst(corpus_analyst):
    """The DSN every query but the ops one runs as: a member of newsfacts_analyst."""
    return corpus_analyst


def run(dsn: str, name: str, **params) -> list[dict]:
    """The query ``name`` with its header's example parameters, overridden by ``params``."""
    with psycopg.connect(dsn) as conn:
        cur = conn.cursor(row_factory=dict_row)
        return cur.execute(queries.load(name), {**queries.example(name), **params}).fetchall()


def stored(dsn: str, query: str, params=None) -> list[dict]:
    """Rows of the warehouse as they are stored, read as the owner: the input of the recounts."""
    with psycopg.connect(dsn) as conn:
        return conn.cursor(row_factory=dict_row).execute(query, params).fetchall()


def example_day(name: str, key: str) -> date:
    return date.fromisoformat(queries.example(name)[key])


def in_days(moment: datetime | None, first: date, last: date) -> bool:
    return moment is not None and first <= moment.astimezone(timezone.utc).date() <= last


def event_day(row: dict) -> date | None:
    """The day the marts and queries give an event: the text's date to the day, else the report's."""
    if row["event_date"] is None:
        return row["published_at"].astimezone(timezone.utc).date()
    return row["event_date"] if row["date_precision"] == "day" else None


def entity_ids(owner: str, *spellings: str) -> set[str]:
    """Registry ids of names, QIDs or ids, looked up in Python over every stored alias."""
    wanted = {s.strip().lower() for s in spellings}
    found = {r["entity_id"] for r in stored(owner, "SELECT entity_id, alias FROM core.entity_aliases")
             if r["alias"].lower() in wanted}
    found |= {r["entity_id"] for r in stored(owner, "SELECT entity_id, wikidata FROM core.entities")
              if r["entity_id"] in wanted or (r["wikidata"] or "").lower() in wanted}
    return found


def assert_ranked(rows: list[dict], expected: list[dict], rank, ident, limit: int | None = None) -> None:
    """The query's rows are the expected ones, projected on the expected keys, in the order
    ``rank`` (a tuple of numbers and dates) gives; ties may come in any order (name order
    depends on the database's collation), and a LIMIT may cut a tie either way."""
    projected = [{key: row[key] for key in expected[0]} for row in rows] if expected else rows
    ranked = sorted(expected, key=rank)
    wanted = len(ranked) if limit is None else min(limit, len(ranked))
    assert len(projected) == wanted
    assert [rank(r) for r in projected] == [rank(r) for r in ranked[:wanted]]
    by_ident = {ident(r): r for r in expected}
    for row in projected:
        assert row == by_ident[ident(row)]
    if wanted:
        cutoff = rank(ranked[wanted - 1])
        assert {ident(r) for r in ranked if rank(r) < cutoff} <= {ident(r) for r in projected}


def stem_words(text: str, *stems: str) -> bool:
    return all(re.search(rf"\b{stem}", text, re.IGNORECASE) for stem in stems)


EVENTS = """
    SELECT e.event_id, e.article_id, e.event_type, e.mode, e.event_date, e.date_precision,
           e.location_entity_id, e.location_name, a.story_id, a.source_id, a.published_at,
           place.name AS place_name, place.lat, place.lon, place.country
    FROM core.events e JOIN core.articles a USING (article_id)
    LEFT JOIN core.entities place ON place.entity_id = e.location_entity_id
"""


# -- every query ---------------------------------------------------------------------------

def test_every_query_states_its_question_and_shows_a_runnable_example():
    assert len(NAMES) >= 12
    for name in NAMES:
        assert queries.question(name).endswith("?"), name
        assert set(queries.example(name)) == queries.variables(name), name  # the example sets every variable
        body = "\n".join(line for line in (queries.QUERIES_DIR / f"{name}.sql").read_text().splitlines()
                         if not line.lstrip().startswith("--"))
        assert body.rstrip().endswith(";") and body.count(";") == 1, f"{name}: one statement per file"
    assert sum(1 for name in NAMES if "ops." in queries.load(name)) == len(NEEDS_LOADER) == 1


@pytest.mark.parametrize("name", NAMES)
def test_the_example_runs_in_psql_as_the_header_shows(name, analyst, corpus_loader):
    """psql with the header's -v variables prints exactly what the query gives through
    psycopg, and as many rows as psycopg returns with the values bound as %(name)s
    parameters; as the analyst, except the ops query."""
    dsn = corpus_loader if name in NEEDS_LOADER else analyst
    variables = [arg for key, value in queries.example(name).items() for arg in ("-v", f"{key}={value}")]
    shown = subprocess.run(
        ["psql", dsn, "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1", *variables,
         "-f", str(queries.QUERIES_DIR / f"{name}.sql")],
        capture_output=True, text=True, timeout=60, check=False)
    assert shown.returncode == 0, shown.stderr

    literal = queries.load(name) % {k: sql.Literal(v).as_string(None) for k, v in queries.example(name).items()}
    with psycopg.connect(dsn) as conn, conn.cursor().copy(
            f"COPY ({literal.rstrip().rstrip(';')}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
        copied = b"".join(bytes(chunk) for chunk in copy).decode()
    printed = list(csv.reader(io.StringIO(shown.stdout)))
    assert printed == list(csv.reader(io.StringIO(copied)))
    assert printed[0] == [d for d in run(dsn, name)[0]]  # the columns psycopg names
    assert len(printed) - 1 == len(run(dsn, name)) > 0, f"{name}: the example answers nothing"


def test_the_analyst_cannot_run_the_ops_query_and_the_header_says_so(analyst):
    for name in NEEDS_LOADER:
        assert "loader role" in (queries.QUERIES_DIR / f"{name}.sql").read_text()
        with pytest.raises(errors.InsufficientPrivilege):
            run(analyst, name)


# -- one test per question ------------------------------------------------------------------

def test_articles_by_outlet_on_day(analyst, fixture_server):
    outlets = {o["name"]: slug for slug, o in fixture_server.site.outlets.items()}
    result = {row["outlet"]: row for row in run(analyst, "articles_by_outlet_on_day", day=DAY)}
    war = [a for a in fixture_server.site.articles if a.published.date() == DAY and a.war]
    for name, row in result.items():
        if name == "Danube Herald":
            assert row["articles"] == 1  # its war story; the shipyard contract is off-topic
            continue
        mine = [a for a in war if a.outlet == outlets[name]]
        assert row["articles"] == len(mine), name
        assert row["latest_headline"] == max(mine, key=lambda a: a.published).title
    assert {outlets.get(n) for n in result} - {None} == {a.outlet for a in war}


def test_stories_on_day_names_the_first_report_the_followers_and_counts_copies(analyst, corpus_warehouse,
                                                                                  fixture_server):
    rows = run(analyst, "stories_on_day", day=DAY)
    by_key = {a.key: a for a in fixture_server.site.articles}
    names = {slug: o["name"] for slug, o in fixture_server.site.outlets.items()}
    wire = by_key["continental-press/starmer-hosts-virtual-coalition-of-willing-meeting"]
    reprints = [a for a in fixture_server.site.articles if a.syndicated_from == wire.key]
    (call,) = [r for r in rows if r["first_headline"] == wire.title]
    assert call["first_outlet"] == "Continental Press Agency"
    assert call["copies"] >= len(reprints) == 2
    assert call["outlets"] >= 3
    assert {names[a.outlet] for a in reprints} <= set(call["reported_by"].split(", "))
    assert rows[0]["outlets"] == max(r["outlets"] for r in rows)
    assert all(r["first_published_at"].date() == DAY for r in rows)

    first_report = defaultdict(dict)  # story -> outlet -> its first article's time
    for a in stored(corpus_warehouse, "SELECT a.story_id, s.name, a.published_at FROM core.articles a "
                                      "JOIN core.sources s USING (source_id) WHERE a.story_id IS NOT NULL"):
        mine = first_report[a["story_id"]]
        mine[a["name"]] = min(mine.get(a["name"], a["published_at"]), a["published_at"])
    headlines = {r["headline"]: r["story_id"] for r in stored(corpus_warehouse, "SELECT story_id, headline FROM core.stories")}
    for row in rows:
        reporters = first_report[headlines[row["first_headline"]]]
        assert row["reported_by"] == ", ".join(sorted(reporters, key=lambda n: (reporters[n], n)))
        assert row["reported_by"].split(", ")[0] == row["first_outlet"]


def test_drone_strike_places_last_week(analyst, corpus_warehouse, fixture_server):
    first, last = example_day("drone_strike_places", "from_day"), example_day("drone_strike_places", "to_day")
    rows = run(analyst, "drone_strike_places")

    places = defaultdict(lambda: {"reports": set(), "stories": set(), "outlets": set(), "days": set()})
    for e in stored(corpus_warehouse, EVENTS):
        day = event_day(e)
        if (e["event_type"], e["mode"]) == ("ASSAULT", "drone") and day and first <= day <= last \
                and e["lat"] is not None and e["lon"] is not None:
            place = places[(e["location_entity_id"], e["place_name"])]
            place["reports"].add(e["article_id"])
            place["stories"].add(e["story_id"]) if e["story_id"] else None
            place["outlets"].add(e["source_id"])
            place["days"].add(day)
    expected = [{"place_entity_id": entity, "place": name, "reports": len(p["reports"]), "stories": len(p["stories"]),
                 "outlets": len(p["outlets"]), "first_day": min(p["days"]), "last_day": max(p["days"])}
                for (entity, name), p in places.items()]
    assert_ranked(rows, expected, lambda r: (-r["reports"], -r["stories"]), lambda r: r["place_entity_id"])
    assert all(r["latitude"] is not None and r["longitude"] is not None for r in rows)

    # The corpus: the Sumy apartment block hit by drones on 15 March, told by two outlets.
    sumy = [a for a in fixture_server.site.articles if a.war and "Sumy" in a.title and "drone" in a.title.lower()]
    assert {a.published.date() for a in sumy} == {date(2025, 3, 15)}
    (row,) = [r for r in rows if r["place"] == "Sumy"]
    assert row["reports"] >= 2 and row["first_day"] == row["last_day"] == date(2025, 3, 15)


def test_what_zelenskyy_said_about_security_guarantees_in_march(analyst, corpus_warehouse, fixture_server):
    rows = run(analyst, "speaker_quotes_on_topic")
    assert rows
    example = queries.example("speaker_quotes_on_topic")
    first, last = date.fromisoformat(example["from_day"]), date.fromisoformat(example["to_day"])
    zelenskyy = entity_ids(corpus_warehouse, "Q3874799")
    assert zelenskyy == {"person/volodymyr-zelenskyy"}

    said = defaultdict(set)  # (day, words, direct) -> outlets
    for q in stored(corpus_warehouse, "SELECT q.speaker_entity_id, q.quote_text, q.direct, a.published_at, a.source_id "
                                      "FROM core.quotes q JOIN core.articles a USING (article_id)"):
        if q["speaker_entity_id"] in zelenskyy and in_days(q["published_at"], first, last) \
                and stem_words(q["quote_text"], "guarantee"):
            said[(q["published_at"].astimezone(timezone.utc).date(), q["quote_text"], q["direct"])].add(q["source_id"])
    assert {(r["day"], r["quote_text"], r["direct"]): r["outlets"] for r in rows} == \
        {key: len(outlets) for key, outlets in said.items()}
    assert {r["speaker"] for r in rows} == {"Volodymyr Zelenskyy"}

    # The same answer whatever the speaker is called: QID, registry id, Cyrillic, any case.
    for speaker in ("Q3874799", "person/volodymyr-zelenskyy", "Володимир Зеленський", "владимир зеленский",
                    "VOLODYMYR ZELENSKY", "Nobody Atall | Vladimir Zelensky"):
        assert run(analyst, "speaker_quotes_on_topic", speaker=speaker) == rows, speaker

    # The corpus: his evening address of 15 March, quoted directly by The Kyiv Ledger.
    address = {a.key: a for a in fixture_server.site.articles}[
        "kyiv-ledger/zelensky-asks-allies-for-clear-position-on-guarantees"]
    quoted = [p for p in address.paragraphs if "security guarantees" in p and p.startswith("“")]
    assert any(r["day"] == DAY and r["direct"] and r["quote_text"] in quoted[0] for r in rows)
    both = run(analyst, "speaker_quotes_on_topic", terms="security guarantees")
    assert both and all(stem_words(r["quote_text"], "secur", "guarantee") for r in both)
    assert {r["quote_text"] for r in both} < {r["quote_text"] for r in rows}


def test_which_outlets_reported_the_ceasefire_proposal_first(analyst, corpus_warehouse, fixture_server):
    rows = run(analyst, "story_first_reports")
    first, last = example_day("story_first_reports", "from_day"), example_day("story_first_reports", "to_day")
    articles = stored(corpus_warehouse, "SELECT a.article_id, a.story_id, a.title, a.published_at, s.name "
                                        "FROM core.articles a JOIN core.sources s USING (source_id)")
    stories = {a["story_id"] for a in articles
               if a["story_id"] and in_days(a["published_at"], first, last) and stem_words(a["title"], "ceasefire", "proposal")}
    expected = []
    for story in sorted(stories):
        outlets = defaultdict(list)
        for a in articles:
            if a["story_id"] == story and a["published_at"]:
                outlets[a["name"]].append(a["published_at"])
        start = min(min(times) for times in outlets.values())
        ranked = sorted(outlets, key=lambda n: (min(outlets[n]), n))
        expected += [{"story_id": story, "outlet": n, "first_published_at": min(outlets[n]),
                      "lag": min(outlets[n]) - start, "articles": len(outlets[n]),
                      "report_rank": 1 + sum(min(outlets[m]) < min(outlets[n]) for m in outlets)} for n in ranked]
    assert_ranked(rows, expected, lambda r: (r["first_published_at"] - r["lag"], r["story_id"], r["report_rank"]),
                  lambda r: (r["story_id"], r["outlet"]))

    # The corpus: Kyiv backs the U.S. proposal in Jeddah on 11 March; the wire had it first.
    names = {slug: o["name"] for slug, o in fixture_server.site.outlets.items()}
    jeddah = [a for a in fixture_server.site.articles if a.war and stem_words(a.title, "ceasefire", "proposal")]
    story = [a for a in fixture_server.site.articles if a.story == jeddah[0].story]
    start = min(a.published for a in story)
    assert [(r["outlet"], r["lag"]) for r in rows] == [
        (names[a.outlet], a.published - start) for a in sorted(story, key=lambda a: a.published)]
    assert rows[0]["outlet"] == "Continental Press Agency" and rows[0]["broke_story"]


def test_how_perspectives_covered_kursk(analyst, corpus_warehouse, fixture_server):
    example = queries.example("coverage_by_perspective")
    first, last = date.fromisoformat(example["from_day"]), date.fromisoformat(example["to_day"])
    rows = run(analyst, "coverage_by_perspective")
    kursk = entity_ids(corpus_warehouse, *example["entity"].split("|"))
    assert kursk == {"place/kursk", "place/kursk-oblast"}

    camp_of = {s["source_id"]: CAMPS.get(s["perspective"], s["perspective"])
               for s in stored(corpus_warehouse, "SELECT source_id, perspective FROM core.sources")}
    articles = [a for a in stored(corpus_warehouse, "SELECT article_id, source_id, story_id, published_at FROM core.articles")
                if in_days(a["published_at"], first, last)]
    naming = {m["article_id"] for m in stored(corpus_warehouse, "SELECT article_id, entity_id FROM core.mentions")
              if m["entity_id"] in kursk}
    involved = {p["event_id"] for p in stored(corpus_warehouse, "SELECT event_id, entity_id FROM core.event_participants")
                if p["entity_id"] in kursk}
    events = defaultdict(set)
    for e in stored(corpus_warehouse, EVENTS):
        if in_days(e["published_at"], first, last) and (e["location_entity_id"] in kursk or e["event_id"] in involved):
            events[camp_of[e["source_id"]]].add((e["story_id"], e["event_type"], e["location_entity_id"], e["event_date"]))
    expected = {}
    for camp in {camp_of[a["source_id"]] for a in articles}:
        mine = [a for a in articles if camp_of[a["source_id"]] == camp]
        named = [a for a in mine if a["article_id"] in naming]
        types = Counter(event[1] for event in events[camp])
        expected[camp] = {
            "outlets": len({a["source_id"] for a in mine}), "articles": len(mine), "naming_it": len(named),
            "share": round(Decimal(len(named)) / len(mine), 3),
            "stories": len({a["story_id"] for a in named if a["story_id"]}), "events": len(events[camp]),
            "event_types": ", ".join(f"{t} {n}" for t, n in sorted(types.items(), key=lambda x: (-x[1], x[0]))) or None}
    assert {r["perspective"]: {k: r[k] for k in expected[r["perspective"]]} for r in rows} == expected
    assert [r["perspective"] for r in rows][:4] == ["Ukrainian", "Russian state", "Russian independent", "Western"]

    # The corpus: its war articles per perspective (front matter and sources file), and
    # no article can name Kursk whose text never writes it.
    perspective = {s["slug"]: s["perspective"] for s in yaml.safe_load(
        (queries.QUERIES_DIR.parent.parent / "demo" / "sources.yml").read_text())["sources"]}
    loaded = {url for day, urls in expected_by_day(fixture_server).items() if first <= day <= last for url in urls}
    per_camp = Counter(CAMPS.get(perspective[urlsplit(u).path.split("/")[1]], perspective[urlsplit(u).path.split("/")[1]])
                       for u in loaded)
    assert {r["perspective"]: r["articles"] for r in rows} == dict(per_camp)
    writes_kursk = re.compile(r"Kursk|Курськ|Курск|Курщин")
    texts = Counter(CAMPS.get(perspective[a.outlet], perspective[a.outlet]) for a in fixture_server.site.articles
                    if normalize_url(fixture_server.url(a.path)) in loaded
                    and writes_kursk.search(a.title + " " + " ".join(a.paragraphs)))
    assert all(r["naming_it"] <= texts[r["perspective"]] for r in rows)
    assert any(r["naming_it"] for r in rows if r["perspective"] == "Russian state")


def test_article_search_ranks_and_shows_where_the_words_are(analyst, corpus_warehouse, fixture_server):
    first, last = example_day("search_articles", "from_day"), example_day("search_articles", "to_day")
    rows = run(analyst, "search_articles")
    matching = {a["title"] for a in stored(corpus_warehouse, "SELECT title, body_text, published_at FROM core.articles")
                if in_days(a["published_at"], first, last)
                and re.search(r"\bshadow\W+fleet\b", a["title"] + "\n" + a["body_text"], re.IGNORECASE)
                and stem_words(a["title"] + "\n" + a["body_text"], "tanker")}
    assert len(matching) <= 20 and {r["title"] for r in rows} == matching
    assert [r["rank"] for r in rows] == sorted((r["rank"] for r in rows), reverse=True)
    for row in rows:
        assert "**shadow** **fleet**" in row["snippet"].lower() and "\n" not in row["snippet"], row["snippet"]

    # The corpus: the two articles with the words in their headline come first.
    headlined = {a.title for a in fixture_server.site.articles if a.war
                 and stem_words(a.title, "shadow fleet", "tanker") and first <= a.published.date() <= last}
    assert len(headlined) == 2 and {r["title"] for r in rows[:2]} == headlined
    without = run(analyst, "search_articles", terms='"shadow fleet" -tanker')  # web-search syntax
    bodies = {a["title"]: a["body_text"] for a in stored(corpus_warehouse, "SELECT title, body_text FROM core.articles")}
    assert all(not stem_words(r["title"] + "\n" + bodies[r["title"]], "tanker") for r in without)


def test_casualty_figures_per_day(analyst, corpus_warehouse, fixture_server):
    first, last = example_day("casualties_by_day", "from_day"), example_day("casualties_by_day", "to_day")
    rows = run(analyst, "casualties_by_day")
    figures = defaultdict(lambda: {"values": set(), "stories": set(), "outlets": set()})
    for q in stored(corpus_warehouse, f"SELECT q.kind, q.value, e.* FROM core.event_quantities q JOIN ({EVENTS}) e USING (event_id)"):
        day = event_day(q)
        if q["kind"] in ("killed", "injured") and q["event_type"] == "ASSAULT" and q["story_id"] \
                and day and first <= day <= last:
            figure = figures[(day, q["place_name"] or q["location_name"], q["kind"])]
            figure["values"].add(q["value"])
            figure["stories"].add(q["story_id"])
            figure["outlets"].add(q["source_id"])
    expected = [{"day": day, "place": place, "kind": kind, "lowest": min(f["values"]), "highest": max(f["values"]),
                 "figures": sorted(f["values"]), "stories": len(f["stories"]), "outlets": len(f["outlets"])}
                for (day, place, kind), f in figures.items()]
    assert_ranked(rows, expected, lambda r: (r["day"], r["place"] is None), lambda r: (r["day"], r["place"], r["kind"]))
    for a, b in zip(rows, rows[1:]):  # killed before injured at each place
        assert (a["day"], a["place"]) != (b["day"], b["place"]) or (a["kind"], b["kind"]) == ("killed", "injured")

    # The corpus: "Russian drone strike on Sumy apartment building kills 3, injures 9" (15 March).
    (title,) = [a.title for a in fixture_server.site.articles if re.search(r"Sumy.*kills \d+, injures \d+", a.title)]
    killed, injured = map(int, re.search(r"kills (\d+), injures (\d+)", title).groups())
    sumy = {r["kind"]: r for r in rows if r["day"] == DAY and r["place"] == "Sumy"}
    assert killed in sumy["killed"]["figures"] and injured in sumy["injured"]["figures"]


def test_who_was_quoted_most_by_perspective(analyst, corpus_warehouse):
    first, last = example_day("most_quoted_by_perspective", "from_day"), example_day("most_quoted_by_perspective", "to_day")
    rows = run(analyst, "most_quoted_by_perspective")
    speakers = defaultdict(lambda: {"quotes": 0, "articles": set(), "outlets": set(), "by_perspective": Counter()})
    for q in stored(corpus_warehouse, """
            SELECT coalesce(e.name, q.speaker_name) AS speaker, q.article_id, a.source_id, s.perspective, a.published_at
            FROM core.quotes q JOIN core.articles a USING (article_id) JOIN core.sources s USING (source_id)
            LEFT JOIN core.entities e ON e.entity_id = q.speaker_entity_id"""):
        if q["speaker"] and in_days(q["published_at"], first, last):
            speaker = speakers[q["speaker"]]
            speaker["quotes"] += 1
            speaker["articles"].add(q["article_id"])
            speaker["outlets"].add(q["source_id"])
            speaker["by_perspective"][q["perspective"]] += 1
    expected = [{"speaker": name, "quotes": s["quotes"], "articles": len(s["articles"]),
                 "outlets": len(s["outlets"]), "by_perspective": dict(s["by_perspective"])}
                for name, s in speakers.items()]
    assert_ranked(rows, expected, lambda r: (-r["quotes"], -r["articles"]), lambda r: r["speaker"], limit=20)
    assert {"Vladimir Putin", "Volodymyr Zelenskyy"} <= {r["speaker"] for r in rows[:5]}


def test_who_appears_with_putin(analyst, corpus_warehouse):
    rows = run(analyst, "named_together_with")
    (putin,) = entity_ids(corpus_warehouse, queries.example("named_together_with")["entity"])
    canonical = {a["article_id"]: a["story_id"] for a in stored(corpus_warehouse, """
        SELECT a.article_id, a.story_id FROM core.articles a LEFT JOIN core.duplicate_groups g USING (duplicate_group_id)
        WHERE coalesce(g.canonical_article_id, a.article_id) = a.article_id""")}
    named = defaultdict(set)
    for m in stored(corpus_warehouse, "SELECT article_id, entity_id FROM core.mentions WHERE entity_id IS NOT NULL"):
        if m["article_id"] in canonical:
            named[m["article_id"]].add(m["entity_id"])
    together = defaultdict(set)
    for article, entities in named.items():
        if putin in entities:
            for other in entities - {putin}:
                together[other].add(article)
    names = {e["entity_id"]: e["name"] for e in stored(corpus_warehouse, "SELECT entity_id, name FROM core.entities")}
    expected = [{"other_id": other, "other": names[other], "articles": len(articles),
                 "stories": len({canonical[a] for a in articles if canonical[a]})}
                for other, articles in together.items()]
    assert_ranked(rows, expected, lambda r: (-r["articles"], -r["stories"]), lambda r: r["other_id"], limit=25)
    assert {r["entity"] for r in rows} == {"Vladimir Putin"}
    assert {"Donald Trump", "Volodymyr Zelenskyy"} <= {r["other"] for r in rows}
    assert run(analyst, "named_together_with", entity="Владимир Путин") == rows


def test_events_timeline(analyst, corpus_warehouse):
    first, last = example_day("events_timeline", "from_day"), example_day("events_timeline", "to_day")
    rows = run(analyst, "events_timeline")
    cells = defaultdict(lambda: {"stories": set(), "reports": set(), "outlets": set(), "places": defaultdict(set)})
    for e in stored(corpus_warehouse, EVENTS):
        day = event_day(e)
        if day and first <= day <= last:
            cell = cells[(day, e["event_type"])]
            cell["stories"].add(e["story_id"]) if e["story_id"] else None
            cell["reports"].add(e["article_id"])
            cell["outlets"].add(e["source_id"])
            if e["place_name"] or e["location_name"]:
                cell["places"][e["place_name"] or e["location_name"]].add(e["article_id"])
    expected = [{"day": day, "event_type": kind, "events": len(c["stories"]), "reports": len(c["reports"]),
                 "outlets": len(c["outlets"]),
                 "top_places": ", ".join(sorted(c["places"], key=lambda p: (-len(c["places"][p]), p))[:3]) or None}
                for (day, kind), c in cells.items()]
    assert_ranked(rows, expected, lambda r: (r["day"], -r["events"], -r["reports"]), lambda r: (r["day"], r["event_type"]))
    assert {r["day"] for r in rows} == {first + timedelta(days=n) for n in range((last - first).days + 1)}
    # The corpus: 15 March's drone strike on Sumy is an attack of that day.
    assert "Sumy" in next(r for r in rows if r["day"] == DAY and r["event_type"] == "ASSAULT")["top_places"]


def test_articles_naming_an_entity_by_qid_or_any_spelling(analyst, corpus_warehouse, fixture_server):
    first, last = example_day("articles_naming_entity", "from_day"), example_day("articles_naming_entity", "to_day")
    rows = run(analyst, "articles_naming_entity")
    (zelenskyy,) = entity_ids(corpus_warehouse, "Q3874799")
    mentions = defaultdict(list)
    for m in stored(corpus_warehouse, "SELECT m.article_id, m.entity_id, m.surface, a.published_at, a.title "
                                      "FROM core.mentions m JOIN core.articles a USING (article_id)"):
        if m["entity_id"] == zelenskyy and in_days(m["published_at"], first, last):
            mentions[(m["published_at"], m["article_id"], m["title"])].append(m["surface"])
    expected = [{"published_at": published, "title": title, "mentions": len(surfaces), "written_as": sorted(set(surfaces))}
                for (published, _, title), surfaces in mentions.items()]
    assert_ranked(rows, expected, lambda r: (-r["published_at"].timestamp(),), lambda r: (r["published_at"], r["title"]))
    for spelling in ("Volodymyr Zelenskyy", "vladimir zelensky", "Володимир Зеленський", "Владимир Зеленский",
                     "person/volodymyr-zelenskyy", "q3874799"):
        assert run(analyst, "articles_naming_entity", entity=spelling) == rows, spelling
    assert run(analyst, "articles_naming_entity", entity="Zelenskyy's cat") == []

    # The corpus: articles in Ukrainian and Russian are found too, and every article found
    # does write his name, in one script or the other.
    assert {"en", "uk", "ru"} <= {r["language"] for r in rows}
    corpus = {normalize_url(fixture_server.url(a.path)): a for a in fixture_server.site.articles}
    for row in rows:
        article = corpus.get(row["url"])
        if article:  # not the Danube Herald's static page
            assert re.search(r"Zelensk|Зеленськ|Зеленск", " ".join(article.paragraphs)), row["title"]


def test_which_outlets_failed_last_night_and_why(corpus_loader, corpus_warehouse, fixture_server):
    day = example_day("source_failures_on_day", "day")
    rows = {r["outlet"]: r for r in run(corpus_loader, "source_failures_on_day")}

    # The corpus: feeds that are broken on purpose (behaviours.yml, static/) ...
    site = fixture_server.site
    feed_paths = {urlsplit(s["feed_url"]).path: s["slug"]
                  for s in stored(corpus_warehouse, "SELECT slug, feed_url FROM core.sources")}
    broken_feeds = {slug for path, slug in feed_paths.items()
                    if (route := site.routes.get(path)) is None or route.status != 200 or route.delay_seconds
                    or route.generate or not route.body.strip() or b"<html" in route.body[:500].lower()}
    # ... and the pages listed in feeds that cannot be had (outlets.yml extra_entries, each with its note).
    broken_pages = {(slug, extra["path"]) for slug, outlet in site.outlets.items()
                    for extra in outlet.get("extra_entries", []) if extra["published"].date() == day}
    assert broken_feeds and broken_pages
    assert set(rows) == broken_feeds | {slug for slug, _ in broken_pages}
    for slug in broken_feeds:
        assert rows[slug]["feed_problem"], slug
    for slug, path in broken_pages:
        (failed,) = [p for p in rows[slug]["failed_pages"] if urlsplit(p.rsplit("<", 1)[1].rstrip(">")).path.rstrip("/")
                     == path.rstrip("/")]
        reason = failed.split(":", 2)[:2]
        assert rows[slug]["failures"][":".join(reason)] >= 1, failed
    assert "HTTP 404" in next(p for p in rows["kyiv-ledger"]["failed_pages"] if "kyiv-metro" in p)
    assert all(rows[slug]["feed_problem"] is None for slug, _ in broken_pages)
