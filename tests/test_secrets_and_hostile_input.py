"""Secrets stay secret and SQL in the news stays data.

* A day run through Airflow (dag.test, in a child process, logging at INFO) with a DSN that
  holds a password, and a failing run with the password in the `warehouse` connection:
  the password appears in no output and no log file of either.
* An outlet whose name, feed item, URL, byline and headline are made of SQL (quotes,
  ``'; DROP TABLE ...; --``, backslashes, ``$$``) goes through the real pipeline from the
  fixture server: every value is stored verbatim, and the rest of the warehouse is
  exactly what a run without that outlet stores.
"""

import gzip
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql

from canonical_dump import canonical_dump, dump_differences
from conftest import ADMIN_DSN
from extractors.urls import normalize_url
from fault_helpers import DAY, TESTS, clean_day, clean_day_dsn, fault_env, write_sources  # noqa: F401 - fixtures
from newsfacts import airflow_local
from pipeline_helpers import rows, run_day, scalar

#: news_nightly through dag.test, once per environment given (JSON: variables to set, or to
#: unset when null), in one process as an Airflow worker would run one task after another.
RUN_DAG = r"""
import json, os, sys
from datetime import date
from newsfacts import airflow_local
for overlay in json.loads(sys.argv[2]):
    for key, value in overlay.items():
        os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    print("run state:", airflow_local.run_dag("news_nightly", date.fromisoformat(sys.argv[1])), flush=True)
"""


@pytest.fixture(scope="session")
def airflow_metadata():
    airflow_local.migrate_metadata_db()


@pytest.fixture
def secret_role(fault_env):
    """A login role with a password (trust auth lets it in anyway), owning nothing after."""
    role, password = f"nf_secret_{uuid.uuid4().hex[:8]}", f"pw{uuid.uuid4().hex}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        try:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN SUPERUSER PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)))
        except psycopg.errors.InsufficientPrivilege:
            pytest.skip("the test server's role may not create a superuser role")
    yield role, password
    with psycopg.connect(fault_env, autocommit=True) as conn:
        conn.execute(sql.SQL("REASSIGN OWNED BY {} TO postgres").format(sql.Identifier(role)))
        conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def _dag_runs(env: dict, overlays: list[dict]) -> str:
    done = subprocess.run([sys.executable, "-c", RUN_DAG, DAY.isoformat(), json.dumps(overlays)], env=env,
                          capture_output=True, text=True, timeout=600)
    return done.stdout + done.stderr


@pytest.mark.airflow
def test_the_warehouse_password_is_in_no_output_and_no_log(airflow_metadata, fault_env, server, secret_role,
                                                            tmp_path):
    role, password = secret_role
    dbname = psycopg.conninfo.conninfo_to_dict(fault_env)["dbname"]
    # Two outlets are enough to log a success and a failure: a healthy one, a 404 feed.
    sources = tmp_path / "two.yml"
    sources.write_text("sources:\n" + "\n".join(
        line for line in (TESTS.parent / "demo" / "sources.yml").read_text().splitlines()
        if "slug: kyiv-ledger," in line or "slug: steppe-times," in line) + "\n")
    base = {**os.environ, "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO", "PYTHONPATH": str(TESTS.parent),
            "NEWSFACTS_SOURCES": str(sources)}

    output = _dag_runs(base, [
        # A good run, the password in WAREHOUSE_DSN (a URI)...
        {"WAREHOUSE_DSN": f"postgresql://{role}:{password}@127.0.0.1:5432/{dbname}"},
        # ... and a failing one, the password in the Airflow connection `warehouse` (its database is missing).
        {"WAREHOUSE_DSN": None, "AIRFLOW_CONN_WAREHOUSE": json.dumps({
            "conn_type": "postgres", "host": "127.0.0.1", "port": 5432, "login": role, "password": password,
            "schema": f"{dbname}_missing"})},
    ])
    assert "run state: success" in output and "run state: failed" in output, output[-3000:]
    # The failed task says, in one line, what is wrong and what to do.
    assert "WarehouseError: the warehouse database does not exist" in output, output[-3000:]
    assert f"{dbname}_missing" in output, output[-3000:]
    assert scalar(fault_env, "SELECT count(*) FROM core.articles") > 0

    outputs = {"output of the runs": output}
    airflow_home = Path(os.environ["AIRFLOW_HOME"])
    for path in airflow_home.rglob("*"):
        if path.is_file() and path.suffix not in (".db", ".db-journal", ".db-wal"):
            outputs[str(path)] = path.read_text(errors="replace")
    # The runs' logs are really here: the stages' own warnings about the broken outlets.
    assert any("feed steppe-times failed" in text for text in outputs.values()), output[-3000:]
    leaked = [where for where, text in outputs.items() if password in text]
    assert leaked == []
    assert password not in repr(canonical_dump(fault_env))


# SQL in the news -------------------------------------------------------------------------

