"""A saved HTML page to an article: title, authors, publication time, text, language.

newspaper3k does the heavy lifting. Around it we decode bytes the way browsers do,
fill the gaps newspaper3k leaves (it ignores JSON-LD ``datePublished`` and ``<time>``
elements, which many outlets use for their only machine-readable date), clean its
author list, resolve the canonical URL, and refuse pages that hold no article with a
reason instead of loading an empty row.

newspaper3k is configured for offline, deterministic use: no image downloads
(``fetch_images=False``; Pillow >= 10 also breaks its image code), no memoization on
disk, and tldextract pinned to its bundled public-suffix snapshot instead of fetching
one from the network on first use.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime

import lxml.etree
import lxml.html
from tldextract import tldextract as _tldextract_module

from extractors.timeutil import as_utc, plausible
from extractors.urls import BadUrl, normalize_url

# newspaper3k calls ``tldextract.extract`` at module level; the default extractor would
# try to download the public suffix list. This one only reads the bundled snapshot.
_tldextract_module.extract = _tldextract_module.TLDExtract(suffix_list_urls=(), cache_dir=None)

from newspaper import Article as _NewspaperArticle  # noqa: E402  (after the patch above)
from newspaper import Config as _NewspaperConfig  # noqa: E402

#: Recorded with every article so a better extractor can re-run over stored pages.
EXTRACTOR_VERSION = "newsfacts-article/1 newspaper3k/0.2.8"
#: Fewer words than this is a teaser, a video page or a paywall stub, not an article.
MIN_WORDS = 60

_CHARSET_IN_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_CHARSET_IN_TYPE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)
_JUNK_AUTHOR = re.compile(
    r"@|\.com\b|\.org\b|https?:|\d{3,}|\bstaff\b|^(by|and|admin|author|автор|редакція|редакция)$",
    re.I,
)
_CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday updated published".split()
)
_DATE_XPATHS = (
    '//meta[@property="article:published_time"]/@content',
    '//meta[@name="pubdate" or @name="publishdate" or @name="date"]/@content',
    '//meta[@itemprop="datePublished"]/@content',
    '//*[@itemprop="datePublished"]/@datetime',
    "//time[@datetime]/@datetime",
)


class ExtractionError(Exception):
    """The page holds no article we can use. ``reason`` is a short code."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass
class Article:
    url: str
    canonical_url: str
    title: str
    authors: list[str]
    published_at: datetime | None
    language: str | None
    text: str
    top_image_url: str | None
    description: str | None

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def to_json(self) -> dict:
        data = asdict(self)
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return data


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Bytes to text: HTTP charset, then ``<meta charset>``, then UTF-8, then cp1252."""
    candidates = []
    if content_type and (match := _CHARSET_IN_TYPE.search(content_type)):
        candidates.append(match.group(1))
    if match := _CHARSET_IN_META.search(body[:4096]):
        candidates.append(match.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for charset in candidates:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


def _newspaper_config() -> _NewspaperConfig:
    config = _NewspaperConfig()
    config.fetch_images = False
    config.memoize_articles = False
    config.follow_meta_refresh = False
    return config


def _structured_date(doc: lxml.html.HtmlElement) -> datetime | None:
    """datePublished from JSON-LD, then common meta/``<time>`` markup."""
    for script in doc.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for node in _json_ld_nodes(data):
            if value := _iso(node.get("datePublished")):
                return value
    for xpath in _DATE_XPATHS:
        for value in doc.xpath(xpath):
            if parsed := _iso(value):
                return parsed
    return None


def _structured_authors(doc: lxml.html.HtmlElement) -> list[str]:
    """Author names from JSON-LD (``author`` as a name, a Person, or a list of them)."""
    names = []
    for script in doc.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for node in _json_ld_nodes(data):
            authors = node.get("author") or []
            for author in authors if isinstance(authors, list) else [authors]:
                name = author.get("name") if isinstance(author, dict) else author
                if isinstance(name, str):
                    names.append(name)
    return names


def _json_ld_nodes(data: object) -> list[dict]:
    """The objects of a JSON-LD block: a single object, a list, or an ``@graph``."""
    nodes = data if isinstance(data, list) else [data]
    flat = []
    for node in nodes:
        if isinstance(node, dict):
            flat.append(node)
            flat.extend(n for n in node.get("@graph", []) if isinstance(n, dict))
    return flat


def _iso(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return as_utc(parsed)


def _clean_authors(names: list[str]) -> list[str]:
    """Drop what newspaper3k mistakes for bylines: e-mails, labels, dates, "Staff"."""
    seen, result = set(), []
    for name in names:
        name = " ".join(name.split())
        if not name or len(name) > 80 or _JUNK_AUTHOR.search(name) or name.lower() in _CALENDAR_WORDS:
            continue
        if name.lower() not in seen:
            seen.add(name.lower())
            result.append(name)
    return result


def _canonical(url: str, declared: str | None) -> str:
    for candidate in (declared, url):
        if candidate:
            try:
                return normalize_url(candidate)
            except BadUrl:
                continue
    return url


def extract_article(
    html: str | bytes,
    url: str,
    *,
    content_type: str | None = None,
    not_after: datetime | None = None,
) -> Article:
    """Extract the article in ``html`` (served at ``url``).

    ``not_after`` is when the page was served; a publication date more than a day
    later is not believed. Raises :class:`ExtractionError` for pages without an
    article.
    """
    if content_type and not any(t in content_type.lower() for t in ("html", "xml")):
        raise ExtractionError("not_html", f"not an HTML page ({content_type})")
    text_html = decode_html(html, content_type) if isinstance(html, bytes) else html
    text_html = text_html.replace("\x00", "")
    if not text_html.strip():
        raise ExtractionError("empty", "empty page")
    page = _NewspaperArticle(url, config=_newspaper_config())
    page.download(input_html=text_html)
    try:
        page.parse()
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ExtractionError("parse_error", f"HTML could not be parsed: {exc}") from None
    if page.doc is None:
        raise ExtractionError("parse_error", "HTML could not be parsed")

    text = page.text.strip()
    words = len(text.split())
    if words < MIN_WORDS:
        raise ExtractionError("no_text", f"no article text found ({words} words)")
    og = page.meta_data.get("og", {})
    h1 = page.clean_doc.xpath("string(//h1[1])")
    title = " ".join((page.title or (og.get("title") if isinstance(og, dict) else "") or h1 or "").split())
    if not title:
        raise ExtractionError("no_title", "article has no title")

    # Structured markup carries the time of day; newspaper3k often only has the URL's date.
    published = _structured_date(page.clean_doc) or page.publish_date
    return Article(
        url=url,
        canonical_url=_canonical(url, page.canonical_link),
        title=title,
        authors=_clean_authors(page.authors or _structured_authors(page.clean_doc)),
        published_at=plausible(published, not_after=not_after),
        language=(page.meta_lang or None),
        text=text,
        top_image_url=page.top_image or page.meta_img or None,
        description=(page.meta_description or None),
    )
