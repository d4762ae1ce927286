"""The `newsfacts` command as a user runs it (a real subprocess)."""

import json
import os
import subprocess
import sys
import time

from newsfacts.fixture_site import FixtureSite

SITE = FixtureSite("https://news.test")


def newsfacts(*args, stdin=None, check=True, env=None):
    return subprocess.run([sys.executable, "-m", "newsfacts.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=300, check=check, env=env)


def test_extract_a_saved_page(tmp_path):
    article = next(a for a in SITE.articles if a.outlet == "kyiv-ledger" and a.authors)
    page = tmp_path / "page.html"
    page.write_bytes(SITE.routes[article.path].body)
    url = SITE.url(article.path) + "?utm_source=twitter"
    result = json.loads(newsfacts("extract", "--url", url, str(page)).stdout)
    assert result["url"] == url
    assert result["canonical_url"] == SITE.url(article.path).rstrip("/")
    assert result["title"] == article.title
    assert result["authors"] == article.authors
    assert result["published_at"] == article.published.isoformat()
    assert result["language"] == "en"
    assert article.paragraphs[0][:80] in result["text"]
    assert result["relevance"]["relevant"] is article.war
    assert 0 <= result["relevance"]["score"] <= 1 and result["relevance"]["reasons"]


def test_extract_plain_text_with_a_publication_date(tmp_path):
    text = tmp_path / "story.txt"
    text.write_text("Starmer hosts coalition call\n\nLeaders met on Saturday.\nThey agreed to meet again.\n")
    result = json.loads(newsfacts("extract", "--text", str(text), "--published", "2025-03-15").stdout)
    assert result["title"] == "Starmer hosts coalition call"
    assert result["published_at"] == "2025-03-15T00:00:00+00:00"
    assert result["text"] == "Leaders met on Saturday.\n\nThey agreed to meet again."


def test_extract_reports_a_failed_document_and_exits_nonzero(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><body><nav>Home</nav></body></html>")
    done = newsfacts("extract", str(page), check=False)
    assert done.returncode == 1
    assert json.loads(done.stdout)["error"].startswith("no article text found")


def test_jsonl_keeps_order_and_ids_and_never_aborts_the_batch():
    article = SITE.articles[0]
    lines = [
        json.dumps({"id": "page", "url": SITE.url(article.path), "html": SITE.routes[article.path].body.decode()}),
        "{not json",
        json.dumps({"id": 7, "text": "Headline\n\nBody.", "published": "2025-03-16"}),
        json.dumps({"id": "bad-date", "text": "Headline\n\nBody.", "published": "yesterday"}),
        json.dumps({"id": "nothing"}),
        json.dumps(["a", "list"]),
    ]
    out = [json.loads(line) for line in newsfacts("extract", "--jsonl", stdin="\n".join(lines) + "\n").stdout.splitlines()]
    assert [o["id"] for o in out] == ["page", None, 7, "bad-date", "nothing", None]
    assert out[0]["title"] == article.title and "error" not in out[0]
    assert "invalid JSON" in out[1]["error"]
    assert out[2]["published_at"] == "2025-03-16T00:00:00+00:00"
    assert "YYYY-MM-DD" in out[3]["error"]
    assert "neither html nor text" in out[4]["error"]
    assert "JSON object" in out[5]["error"]


def test_jsonl_handles_thousands_of_documents_in_one_process():
    pages = [a for a in SITE.articles][:40]
    docs = [json.dumps({"id": i, "url": SITE.url(a.path), "html": SITE.routes[a.path].body.decode()})
            for i, a in enumerate(pages * 25)]
    started = time.monotonic()
    out = newsfacts("extract", "--jsonl", stdin="\n".join(docs)).stdout.splitlines()
    elapsed = time.monotonic() - started
    assert len(out) == 1000
    assert all("error" not in json.loads(line) for line in out)
    assert elapsed < 120, f"1000 pages took {elapsed:.0f} s"


def test_sources_command_validates_the_file(tmp_path):
    ok = newsfacts("sources")
    assert "sources in" in ok.stdout
    bad = tmp_path / "sources.yml"
    bad.write_text("sources: [{slug: x y}]")
    done = newsfacts("sources", "--file", str(bad), check=False)
    assert done.returncode == 1 and "missing" in done.stderr


def test_extract_reports_relevance_with_the_configured_threshold(tmp_path):
    article = next(a for a in SITE.articles if not a.war and a.section == "sport")
    page = tmp_path / "page.html"
    page.write_bytes(SITE.routes[article.path].body)
    result = json.loads(newsfacts("extract", "--url", SITE.url(article.path), str(page)).stdout)
    assert result["relevance"]["relevant"] is False and result["relevance"]["score"] < 0.5
    lenient = {**os.environ, "NEWSFACTS_RELEVANCE_THRESHOLD": "0"}
    result = json.loads(newsfacts("extract", "--url", SITE.url(article.path), str(page), env=lenient).stdout)
    assert result["relevance"]["relevant"] is True


def test_dedupe_groups_copies_and_names_stories_in_input_order():
    by_key = {a.key: a for a in SITE.articles}
    copies = [a for a in SITE.articles if a.syndicated_from][:3]
    originals = [by_key[a.syndicated_from] for a in copies]
    other = next(a for a in SITE.articles if a.war and not a.syndicated_from and a not in originals
                 and all(a.story != o.story for o in originals))
    docs = [*copies, *originals, other]
    lines = [json.dumps({"id": a.key, "url": SITE.url(a.path), "title": a.title, "text": "\n\n".join(a.paragraphs),
                         "published_at": a.published.isoformat()}) for a in docs]
    lines.insert(2, "{not json")
    out = [json.loads(line) for line in newsfacts("dedupe", "--jsonl", stdin="\n".join(lines) + "\n").stdout.splitlines()]
    assert len(out) == len(lines)
    assert "error" in out[2]
    results = {r["id"]: r for r in out if "error" not in r}
    assert [r["id"] for r in out if "error" not in r] == [a.key for a in docs]
    for copy, original in zip(copies, originals):
        assert results[copy.key]["duplicate_group"] == results[original.key]["duplicate_group"]
        assert results[copy.key]["canonical_id"] == original.key  # the wire published first
        assert results[copy.key]["story"] == results[original.key]["story"]
    assert results[other.key]["duplicate_group"] not in {results[o.key]["duplicate_group"] for o in originals}


COALITION_STORY = """Starmer vows coalition will guard Ukraine after any truce
British Prime Minister Keir Starmer said on Saturday that a "coalition of the willing" stands ready to protect Ukraine if a peace deal is reached, as Russian President Vladimir Putin has yet to accept a US plan for a truce.
"We are ready to put boots on the ground and planes in the air to keep any peace in Ukraine," Starmer said after a virtual meeting with 25 leaders from the European Union and beyond, joined by Ukrainian President Volodymyr Zelenskyy.
"Our military planners will meet again in the UK this week," Starmer added. "They will turn our promises into plans."
On Friday, Putin agreed in principle to a 30-day ceasefire proposed by Washington, but said there were issues to resolve. Russia is pushing Ukrainian troops out of Kursk, the Russian border region that Ukrainian forces entered in an offensive in August.
Donald Trump said Moscow and Kyiv were closer to a deal than ever. "The Kremlin must stop playing for time," Starmer said.
"""


def test_extract_prints_the_facts_of_a_war_report(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(COALITION_STORY)
    result = json.loads(newsfacts("extract", "--text", str(story), "--published", "2025-03-16").stdout)
    assert result["relevance"]["relevant"]
    names = {e["name"] for e in result["entities"]}
    assert {"Keir Starmer", "Vladimir Putin", "Volodymyr Zelenskyy", "Donald Trump", "United Kingdom", "Ukraine",
            "Russia", "Kyiv", "Washington", "European Union", "coalition of the willing"} <= names
    assert any("Kursk" in n for n in names)
    starmer_quotes = [q for q in result["quotes"] if q["speaker"] and q["speaker"]["name"] == "Keir Starmer" and q["direct"]]
    assert len(starmer_quotes) >= 3
    assert all(result["text"][q["start"]:q["end"]] == q["text"] for q in result["quotes"])
    events = result["events"]
    consult = [e for e in events if e["type"] == "CONSULT" and e["date"] == "2025-03-15"]
    assert consult and any(q["value"] == 25 for e in consult for q in e["quantities"])
    agree = [e for e in events if e["type"] == "AGREE" and any(a and a["name"] == "Vladimir Putin" for a in e["actors"])]
    assert agree and agree[0]["date"] == "2025-03-14" and agree[0]["cameo"] == "03"
    assert any(q["kind"] == "days" and q["value"] == 30 for q in agree[0]["quantities"])
    assert any(e["type"] == "ASSAULT" and e["date_precision"] == "month" and e["date"].startswith("2024-08")
               for e in events)
