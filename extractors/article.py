"""A saved HTML page to an article: title, authors, publication time, text, language.

Metadata comes from newspaper3k. Around it we decode bytes the way browsers do, fill
the gaps newspaper3k leaves (it ignores JSON-LD ``datePublished`` and ``<time>``
elements, which many outlets use for their only machine-readable date), clean its
author list, resolve the canonical URL, and refuse pages that hold no article with a
reason instead of loading an empty row.

The body is trafilatura's, checked against newspaper3k's and readability's
(:func:`combine_bodies`). The three fail in different ways, which is what makes the
combination work:

* newspaper3k and readability pick one best-scoring node and some of its siblings.
  When an outlet splits the story over several containers (around an ad, a related
  box, an embed), they return one part of it; they also keep captions, "Advertisement"
  labels and "Read more" links that sit inside the chosen node.
* trafilatura walks the whole article container and prunes elements by type, class
  and link density; it rarely loses part of the story, but its container often
  reaches past the story: the headline, byline and standfirst above it, the share
  bar, newsletter box, author bio and related links below it. In precision mode
  (used here) it prunes link-dense blocks and teasers harder.

So the body starts from trafilatura's paragraphs, without the headline (it is the
title). A paragraph is *confirmed* when most of its word 4-grams occur in
newspaper3k's or readability's text (readability runs only when newspaper3k's text
leaves a paragraph unconfirmed). If confirmed paragraphs hold most of trafilatura's
words (``TRIM_MIN_AGREEMENT``), the extractors found the same story, and the others'
boundaries are trusted: unconfirmed paragraphs before the first and after the last
confirmed one are cut, and so are unconfirmed words at the two ends. Unconfirmed
paragraphs *between* confirmed ones stay: those are what the others drop from a
story (a paragraph with links, a quote, a list), and trafilatura has already pruned
the link-dense ones. If the agreement is lower, the others found a fragment of the
story or another block of the page, and trafilatura's text is kept whole. If
trafilatura finds fewer than ``MIN_WORDS`` words and newspaper3k more, newspaper3k's
text is the body. The rules look only at the texts, never at a site or its markup.

On the article extraction benchmark (181 pages; ``benchmarks/extraction_eval.py``,
figures in ``benchmarks/README.md``) this scores F1 0.975 where trafilatura alone
scores 0.960 and newspaper3k alone 0.894; on the half of the pages no choice was
made on, 0.967 against 0.955 and 0.860.

Everything runs offline and deterministically. newspaper3k is set up in
:mod:`extractors.newspaper_setup`: no image downloads, no memoization on disk,
tldextract pinned to its bundled public-suffix snapshot, and its queries compiled once
(the same results in about a fifth less time). The lead image is chosen here, in document
order, not taken from newspaper3k (whose pick changed from one process to the next).
trafilatura: only ``extract`` and its readability
port are used, which read the markup they are given; its downloading functions are
not, and no per-process cache is used (``deduplicate`` stays off, so a page's text
does not depend on the pages extracted before it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from extractors.newspaper_setup import Config as _NewspaperConfig  # first: it makes newspaper3k offline
from extractors.timeutil import as_utc, plausible
from extractors.urls import BadUrl, normalize_url

from newspaper import Article as _NewspaperArticle  # noqa: E402, I001
import trafilatura  # noqa: E402
from trafilatura.readability_lxml import Document as _ReadabilityDocument  # noqa: E402
from trafilatura.utils import load_html as _trafilatura_load_html  # noqa: E402

#: Recorded with every article so a better extractor can re-run over stored pages.
EXTRACTOR_VERSION = "newsfacts-article/3 newspaper3k/0.2.8 trafilatura/2.3.1"
#: Fewer words than this is a teaser, a video page or a paywall stub, not an article.
MIN_WORDS = 60

# -- body combination (see the module docstring) ---------------------------------------
#: Paragraphs are compared as sets of word 4-grams (``\w+`` tokens, case kept).
SHINGLE = 4
#: A paragraph is confirmed by another extractor when at least this share of its
#: 4-grams occur in that extractor's text: the majority of it (fixed, not tuned).
CONFIRM_SHARE = 0.5
#: Unconfirmed paragraphs at the start and end of trafilatura's body are dropped only
#: when the confirmed paragraphs hold at least this share of its words, i.e. when the
#: others found the same article and not a fragment of it. Chosen on the benchmark's
#: tune half (0.5-0.7 score alike there); see benchmarks/README.md.
TRIM_MIN_AGREEMENT = 0.65

_CHARSET_IN_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_CHARSET_IN_TYPE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)
#: Han ideographs and kana: scripts written without spaces between words.
_UNSPACED_CHAR = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
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
        return count_words(self.text)

    def to_json(self) -> dict:
        data = asdict(self)
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return data


def count_words(text: str) -> int:
    """Words separated by whitespace; in Chinese and Japanese script, each character.

    Those scripts put no spaces between words, so a whitespace count would make a long
    article a handful of "words"; word processors count each of their characters as one.
    """
    unspaced = len(_UNSPACED_CHAR.findall(text))
    if not unspaced:
        return len(text.split())
    return unspaced + len(_UNSPACED_CHAR.sub(" ", text).split())


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
    # A UTF-8 page with a stray invalid byte (a truncated upload, a bad ad snippet) keeps
    # its text with one replacement character; only a page that is not UTF-8 at all is
    # read as the web's legacy default, cp1252.
    as_utf8 = body.decode("utf-8", errors="replace")
    if as_utf8.count("\ufffd") * 200 <= len(as_utf8):
        return as_utf8
    return body.decode("cp1252", errors="replace")


def newspaper_parse(text_html: str, url: str) -> _NewspaperArticle:
    """newspaper3k's parse of an already decoded page (raises ExtractionError if unparsable)."""
    page = _NewspaperArticle(url, config=_NewspaperConfig())
    page.download(input_html=text_html)
    try:
        page.parse()
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ExtractionError("parse_error", f"HTML could not be parsed: {exc}") from None
    if page.doc is None:
        raise ExtractionError("parse_error", "HTML could not be parsed")
    return page


