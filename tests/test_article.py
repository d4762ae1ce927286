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


# -- the body: trafilatura's, checked against newspaper3k's and readability's ----------------

from extractors import article as article_module  # noqa: E402
from extractors.article import combine_bodies, count_words  # noqa: E402

STORY = [
    "Russian drones struck an energy facility in the Odesa region overnight, the regional governor said on Sunday morning.",
    "Air defence units shot down most of the drones, but debris fell on a substation and started a fire that was put out by noon.",
    "About forty thousand households were left without electricity, and engineers expected to restore supply by the evening.",
    "The energy ministry said the attack was the third on the region's grid this month and called for more air defence systems.",
    "Officials in neighbouring Mykolaiv reported no damage, although sirens sounded there for more than two hours during the night.",
    "The governor urged residents to charge their phones and power banks while electricity was available and to follow official channels.",
    "Ukraine's air force said Russia had launched more than one hundred drones and three missiles at several regions overnight.",
    "Repair crews worked through the day, and the regional utility said most customers would have power again before midnight.",
]
HEADLINE = "Drones hit Odesa energy site"


def _paragraphs_html(paragraphs):
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _page(article_html):
    return f"""<html lang="en"><head><title>{HEADLINE} - Example News</title></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/ukraine">Ukraine</a></nav>
    <article><h1>{HEADLINE}</h1>{article_html}</article>
    <footer>© 2025 Example News. All rights reserved.</footer></body></html>"""


def test_body_split_around_a_related_box_is_kept_whole():
    # newspaper3k keeps the first container only and lost the second half of the story.
    html = _page(
        f'<div class="article-body">{_paragraphs_html(STORY[:4])}</div>'
        '<div class="ad">Advertisement</div>'
        '<div class="related"><h3>Read more</h3><ul><li><a href="/x">Kyiv metro extends night service</a></li>'
        '<li><a href="/y">Ferries add spring sailings</a></li></ul></div>'
        f'<div class="article-body">{_paragraphs_html(STORY[4:])}</div>'
    )
    assert extract_article(html, "https://news.example/odesa").text.split("\n\n") == STORY


def test_captions_ads_and_read_more_links_inside_the_body_are_left_out():
    # newspaper3k kept the caption, the ad label and the "Read more" link as paragraphs.
    html = _page(
        '<div class="text"><div class="share">Share this: <a href="/fb">Facebook</a> <a href="/tw">Twitter</a></div>'
        + _paragraphs_html(STORY[:3])
        + '<figure><img src="/a.jpg"><figcaption>Firefighters work at the damaged substation in the Odesa '
        "region on Sunday. Photo: Example News</figcaption></figure>"
        '<div class="ad">Advertisement</div>'
        + _paragraphs_html(STORY[3:6])
        + '<p><a href="/k">Read more: Kyiv metro extends night service as air raid alerts grow longer</a></p>'
        + _paragraphs_html(STORY[6:])
        + '<p class="tags">Tags: <a href="/t/odesa">Odesa</a>, <a href="/t/drones">drones</a></p></div>'
    )
    assert extract_article(html, "https://news.example/odesa").text.split("\n\n") == STORY


def test_headline_byline_and_promo_around_the_story_are_trimmed():
    # trafilatura alone returns the headline first and the promo box last; newspaper3k's
    # body agrees on the story between them, so only the story is kept.
    html = _page(
        '<div class="meta"><p>By Ana Writer, Example News correspondent in Odesa, with reporting from Kyiv</p></div>'
        f'<div class="text">{_paragraphs_html(STORY)}</div>'
        "<div class=\"promo\"><p>Get our morning briefing: the day's main stories from Ukraine, delivered to your inbox at seven.</p>"
        "<p>We rely on readers like you. Support independent journalism from Kyiv with a monthly contribution.</p></div>"
    )
    assert extract_article(html, "https://news.example/odesa").text.split("\n\n") == STORY


