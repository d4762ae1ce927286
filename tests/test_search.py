"""Full-text search over core.articles and core.quotes on a demo day, checked against the
corpus's own headlines and texts."""

import re
from datetime import date

import psycopg
import pytest

from extractors.urls import normalize_url
from pipeline_helpers import expected_by_day, run_day

DAY = date(2025, 3, 15)

ARTICLE_SEARCH = """
    SELECT title
    FROM core.articles, websearch_to_tsquery('english', %(query)s) AS query
    WHERE search_vector @@ query
    ORDER BY ts_rank(search_vector, query) DESC, article_id
"""


def _loaded_corpus_articles(server):
    """The corpus articles the day's run loads (war articles that fetch and extract)."""
    loaded = expected_by_day(server)[DAY]
    return [a for a in server.site.articles if normalize_url(server.url(a.path)) in loaded]


def test_an_article_with_the_word_in_its_headline_ranks_first(pipeline_env, server):
    run_day(pipeline_env, DAY)
    articles = _loaded_corpus_articles(server)
    with psycopg.connect(pipeline_env) as conn:
        for word in ("ceasefire", "sanction", "Moscow", "Thursday"):
            mentions = re.compile(rf"\b{word}", re.IGNORECASE)  # "sanction" also finds "sanctions", as the search does
            (headline,) = [a.title for a in articles if mentions.search(a.title)]
            in_text_only = {a.title for a in articles
                            if not mentions.search(a.title) and mentions.search(" ".join(a.paragraphs))}
            assert len(in_text_only) >= 2, f"{word!r} must be in other articles' text too, or ranking is not tested"

            ranked = [title for (title,) in conn.execute(ARTICLE_SEARCH, {"query": word})]

            assert ranked[0] == headline, word
            assert set(ranked) >= in_text_only, word


def test_quote_search_stems_words_and_finds_what_a_scan_finds(pipeline_env):
    run_day(pipeline_env, DAY)
    with psycopg.connect(pipeline_env) as conn:
        found = conn.execute(
            "SELECT quote_id FROM core.quotes WHERE search_vector @@ websearch_to_tsquery('english', 'tanker')"
        ).fetchall()
        scanned = conn.execute("SELECT quote_id FROM core.quotes WHERE quote_text ~* '\\mtankers?\\M'").fetchall()
    assert found and sorted(found) == sorted(scanned)


@pytest.mark.parametrize("table, index", [("core.articles", "articles_search_idx"),
                                          ("core.quotes", "quotes_search_idx")])
def test_searches_use_the_gin_index(warehouse, table, index):
    with psycopg.connect(warehouse) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = conn.execute(
            f"EXPLAIN SELECT * FROM {table} WHERE search_vector @@ websearch_to_tsquery('english', 'drone strike')"
        ).fetchall()
    assert index in " ".join(line for (line,) in plan)