def trafilatura_text(html: str, url: str, *, favor_precision: bool = False) -> str:
    """trafilatura's main text of a decoded page ("" if it finds none).

    Comments are left out; ``favor_precision`` is trafilatura's stricter mode (link-dense
    blocks, teasers and trailing headings pruned harder). Nothing here touches the
    network: ``extract`` only reads the markup it is given (``url`` serves to resolve
    relative links); downloading is a separate part of trafilatura that is not used.
    """
    try:
        text = trafilatura.extract(html, url=url, include_comments=False, favor_precision=favor_precision)
    except Exception:  # noqa: BLE001 - a crash in one voter must not lose the page
        return ""
    return text or ""


_READABILITY_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd")


def readability_text(tree: lxml.html.HtmlElement | None) -> str:
    """Readability's main text of a parsed tree, one block per line ("" if none).

    trafilatura's bundled readability port; it changes ``tree``, so pass a copy or a
    tree that is no longer needed.
    """
    if tree is None:
        return ""
    try:
        root = lxml.html.fromstring(_ReadabilityDocument(tree, min_text_length=25).summary())
    except Exception:  # noqa: BLE001 - a crash in one voter must not lose the page
        return ""
    lines = (" ".join(block.text_content().split()) for block in root.iter(*_READABILITY_BLOCKS))
    return "\n".join(line for line in lines if line)


_WORD = re.compile(r"\w+")
_PUNCTUATION_AFTER = re.compile(r"[^\w\s]*")