def test_japanese_article_is_not_taken_for_a_stub():
    # No spaces between words: a whitespace count made this a 4-"word" page (no_text).
    story = [
        "ロシアのドローンが日曜日の未明にオデーサ州のエネルギー施設を攻撃したと州知事が明らかにした。",
        "防空部隊が大半を撃墜したが、破片が変電所に落ちて火災が発生し、正午までに消し止められた。",
        "約四万世帯が停電し、技術者は夕方までに電力の供給を回復させる見通しだと述べた。",
        "エネルギー省は、今月この地域の送電網が攻撃されたのは三度目だとして、防空システムの追加を求めた。",
    ]
    title = "オデーサのエネルギー施設に無人機攻撃"
    html = (f"<html lang='ja'><head><meta charset='utf-8'><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>{_paragraphs_html(story)}</article></body></html>")
    result = extract_article(html.encode("utf-8"), "https://news.example/ja/odesa")
    assert result.text.split("\n\n") == story  # the headline is the title, not the body
    assert result.word_count == count_words(result.text) > 100


def test_word_count_counts_han_and_kana_characters():
    assert count_words("Kyiv said on Sunday") == 4
    assert count_words("キーウ 発表 on Sunday") == 3 + 2 + 2
    assert count_words("") == 0


def test_newspaper_text_is_the_body_when_trafilatura_finds_nothing(monkeypatch):
    monkeypatch.setattr(article_module, "trafilatura_text", lambda *args, **kwargs: "")
    html = _page(f'<div class="text">{_paragraphs_html(STORY)}</div>')
    assert extract_article(html, "https://news.example/odesa").text.split("\n\n") == STORY


def test_extraction_opens_no_connection(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the extractor tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    html = _page(f'<div class="text">{_paragraphs_html(STORY)}</div><img src="https://cdn.example/a.jpg">')
    assert extract_article(html, "https://news.example/odesa").text.split("\n\n") == STORY


# combine_bodies on plain texts: trafilatura's lines, the others' texts.

TRAIL = ["Get our morning briefing in your inbox at seven every day.", "Share this: Facebook Twitter WhatsApp"]


def test_unconfirmed_paragraphs_at_the_edges_go_those_between_confirmed_ones_stay():
    primary = "\n".join(["By Ana Writer in Odesa for Example News today", *STORY, *TRAIL])
    newspaper = "\n\n".join(STORY[:3] + STORY[4:])  # skipped a paragraph inside the story
    assert combine_bodies(primary, [newspaper, ""]).split("\n\n") == STORY


def test_a_fragment_found_by_the_others_trims_nothing():
    # The others agree on less than TRIM_MIN_AGREEMENT of the words: they found a part of
    # the article (a truncated container), not evidence that the rest is boilerplate.
    primary = "\n".join(STORY + TRAIL)
    assert combine_bodies(primary, ["\n\n".join(STORY[:2]), "\n".join(STORY[:3])]).split("\n\n") == STORY + TRAIL


def test_any_other_extractor_confirms_a_paragraph():
    primary = "\n".join(STORY + TRAIL)
    readability = "\n".join(STORY[5:] + TRAIL[:1])  # has the first trailing line
    assert combine_bodies(primary, ["\n\n".join(STORY[:5]), readability]).split("\n\n") == STORY + TRAIL[:1]


def test_unconfirmed_words_at_the_ends_of_the_kept_paragraphs_are_cut():
    primary = "\n".join([f"{HEADLINE} | Odesa | 15 March 2025, 09:12 {STORY[0]}", *STORY[1:-1], STORY[-1] + " Share on Facebook Twitter"])
    assert combine_bodies(primary, ["\n\n".join(STORY)]).split("\n\n") == STORY


def test_headlines_are_not_body_paragraphs():
    primary = "\n".join([HEADLINE, *STORY])
    headlines = [f"{HEADLINE} | Example News"]  # <title>, with the site's name
    assert combine_bodies(primary, [], headlines).split("\n\n") == STORY
    assert combine_bodies(primary, [], ["Odesa"]).split("\n\n") == [HEADLINE, *STORY]  # a word of it is not


def test_one_invalid_byte_does_not_turn_a_utf8_page_into_cp1252():
    from extractors.article import decode_html

    page = "<p>Зеленський заявив — «ми готові».</p>".encode() * 50
    broken = page[:100] + b"\xff" + page[100:]
    text = decode_html(broken, "text/html; charset=utf-8")
    assert "Зеленський" in text and 1 <= text.count("\ufffd") <= 3  # the byte and the character it split
    assert decode_html("café déjà".encode("cp1252")) == "café déjà"
