"""robots.txt and XML sitemaps: where an outlet lists its past articles.

Outlets publish sitemap indexes that point to many child sitemaps (daily, monthly, or by
number), plus Google News sitemaps with exact publication times. A backfill of one day
must not read years of them, so :func:`may_hold` decides from a child's URL (dates in its
name) and ``<lastmod>`` whether it can contain articles of the window at all.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import lxml.etree

from extractors.timeutil import plausible
from extractors.urls import absolute_url

_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_DAY_IN_URL = re.compile(r"(?<!\d)(20\d\d|19\d\d)[-_/.]?(0[1-9]|1[0-2])[-_/.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_MONTH_IN_URL = re.compile(r"(?<!\d)(20\d\d|19\d\d)[-_/.](0[1-9]|1[0-2])(?![-_/.]?\d)")
_YEAR_IN_URL = re.compile(r"(?:year|yyyy|y)[=_-](20\d\d|19\d\d)(?!\d)|/(20\d\d)/?(?:\.xml|$)", re.IGNORECASE)
#: Sitemaps say when they changed, not when their articles were published; allow for
#: time zones and for lastmod being written a little before the articles were.
LASTMOD_SLACK = timedelta(days=1)


class SitemapError(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class SitemapEntry:
    """A ``<url>`` (an article) or a ``<sitemap>`` (a child of an index)."""

    loc: str
    lastmod: datetime | None = None
    published: datetime | None = None
    title: str | None = None


@dataclass
class Sitemap:
    kind: str  # "index" or "urlset"
    entries: list[SitemapEntry]
    dropped_dates: int = 0
    problem: str | None = None  # XML errors the recovering parser read past


def sitemaps_in_robots(text: str, base: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, in order, without duplicates."""
    found = []
    for match in _SITEMAP_LINE.finditer(text):
        url = absolute_url(match.group(1), base)
        if url and url not in found:
            found.append(url)
    return found


def _inflate(body: bytes, limit: int) -> bytes:
    """Sitemaps are often served as ``.xml.gz`` files (no Content-Encoding)."""
    if body[:2] != b"\x1f\x8b":
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise SitemapError("malformed", f"corrupt gzip sitemap: {exc}") from None
    if len(out) > limit:
        raise SitemapError("too_large", f"sitemap larger than {limit} bytes once decompressed")
    if not inflater.eof:
        raise SitemapError("malformed", "gzip sitemap ends before its end marker")
    return out


def _date(text: str | None, served_at: datetime | None) -> tuple[datetime | None, bool]:
    """Parse a W3C datetime; returns (value, was_dropped_as_implausible)."""
    if not text or not text.strip():
        return None, False
    value = text.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.strptime(value[:10], "%Y-%m-%d")
        except ValueError:
            return None, True
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    checked = plausible(parsed, not_after=served_at)
    return checked, checked is None


def parse_sitemap(body: bytes, *, url: str, served_at: datetime | None = None,
                  max_bytes: int = 50 * 1024 * 1024) -> Sitemap:
    """Parse a sitemap or sitemap index (plain or gzip), tolerant of sloppy XML.

    Dates before 1990 or more than a day after ``served_at`` are dropped (and counted).
    Raises :class:`SitemapError` for documents that are not sitemaps at all.
    """
    body = _inflate(body, max_bytes)
    if not body.strip():
        raise SitemapError("empty", "empty sitemap")
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(body, parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise SitemapError("malformed", f"unreadable sitemap: {exc}") from None
    if root is None:
        raise SitemapError("malformed", "unreadable sitemap")
    kind = lxml.etree.QName(root).localname.lower()
    if kind not in ("sitemapindex", "urlset"):
        raise SitemapError("not_a_sitemap", f"root element <{kind}> is not a sitemap")
    child_name = "sitemap" if kind == "sitemapindex" else "url"
    entries, dropped = [], 0
    for node in root.iter("{*}" + child_name, child_name):
        fields = {}
        for child in node.iter():
            if isinstance(child.tag, str):
                fields.setdefault(lxml.etree.QName(child).localname.lower(), (child.text or "").strip())
        loc = absolute_url(fields.get("loc"), url)
        if not loc:
            continue
        lastmod, bad_lastmod = _date(fields.get("lastmod"), served_at)
        published, bad_published = _date(fields.get("publication_date"), served_at)
        dropped += bad_lastmod + bad_published
        entries.append(SitemapEntry(loc, lastmod, published, fields.get("title") or None))
    errors = [e for e in parser.error_log if e.level >= lxml.etree.ErrorLevels.ERROR]
    problem = f"malformed XML, line {errors[0].line}: {errors[0].message}" if errors else None
    return Sitemap("index" if kind == "sitemapindex" else "urlset", entries, dropped, problem)


def date_range_in_url(url: str) -> tuple[datetime, datetime] | None:
    """The day, month or year a sitemap's URL says it covers, as ``[start, end)``."""
    if match := _DAY_IN_URL.search(url):
        start = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)), tzinfo=timezone.utc)
        return start, start + timedelta(days=1)
    if match := _MONTH_IN_URL.search(url):
        year, month = int(match.group(1)), int(match.group(2))
        start = datetime(year, month, 1, tzinfo=timezone.utc)
        end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=timezone.utc)
        return start, end
    if match := _YEAR_IN_URL.search(url):
        year = int(match.group(1) or match.group(2))
        return datetime(year, 1, 1, tzinfo=timezone.utc), datetime(year + 1, 1, 1, tzinfo=timezone.utc)
    return None


def may_hold(child: SitemapEntry, start: datetime, end: datetime) -> bool:
    """Can this child sitemap list articles published in ``[start, end)``?

    Not if its URL names a period that does not overlap the window, nor if it was last
    modified before the window began (an article published in the window would have
    changed it).
    """
    if span := date_range_in_url(child.loc):
        if span[1] <= start - LASTMOD_SLACK or span[0] >= end + LASTMOD_SLACK:
            return False
    if child.lastmod is not None and child.lastmod < start - LASTMOD_SLACK:
        return False
    return True


def in_scope(entry: SitemapEntry, start: datetime, end: datetime, sitemap_span: tuple | None) -> bool:
    """Is this ``<url>`` a candidate article for the window ``[start, end)``?

    A publication date (Google News sitemaps) decides exactly. Otherwise a sitemap whose
    URL names a period inside the window (a daily sitemap) lists the window's articles,
    whatever their lastmod; elsewhere ``lastmod`` in the window makes a candidate. The
    page's own date settles which day an article belongs to.
    """
    if entry.published is not None:
        return start <= entry.published < end
    if sitemap_span is not None:
        if start <= sitemap_span[0] and sitemap_span[1] <= end:
            return True
        if sitemap_span[1] <= start or sitemap_span[0] >= end:
            return False
    return entry.lastmod is not None and start <= entry.lastmod < end
