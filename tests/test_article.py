"""Article extraction over every page of the demo corpus (nine outlet templates) and
over the odd pages real sites serve."""

import pytest

from extractors.article import ExtractionError, decode_html, extract_article
from newsfacts.fixture_site import FixtureSite

SITE = FixtureSite("http://news.test")
BODY = "<p>The council said on Tuesday that the new bridge over the river would be opened to traffic in the spring.</p>" * 12


def _words(text: str) -> set[str]:
    return {w.strip(".,;:!?“”\"'«»()—–-").lower() for w in text.split()} - {""}


@pytest.mark.parametrize("article", SITE.articles, ids=lambda a: a.key)
def test_corpus_page_extracts_like_its_source(article):
    route = SITE.routes[article.path]
    result = extract_article(route.body, SITE.url(article.path), content_type=route.content_type)
    assert result.title == " ".join(article.title.split())
    assert result.published_at == article.published
    assert result.language == article.lang
    if article.authors:
        assert set(article.authors) <= set(result.authors)
    truth = _words(" ".join(article.paragraphs))
    found = _words(result.text)
    assert len(truth & found) / len(truth) > 0.9, "article text is missing"


def test_page_with_date_and_authors_only_in_json_ld():
    html = """<html lang="en"><head><title>T</title><script type="application/ld+json">
    {"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2025-03-15T09:12:00+01:00",
    "author":[{"@type":"Person","name":"Ana Writer"},"B. Second"]}]}
    </script></head><body><article><h1>Headline here</h1>""" + BODY + "</article></body></html>"
    result = extract_article(html, "https://x.example/a")
    assert result.published_at.isoformat() == "2025-03-15T08:12:00+00:00"
    assert result.authors == ["Ana Writer", "B. Second"]


def test_implausible_page_dates_are_dropped():
    html = """<html><head><meta property="article:published_time" content="2031-01-01T00:00:00Z"></head>
    <body><article><h1>H</h1>""" + BODY + "</article></body></html>"
    from datetime import datetime, timezone

    served = datetime(2025, 3, 16, tzinfo=timezone.utc)
    assert extract_article(html, "https://x.example/a", not_after=served).published_at is None


def test_canonical_link_is_normalised():
    html = """<html><head><link rel="canonical" href="HTTPS://WWW.Example.com/story/1/?utm_source=x"></head>
    <body><article><h1>Bridge opens</h1>""" + BODY + "</article></body></html>"
    result = extract_article(html, "https://m.example.com/s1")
    assert result.canonical_url == "https://www.example.com/story/1"
    assert result.title == "Bridge opens"  # no <title>: the first heading


@pytest.mark.parametrize(
    "body, content_type, reason",
    [
        (b"<html><body><div class='video'>Watch</div></body></html>", "text/html", "no_text"),
        (b"%PDF-1.7 binary", "application/pdf", "not_html"),
        (b"   ", "text/html", "empty"),
        (b"\x00\x00\x00", "text/html", "empty"),
    ],
)
def test_pages_without_articles_fail_with_a_reason(body, content_type, reason):
    with pytest.raises(ExtractionError) as excinfo:
        extract_article(body, "https://x.example/v", content_type=content_type)
    assert excinfo.value.reason == reason


def test_decoding_follows_http_then_meta_charset():
    text = "Київ — «новини»"
    assert decode_html(text.encode("cp1251"), "text/html; charset=windows-1251") == text
    meta = b'<meta charset="koi8-u">' + "Київ".encode("koi8-u")
    assert decode_html(meta).endswith("Київ")
    assert decode_html("naïve".encode("utf-8")) == "naïve"
    assert decode_html(b"caf\xe9") == "café"  # not UTF-8: falls back to cp1252