class _Shingles:
    """The word 4-grams of one extractor's text, to ask how much of a paragraph it has."""

    __slots__ = ("grams", "joined")

    def __init__(self, text: str):
        tokens = _WORD.findall(text)
        self.grams = {tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}
        self.joined = " " + " ".join(tokens) + " "

    def share(self, tokens: list[str]) -> float:
        """Share of the paragraph's 4-grams found here (a shorter paragraph: found or not)."""
        if len(tokens) < SHINGLE:
            return 1.0 if tokens and f" {' '.join(tokens)} " in self.joined else 0.0
        grams = [tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)]
        return sum(g in self.grams for g in grams) / len(grams)

    def first_shared(self, tokens: list[str], reverse: bool = False) -> int | None:
        """Index of the first (or last) 4-gram of ``tokens`` found here."""
        starts = range(len(tokens) - SHINGLE + 1)
        for i in reversed(starts) if reverse else starts:
            if tuple(tokens[i : i + SHINGLE]) in self.grams:
                return i
        return None


class _Voters:
    """The other extractors' texts as shingles, each computed when first needed.

    A text may be given as a function returning it: readability is run only on pages
    where newspaper3k's text leaves a paragraph unconfirmed.
    """

    def __init__(self, sources: Sequence[str | Callable[[], str]]):
        self._pending = list(sources)
        self._ready: list[_Shingles] = []

    def __iter__(self) -> Iterator[_Shingles]:
        yield from self._ready
        while self._pending:
            source = self._pending.pop(0)
            text = source() if callable(source) else source
            if text and _WORD.search(text):
                self._ready.append(_Shingles(text))
                yield self._ready[-1]


@dataclass
class _Paragraph:
    text: str
    tokens: list[str]

    @classmethod
    def split(cls, text: str) -> list["_Paragraph"]:
        """One paragraph per non-blank line holding a word, whitespace normalised."""
        lines = (" ".join(line.split()) for line in text.splitlines())
        return [cls(line, _WORD.findall(line)) for line in lines if _WORD.search(line)]


def _is_headline(tokens: list[str], headlines: Sequence[list[str]]) -> bool:
    """The paragraph is a headline, or at least half of one (``Headline | Site``)."""
    words = [t.lower() for t in tokens]
    n = len(words)
    for head in headlines:
        if words == head or (
            2 * n >= len(head) and any(head[i : i + n] == words for i in range(len(head) - n + 1))
        ):
            return True
    return False


def _trim_edge(paragraph: _Paragraph, voters: _Voters, at_end: bool) -> _Paragraph:
    """Cut the words before the first (after the last) 4-gram another extractor has.

    Only a cut of at least one whole 4-gram is made; punctuation sticking to the kept
    words (an opening quote, a full stop) stays with them.
    """
    matches = list(_WORD.finditer(paragraph.text))
    tokens = [m.group() for m in matches]
    last_start = len(tokens) - SHINGLE  # of the paragraph's last 4-gram
    keep_from = keep_to = None  # first and last shared 4-gram, over all voters
    for voter in voters:
        found = voter.first_shared(tokens, reverse=at_end)
        if found is None:
            continue
        keep_from = found if keep_from is None else min(keep_from, found)
        keep_to = found if keep_to is None else max(keep_to, found)
        if (keep_to > last_start - SHINGLE) if at_end else (keep_from < SHINGLE):
            return paragraph  # less than a whole 4-gram to cut
    if keep_from is None:
        return paragraph
    if at_end:
        end = matches[keep_to + SHINGLE - 1].end()
        text = paragraph.text[: _PUNCTUATION_AFTER.match(paragraph.text, end).end()]
    else:
        cut = matches[keep_from].start()
        while cut and not (paragraph.text[cut - 1].isspace() or _WORD.match(paragraph.text, cut - 1)):
            cut -= 1
        text = paragraph.text[cut:]
    return _Paragraph(text, _WORD.findall(text))