NAME = "Hostile Press'); DROP TABLE core.sources; -- \"quoted\" \\ $$ $q$ %s"
TITLE = "Kyiv drone attack: O'Hara said \"it's fine\"'; DROP TABLE core.articles; -- \\ $$ $a$ %(x)s"
SUMMARY = "Russian drones hit Kyiv'; DELETE FROM raw.links WHERE ''=''; -- \\\\ $$"
CREATOR = "Robert'); DROP TABLE raw.pages; -- \\ $$"
BYLINE = "Mary-Jane O'Connor-D'Arcy"
PATH = "/hostile-press/2025/03/15/o'hara;DROP%20TABLE%20core.articles;--$$.html"
QUERY = "?id=1'OR'1'%3D'1"
PARAGRAPHS = [
    "Russian forces attacked the Ukrainian river port of Nova Kakhovka's ferry crossing with glide bombs on Saturday, "
    "the regional military administration said, destroying two pontoons and a fuel depot used by the army.",
    "Ukraine's southern command said its sappers had cleared the wreckage by the evening and that the crossing "
    "would reopen for military traffic within days, while civilians were told to use the road bridge upstream.",
    "The strike was the third on the crossing this month, the administration said, as Russia tries to cut the "
    "supply lines of Ukrainian units holding the islands in the Dnipro delta.",
    "A spokesman for Ukraine's navy said the river flotilla had lost no boats in the attack and was still "
    "patrolling the delta at night, when Russian drones are less active.",
    "Moscow's defence ministry claimed the crossing had been used to bring Western-supplied ammunition to the "
    "front, a claim Kyiv dismissed as an attempt to justify strikes on civilian infrastructure.",
]


def _hostile_outlet(server) -> tuple[str, str]:
    """Serve the hostile outlet's feed and article; return (its sources entry, the article URL)."""
    url = server.url(PATH) + QUERY
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>{_xml(NAME)}</title><link>{_xml(server.url('/hostile-press/'))}</link><description>{_xml(NAME)}</description>
<item><title>{_xml(TITLE)}</title><link>{_xml(url)}</link><guid>{_xml(url)}</guid>
<description>{_xml(SUMMARY)}</description><dc:creator>{_xml(CREATOR)}</dc:creator>
<pubDate>Sat, 15 Mar 2025 09:30:00 GMT</pubDate></item>
</channel></rss>"""
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_xml(TITLE)}</title>
<meta property="og:title" content="{_xml(TITLE)}"><link rel="canonical" href="{_xml(url)}">
<meta name="author" content="{_xml(BYLINE)}"><meta property="article:published_time" content="2025-03-15T09:30:00Z">
</head><body><article><h1>{_xml(TITLE)}</h1>
{''.join(f'<p>{_xml(p)}</p>' for p in PARAGRAPHS)}
</article></body></html>"""
    server.put("/hostile-press/feed.xml", feed.encode(), content_type="application/rss+xml")
    raw_path = httpx.URL(url).raw_path.decode().split("?")[0]
    server.put(raw_path, page.encode())
    entry = {"slug": "hostile-press", "name": NAME, "feed_url": server.url("/hostile-press/feed.xml"),
             "language": "en", "country": "US", "perspective": "us"}
    return f"  - {json.dumps(entry)}\n", url


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def test_sql_in_names_titles_urls_and_bylines_is_stored_verbatim(fault_env, server, clean_day, clean_day_dsn,
                                                                 tmp_path, monkeypatch):
    entry, url = _hostile_outlet(server)
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(write_sources(tmp_path / "hostile.yml", extra=entry)))
    run_day(fault_env, DAY)

    assert rows(fault_env, "SELECT name FROM core.sources WHERE slug = 'hostile-press'") == [(NAME,)]
    assert rows(fault_env, "SELECT e.title, e.summary, e.authors, e.url FROM raw.feed_entries e "
                           "JOIN core.sources s USING (source_id) WHERE s.slug = 'hostile-press'") == [
        (TITLE, SUMMARY, [CREATOR], url)]
    assert rows(fault_env, "SELECT url, fetch_url, fetch_outcome, extract_outcome FROM raw.links "
                           "WHERE fetch_url = %s", url) == [(normalize_url(url), url, "ok", "ok")]
    (body,) = rows(fault_env, "SELECT p.body_gzip FROM raw.pages p JOIN raw.links l USING (link_id) WHERE l.fetch_url = %s",
                   url)
    assert gzip.decompress(body[0]) == server.site.routes[httpx.URL(url).raw_path.decode().split("?")[0]].body
    article = rows(fault_env, "SELECT title, authors, url, canonical_url, body_text FROM core.articles "
                              "WHERE url = %s", normalize_url(url))
    assert article and article[0][:4] == (TITLE, [BYLINE], normalize_url(url), normalize_url(url))
    assert all(p in article[0][4] for p in PARAGRAPHS)

    # Nothing else changed: every table there is, and every other row, as without the outlet,
    # but for the story similarities: a TF-IDF score over the neighbouring days' articles,
    # which one more article shifts (the stories themselves are the same).
    scores = {"core.articles": {"story_similarity": None}}
    dump = canonical_dump(fault_env, scores)
    assert set(dump) == set(clean_day)
    others = {table: [r for r in rows_ if "hostile-press" not in repr(r)] for table, rows_ in dump.items()}
    assert dump_differences(canonical_dump(clean_day_dsn, scores), others) == []
