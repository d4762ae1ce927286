"""Hostile text through the real pipeline: NUL bytes, lone surrogates, invalid UTF-8, a 1 MB
title, a megabyte of body, a 10 MB page, right-to-left overrides and zero-width characters.

The pages are served over HTTP by the fixture server from one feed; a whole day runs
(poll, fetch, extract and load, dedupe, facts, metrics). Every hostile page is either
stored cleaned, with what was cleaned recorded next to its link, or recorded as a
failure with its reason; the ordinary pages of the same batch are loaded regardless.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from datetime import date

import pytest

from extractors.hygiene import MAX_TEXT, MAX_TITLE, clean_article, clean_text, describe
from extractors.urls import normalize_url
from pipeline_helpers import rows, run_day

DAY = date(2025, 3, 15)
HIDDEN = ("\x00", "\u202e", "\u200b", "\ufeff", "\x1b")


def _page(title_html: str, paragraphs: list[str], *, head: str = "", body_extra: str = "") -> str:
    paras = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title_html}</title>'
            '<meta property="article:published_time" content="2025-03-15T09:30:00+00:00">'
            f"{head}</head><body><article><h1>{title_html}</h1>{paras}{body_extra}</article></body></html>")


def _war_texts(server, n: int) -> list[tuple[str, list[str]]]:
    texts = [(a.title, a.paragraphs) for a in server.site.articles
             if a.war and a.lang == "en" and len(" ".join(a.paragraphs).split()) > 250]
    assert len(texts) >= n
    return texts[:n]


def _serve(server, pages: dict[str, tuple[str, bytes]]) -> str:
    """Pages (name -> (feed title, body)) and an RSS feed listing them; returns the feed URL."""
    items = []
    for n, (name, (title, body)) in enumerate(pages.items()):
        server.put(f"/hygiene/{name}.html", body)
        items.append(f"<item><title>{html.escape(title)}</title><link>{server.url(f'/hygiene/{name}.html')}</link>"
                     f"<guid>hygiene-{name}</guid><pubDate>Sat, 15 Mar 2025 {8 + n % 10:02d}:00:00 GMT</pubDate>"
                     "<description>Russian strikes on Ukraine's energy grid.</description></item>")
    feed = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Hygiene</title>'
            "<link>https://hygiene.example/</link><description>d</description>" + "".join(items) + "</channel></rss>")
    server.put("/hygiene/feed.xml", feed.encode(), "application/rss+xml")
    return server.url("/hygiene/feed.xml")


def test_clean_text_counts_what_it_removes():
    counts = Counter()
    value = clean_text("Kha\u200brkiv\x00 \u202estrike\u202c \ud800 ok\x1b", 100, counts)
    assert value == "Kharkiv strike \ufffd ok"
    assert counts == {"zero-width character": 1, "NUL": 1, "bidirectional override": 2, "lone surrogate": 1,
                      "control character": 1}
    assert describe(counts).startswith("cleaned: ")
    counts = Counter()
    assert clean_text("x" * 50, 10, counts, "title") == "x" * 10
    assert describe(counts) == "cleaned: title cut from 50 to 10 characters"
    # Kept: newlines and tabs, joiners (Persian, emoji) and direction marks.
    kept = "a\tb\nc \u200d\u200c \u200e\u200f \U0001F1FA\U0001F1E6"
    assert clean_text(kept, None, counts) == kept


def test_hostile_pages_are_stored_cleaned_or_recorded_and_the_batch_loads(pipeline_env, server, tmp_path, monkeypatch):
    texts = _war_texts(server, 10)
    surrogate_ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
                    '{"@type": "Person", "name": "Ivan \\ud800 Petrov"}, "headline": "x"}</script>')
    paragraphs = {name: paras for name, (_, paras) in zip(
        ["plain-1", "plain-2", "nul", "surrogate", "invalid-utf8", "huge-title", "huge-body", "bidi", "controls",
         "ten-mb"], texts)}
    pages = {
        "plain-1": ("Russian drones strike Kharkiv", _page("Russian drones strike Kharkiv", paragraphs["plain-1"]).encode()),
        "plain-2": ("Missile attack on Odesa port", _page("Missile attack on Odesa port", paragraphs["plain-2"]).encode()),
        "nul": ("Drone strike on Sumy", _page("Drone strike\x00 on Sumy", [p.replace(" ", "\x00 ", 3)
                                                                             for p in paragraphs["nul"]]).encode()),
        "surrogate": ("Shelling of Kherson", _page("Shelling of Kherson", paragraphs["surrogate"], head=surrogate_ld)
                      .encode()),
        "invalid-utf8": ("Strike on Zaporizhzhia",
                         _page("Strike on Zaporizhzhia", paragraphs["invalid-utf8"]).encode().replace(
                             b"</h1>", b"</h1><p>\xff\xfe\xed\xa0\x80 broken bytes</p>", 1)),
        "huge-title": ("Attack on Dnipro", _page("Attack on Dnipro " + "war " * 250_000, paragraphs["huge-title"])
                       .encode()),
        "huge-body": ("Strikes on Ukraine's grid", _page("Strikes on Ukraine's grid", paragraphs["huge-body"] * 120)
                      .encode()),
        "bidi": ("Drone attack on Kyiv", _page("Drone \u202eattack\u202c on Kyiv\u200b",
                                               [p.replace("Ukraine", "Ukr\u200baine") for p in paragraphs["bidi"]])
                 .encode()),
        "controls": ("Glide bombs on Kharkiv", _page("Glide bombs\x1b on Kharkiv\x07", paragraphs["controls"])
                     .encode()),
        "ten-mb": ("Russian offensive near Pokrovsk", _page("Russian offensive near Pokrovsk", paragraphs["ten-mb"],
                                                          body_extra="<p>" + "war " * 2_700_000 + "</p>").encode()),
    }
    assert len(pages["ten-mb"][1]) > 10_000_000 and 2 * MAX_TEXT < len(pages["huge-body"][1]) < 5 * 1024 * 1024
    feed_url = _serve(server, pages)
    sources = tmp_path / "sources.yml"
    sources.write_text("sources:\n  - {slug: hygiene, name: Hygiene, feed_url: '" + feed_url
                       + "', language: en, country: UA, perspective: ukrainian}\n")
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(sources))

    run_day(pipeline_env, DAY)  # must not raise

    links = {url: (fetch, fetch_detail, extract, extract_detail) for url, fetch, fetch_detail, extract, extract_detail
             in rows(pipeline_env, "SELECT url, fetch_outcome, fetch_detail, extract_outcome, extract_detail FROM raw.links")}
    articles = {url: (title, authors, body) for url, title, authors, body in rows(
        pipeline_env, "SELECT url, title, authors, body_text FROM core.articles")}
    url = {name: normalize_url(server.url(f"/hygiene/{name}.html")) for name in pages}
    assert set(links) == set(url.values())

    # The ordinary articles of the batch are loaded.
    assert url["plain-1"] in articles and url["plain-2"] in articles
    # Nothing stored carries a character that hides or reorders text.
    for title, authors, body in articles.values():
        for char in HIDDEN:
            assert char not in title and char not in body and all(char not in a for a in authors)
        assert len(title) <= MAX_TITLE and len(body) <= MAX_TEXT
    # Each hostile page: loaded (cleaned, and the cleaning recorded), or a failure with a reason.
    expected_notes = {"nul": "NUL", "surrogate": "lone surrogate", "huge-body": "text cut from",
                      "bidi": "bidirectional override", "controls": "control character"}
    for name, note in expected_notes.items():
        assert url[name] in articles, (name, links[url[name]])
        assert links[url[name]][3] and note in links[url[name]][3], (name, links[url[name]])
    assert "Ivan \ufffd Petrov" in articles[url["surrogate"]][1]
    assert articles[url["bidi"]][0] == "Drone attack on Kyiv"
    assert "Ukr\u200baine" not in articles[url["bidi"]][2] and "Ukraine" in articles[url["bidi"]][2]
    # A megabyte of title: newspaper3k keeps its first 200 characters.
    assert articles[url["huge-title"]][0].startswith("Attack on Dnipro war war")
    assert url["invalid-utf8"] in articles
    fetch, detail, *_ = links[url["ten-mb"]]
    assert fetch == "too_large" and "larger than" in detail
    assert url["ten-mb"] not in articles


def test_clean_article_keeps_ordinary_articles_identical():
    from extractors.article import Article

    article = Article(url="https://x.example/a", canonical_url="https://x.example/a", title="Київ: нічна атака",
                      authors=["Ганна"], published_at=None, language="uk", text="Текст.\n\nДругий абзац.",
                      top_image_url=None, description=None)
    cleaned, note = clean_article(article)
    assert cleaned == article and note is None


@pytest.mark.parametrize("value", ["\ud800", "a\x00b", "x" * 2_000_000])
def test_cleaned_text_is_always_storable(warehouse, value):
    import psycopg

    cleaned = clean_text(value, MAX_TEXT)
    with psycopg.connect(warehouse) as conn:
        assert conn.execute("SELECT length(%s::text)", (cleaned,)).fetchone()[0] == len(cleaned)
    json.dumps(cleaned).encode("utf-8")