def combine_bodies(
    primary: str, others: Sequence[str | Callable[[], str]], headlines: Sequence[str] = ()
) -> str:
    """``primary`` (trafilatura's text) repaired by agreement with ``others``' texts.

    1. Paragraphs (lines) that are a headline go: it is stored apart, as the title.
    2. A remaining paragraph is *confirmed* if at least ``CONFIRM_SHARE`` of its word
       4-grams occur in one of ``others`` (newspaper3k's and readability's bodies).
    3. If confirmed paragraphs hold at least ``TRIM_MIN_AGREEMENT`` of the words, the
       extractors found the same story: the paragraphs before the first and after the
       last confirmed one go (headline furniture, byline, standfirst, share bar,
       newsletter box, author bio, related links, footer), and so do unconfirmed words
       at the start of the first and the end of the last kept paragraph. Unconfirmed
       paragraphs between confirmed ones stay. Below that agreement, the others found
       a fragment of the story or another block, and nothing more is cut.

    Paragraphs are joined by a blank line.
    """
    heads = [[t.lower() for t in _WORD.findall(h)] for h in headlines if h]
    paragraphs = [p for p in _Paragraph.split(primary) if not _is_headline(p.tokens, heads)]
    voters = _Voters(others)
    confirmed = [any(v.share(p.tokens) >= CONFIRM_SHARE for v in voters) for p in paragraphs]
    words = sum(len(p.tokens) for p in paragraphs)
    agreed = sum(len(p.tokens) for p, ok in zip(paragraphs, confirmed) if ok)
    if agreed and agreed >= TRIM_MIN_AGREEMENT * words:
        first = confirmed.index(True)
        last = len(confirmed) - 1 - confirmed[::-1].index(True)
        paragraphs = paragraphs[first : last + 1]
        paragraphs[0] = _trim_edge(paragraphs[0], voters, at_end=False)
        paragraphs[-1] = _trim_edge(paragraphs[-1], voters, at_end=True)
    return "\n\n".join(p.text for p in paragraphs)


def article_body(text_html: str, url: str, newspaper_text: str, headlines: Sequence[str]) -> str:
    """The article text: trafilatura's, checked against newspaper3k's and readability's.

    If trafilatura finds fewer than ``MIN_WORDS`` words and newspaper3k more,
    newspaper3k's text is the body.
    """

    def readability() -> str:  # run only if newspaper3k's text leaves something unconfirmed
        return readability_text(_trafilatura_load_html(text_html))

    primary = trafilatura_text(text_html, url, favor_precision=True)
    body = combine_bodies(primary, [newspaper_text, readability], headlines)
    if count_words(body) < MIN_WORDS and count_words(newspaper_text) > count_words(body):
        return newspaper_text
    return body


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


def _lead_image(page: _NewspaperArticle) -> str | None:
    """The image the publisher declares (``og:image``, ``image_src``), else the first
    image of the article's block in document order. (newspaper3k's ``top_image`` is the
    first of a *set* of that block's images: which one depended on the process's string
    hashing, so the same page gave different rows from one run to the next.)"""
    if page.meta_img:
        return page.meta_img
    if page.clean_top_node is not None:
        for image in page.clean_top_node.iter("img"):
            if image.get("src"):
                return urljoin(page.url, image.get("src"))
    return None


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
    page = newspaper_parse(text_html, url)
    og = page.meta_data.get("og", {})
    og_title = og.get("title") if isinstance(og, dict) else None
    h1 = page.clean_doc.xpath("string(//h1[1])")
    headlines = [h for h in (page.title, og_title, h1) if isinstance(h, str) and h.strip()]

    text = article_body(text_html, url, page.text.strip(), headlines).strip()
    words = count_words(text)
    if words < MIN_WORDS:
        raise ExtractionError("no_text", f"no article text found ({words} words)")
    title = " ".join((page.title or og_title or h1 or "").split())
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
        top_image_url=_lead_image(page),
        description=(page.meta_description or None),
    )
