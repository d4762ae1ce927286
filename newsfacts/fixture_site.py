"""The offline demo corpus rendered as the web sites and feeds of its fictional outlets.

The corpus (``demo/corpus``) keeps articles as text with front matter, one HTML
template per outlet, the outlets' URL and feed conventions, hand-written broken files
(``static/``) and deliberate misbehaviour (``behaviours.yml``). :class:`FixtureSite`
turns it into routes (path -> response) for :mod:`newsfacts.fixture_server`, with
absolute URLs for the server's actual address, so the pipeline sees RSS 2.0, RSS 1.0
and Atom feeds, relative links, tracking parameters, canonical links, JSON-LD, and the
dozen other shapes real outlets come in.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import mimetypes
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import yaml

from newsfacts.settings import PROJECT_ROOT

DEFAULT_CORPUS = PROJECT_ROOT / "demo" / "corpus"


@dataclass
class Route:
    """One response of the fixture server."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay_seconds: float = 0.0
    redirect: str | None = None
    generate: str | None = None
    megabytes: float = 0.0
    last_modified: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: For generate = drip_headers | drip_body: seconds between two bytes sent.
    drip_interval: float = 0.0


@dataclass
class CorpusArticle:
    outlet: str
    slug: str
    title: str
    summary: str
    published: datetime
    authors: list[str]
    section: str
    story: str
    war: bool
    lang: str
    paragraphs: list[str]
    updated: datetime | None = None
    syndicated_from: str | None = None
    update_note: str | None = None
    path: str = ""

    @property
    def key(self) -> str:
        return f"{self.outlet}/{self.slug}"

    @property
    def number(self) -> int:
        return article_number(self.key)

    @property
    def last_change(self) -> datetime:
        return self.updated or self.published


def article_number(key: str) -> int:
    """A stable article number for URL patterns and feed GUIDs that carry an id."""
    return 10000 + int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 90000


def _utc(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def load_articles(corpus: Path = DEFAULT_CORPUS) -> list[CorpusArticle]:
    """Read every ``articles/<outlet>/<slug>.md`` of the corpus."""
    articles = []
    for path in sorted((corpus / "articles").glob("*/*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = yaml.safe_load(front)
        articles.append(
            CorpusArticle(
                outlet=meta["outlet"],
                slug=meta["slug"],
                title=meta["title"],
                summary=meta.get("summary", ""),
                published=_utc(meta["published"]),
                updated=_utc(meta["updated"]) if meta.get("updated") else None,
                authors=list(meta.get("authors") or []),
                section=meta.get("section", "world"),
                story=str(meta["story"]),
                war=bool(meta["war"]),
                lang=meta.get("lang", "en"),
                syndicated_from=meta.get("syndicated_from"),
                update_note=meta.get("update_note"),
                paragraphs=[" ".join(p.split()) for p in body.strip().split("\n\n") if p.strip()],
            )
        )
    return articles


def _path_for(pattern: str, article: CorpusArticle) -> str:
    p = article.published
    return pattern.format(
        yyyy=f"{p.year:04d}", mm=f"{p.month:02d}", dd=f"{p.day:02d}", m=p.month, d=p.day,
        ymd=p.strftime("%Y%m%d"), slug=article.slug, id=article.number, section=article.section,
    )


def _paragraph_html(text: str) -> str:
    escaped = html.escape(text, quote=False)
    if len(text) < 70 and text[-1:] not in ".!?:;\"”»'":
        return f"<h2>{escaped}</h2>"
    return f"<p>{escaped}</p>"


def _human(value: datetime) -> str:
    return value.strftime("%-d %B %Y, %H:%M UTC")


@dataclass
class FixtureSite:
    """All routes of the demo corpus for a server reachable at ``base_url``."""

    base_url: str
    corpus: Path = DEFAULT_CORPUS
    routes: dict[str, Route] = field(default_factory=dict)
    articles: list[CorpusArticle] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.outlets = yaml.safe_load((self.corpus / "outlets.yml").read_text(encoding="utf-8"))["outlets"]
        self.articles = load_articles(self.corpus)
        for article in self.articles:
            article.path = _path_for(self.outlets[article.outlet]["url"], article)
        self._by_key = {a.key: a for a in self.articles}
        for article in self.articles:
            self.routes[article.path] = Route(
                body=self._page(article).encode("utf-8"), last_modified=article.last_change
            )
        for slug, outlet in self.outlets.items():
            feed = outlet["feed"]
            items = sorted(
                (a for a in self.articles if a.outlet == slug), key=lambda a: a.published, reverse=True
            )
            body, content_type = self._feed(slug, outlet, items)
            newest = max([a.last_change for a in items], default=None)
            self.routes[feed["path"]] = Route(body=body, content_type=content_type, last_modified=newest)
        self._add_archives()
        self._add_static()
        self._add_behaviours()

    # -- pages ------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def _page(self, article: CorpusArticle) -> str:
        outlet = self.outlets[article.outlet]
        site = self.url("/" + article.outlet)
        original = self._by_key.get(article.syndicated_from or "")
        canonical_article = (
            original if original and outlet.get("syndication_canonical") == "original" else article
        )
        canonical = self.url(canonical_article.path)
        related = [
            a for a in self.articles if a.outlet == article.outlet and a.key != article.key
        ][:4]
        authors = article.authors
        updated_iso = article.updated.isoformat() if article.updated else ""
        jsonld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": article.published.isoformat(),
            "author": [{"@type": "Person", "name": a} for a in authors],
            "publisher": {"@type": "Organization", "name": outlet["name"]},
            "mainEntityOfPage": canonical,
        }
        if article.updated:
            jsonld["dateModified"] = updated_iso
        values = {
            "lang": article.lang,
            "site": site,
            "slug": article.slug,
            "title_text": html.escape(article.title, quote=False),
            "title_attr": html.escape(article.title),
            "summary": html.escape(article.summary, quote=False),
            "summary_attr": html.escape(article.summary),
            "canonical": html.escape(canonical),
            "section": article.section,
            "section_title": article.section.capitalize(),
            "published_iso": article.published.isoformat(),
            "published_human": _human(article.published),
            "published_date": article.published.strftime("%B %-d, %Y"),
            "modified_meta": (
                f'<meta property="article:modified_time" content="{updated_iso}">' if article.updated else ""
            ),
            "updated_inline": f" · Updated {_human(article.updated)}" if article.updated else "",
            "author_meta": "\n".join(f'<meta name="author" content="{html.escape(a)}">' for a in authors),
            "authors_text": html.escape(" and ".join(authors)) if authors else "",
            "authors_text_or_staff": html.escape(" and ".join(authors)) if authors else "CPA staff",
            "authors_plain": html.escape(", ".join(authors)),
            "jsonld": json.dumps(jsonld, ensure_ascii=False).replace("</", "<\\/"),
            "paragraphs": "\n".join(_paragraph_html(p) for p in article.paragraphs),
            "related": "\n".join(
                f'<li><a href="{html.escape(self.url(a.path))}">{html.escape(a.title, quote=False)}</a></li>'
                for a in related
            ),
            "source_line": "Source: Continental Press Agency" if original else f"Source: {outlet['name']}",
        }
        template = (self.corpus / "templates" / outlet["template"]).read_text(encoding="utf-8")
        return string.Template(template).substitute(values)

    # -- feeds ------------------------------------------------------------------------

    def _entries(self, slug: str, outlet: dict, items: list[CorpusArticle]) -> list[dict]:
        feed = outlet["feed"]
        entries = [
            {
                "title": a.title,
                "link": self.url(a.path) + feed.get("link_suffix", ""),
                "id": f"tag:{slug}.example,2025:{a.number}",
                "published": a.published,
                "updated": a.updated,
                "summary": a.summary,
                "authors": a.authors,
                "category": a.section,
                "content": "\n".join(_paragraph_html(p) for p in a.paragraphs),
            }
            for a in items
        ]
        for extra in outlet.get("extra_entries", []):
            entries.append(
                {
                    "title": extra["title"],
                    "link": self.url(extra["path"]),
                    "id": f"tag:{slug}.example,2025:{extra['path']}",
                    "published": _utc(extra["published"]),
                    "updated": None,
                    "summary": extra.get("summary", ""),
                    "authors": [],
                    "category": "news",
                    "content": "",
                }
            )
        entries.sort(key=lambda e: e["published"], reverse=True)
        return entries[: feed["limit"]] if feed.get("limit") else entries

    def _feed(self, slug: str, outlet: dict, items: list[CorpusArticle]) -> tuple[bytes, str]:
        entries = self._entries(slug, outlet, items)
        render = {"rss20": _rss20, "atom": _atom, "rss10": _rss10}[outlet["feed"]["format"]]
        body, content_type = render(outlet, self.url("/" + slug + "/"), self.url(outlet["feed"]["path"]), entries)
        return body.encode("utf-8"), content_type

    # -- archives: sitemaps and a GDELT DOC API look-alike ----------------------------

    @property
    def as_of(self) -> datetime:
        """The moment the corpus describes: its latest publication or update."""
        return max(a.last_change for a in self.articles)

    def _listing(self, slug: str) -> list[dict]:
        """Everything the outlet published, as its sitemaps list it (deleted pages too)."""
        items = [
            {"path": a.path, "published": a.published, "changed": a.last_change, "title": a.title, "lang": a.lang}
            for a in self.articles if a.outlet == slug
        ]
        for extra in self.outlets[slug].get("extra_entries", []):
            when = _utc(extra["published"])
            items.append({"path": extra["path"], "published": when, "changed": when, "title": extra["title"], "lang": "en"})
        return sorted(items, key=lambda i: i["published"])

    def _add_archives(self) -> None:
        for slug, outlet in self.outlets.items():
            style = (outlet.get("sitemap") or {}).get("style")
            if style:
                getattr(self, f"_sitemaps_{style}")(slug, outlet["sitemap"])

    def _xml(self, path: str, text: str, gz: bool = False) -> None:
        body = text.encode("utf-8")
        if gz:
            self.routes[path] = Route(body=gzip.compress(body, mtime=0), content_type="application/x-gzip")
        else:
            self.routes[path] = Route(body=body, content_type="application/xml; charset=utf-8")

    def _robots(self, slug: str, sitemaps: list[str]) -> None:
        lines = ["User-agent: *", "Disallow: /search", "Disallow: /admin/", ""]
        lines += [f"Sitemap: {self.url(p)}" for p in sitemaps]
        self.routes[f"/{slug}/robots.txt"] = Route(body="\n".join(lines).encode(), content_type="text/plain")

    def _sitemaps_daily_index(self, slug: str, config: dict) -> None:
        """robots.txt -> index -> one sitemap per day (the first gzipped), plus old days."""
        days: dict[str, list[dict]] = {}
        for item in self._listing(slug):
            days.setdefault(item["published"].strftime("%Y-%m-%d"), []).append(item)
        children = []
        for n, (day, items) in enumerate(sorted(days.items())):
            gz = n == 0 and config.get("gzip_first_day")
            path = f"/{slug}/sitemaps/{day}.xml" + (".gz" if gz else "")
            self._xml(path, _urlset([(self.url(i["path"]), i["changed"], None) for i in items]), gz=gz)
            children.append((self.url(path), max(i["changed"] for i in items)))
        for day in config.get("old_days", []):
            when = _utc(f"{day}T18:00:00Z")
            path = f"/{slug}/sitemaps/{day}.xml"
            self._xml(path, _urlset([(self.url(f"/{slug}/news/{day.replace('-', '/')}/archived-story/"), when, None)]))
            children.append((self.url(path), when))
        self._xml(f"/{slug}/sitemap-index.xml", _index(sorted(children, key=lambda c: c[1])))
        self._robots(slug, [f"/{slug}/sitemap-index.xml"])

    def _sitemaps_news_and_monthly(self, slug: str, config: dict) -> None:
        """A Google News sitemap of the last two days, and monthly sitemaps by lastmod."""
        listing = self._listing(slug)
        recent = [i for i in listing if i["published"] >= self.as_of - timedelta(days=2)]
        news = [(self.url(i["path"]), None, (i["published"], i["title"], i["lang"])) for i in recent]
        self._xml(f"/{slug}/news-sitemap.xml", _urlset(news, publication=self.outlets[slug]["name"]))
        march = [(self.url(i["path"]), i["changed"], None) for i in listing]
        self._xml(f"/{slug}/sitemap-2025-03.xml", _urlset(march))
        february = [(self.url(f"/{slug}/news/2025/2/{d}/february-story-{d}"), _utc(f"2025-02-{d:02d}T12:00:00Z"), None)
                    for d in (3, 17)]
        self._xml(f"/{slug}/sitemap-2025-02.xml", _urlset(february))
        self._xml(f"/{slug}/sitemap.xml", _index([
            (self.url(f"/{slug}/sitemap-2025-02.xml"), _utc("2025-02-28T23:00:00Z")),
            (self.url(f"/{slug}/sitemap-2025-03.xml"), max(i["changed"] for i in listing)),
        ]))
        self._robots(slug, [f"/{slug}/news-sitemap.xml", f"/{slug}/sitemap.xml"])

    def _sitemaps_broken(self, slug: str, config: dict) -> None:
        """An index that lists itself, a truncated child, and dates from 1970 and 2031."""
        listing = self._listing(slug)
        entries = [(self.url(i["path"]), i["changed"], None) for i in listing]
        entries += [(self.url(f"/{slug}/en/time-travel/a-1"), _utc("2031-01-01T00:00:00Z"), None),
                    (self.url(f"/{slug}/en/epoch-zero/a-2"), _utc("1970-01-01T00:00:00Z"), None)]
        self._xml(f"/{slug}/sitemap-2025-03.xml", _urlset(entries))
        self.routes[f"/{slug}/sitemap-broken.xml"] = Route(
            body=b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>',
            content_type="application/xml",
        )
        index = f"/{slug}/sitemap-index.xml"
        self._xml(index, _index([(self.url(index), None), (self.url(f"/{slug}/sitemap-broken.xml"), None),
                                 (self.url(f"/{slug}/sitemap-2025-03.xml"), max(i["changed"] for i in listing))]))
        self._robots(slug, [index])

    def gdelt(self, params: dict[str, str]) -> tuple[int, bytes]:
        """Answer a GDELT DOC 2.0 ``mode=artlist&format=json`` request from the corpus.

        GDELT sees an article some minutes after it is published; the look-alike uses
        20 minutes, so a story published just before midnight is "seen" the next day.
        """
        query = params.get("query", "")
        domain = query.split("domainis:", 1)[1].split()[0] if "domainis:" in query else None
        try:
            start = datetime.strptime(params["startdatetime"], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
            end = datetime.strptime(params["enddatetime"], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
            limit = int(params.get("maxrecords", "75"))
        except (KeyError, ValueError):
            return 200, b"Invalid query: startdatetime and enddatetime are required."
        hits = []
        for slug, outlet in self.outlets.items():
            if domain and outlet.get("domain") != domain:
                continue
            for item in self._listing(slug):
                seen = item["published"] + timedelta(minutes=20)
                if start <= seen <= end:
                    hits.append({
                        "url": self.url(item["path"]), "url_mobile": "", "title": item["title"],
                        "seendate": seen.strftime("%Y%m%dT%H%M%SZ"), "socialimage": "",
                        "domain": outlet.get("domain", ""), "language": "English", "sourcecountry": "",
                    })
        hits.sort(key=lambda h: h["seendate"], reverse=True)
        if not hits:
            return 200, b"{}"
        return 200, json.dumps({"articles": hits[:limit]}, ensure_ascii=False).encode()

    # -- static files and behaviours --------------------------------------------------------

    def _add_static(self) -> None:
        static = self.corpus / "static"
        for file in sorted(static.rglob("*")):
            if not file.is_file():
                continue
            path = "/" + file.relative_to(static).as_posix()
            content_type = {
                ".xml": "application/xml", ".html": "text/html; charset=utf-8",
            }.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if path.endswith("/feed.xml") and b"<html" in file.read_bytes()[:200].lower():
                content_type = "text/html; charset=UTF-8"
            self.routes[path] = Route(body=file.read_bytes(), content_type=content_type)

    def _add_behaviours(self) -> None:
        behaviours = yaml.safe_load((self.corpus / "behaviours.yml").read_text(encoding="utf-8")) or {}
        for path, spec in behaviours.items():
            route = self.routes.get(path) or Route()
            for key, value in spec.items():
                setattr(route, key, value)
            if route.redirect and not route.redirect.startswith("http"):
                route.redirect = self.url(route.redirect)
            if route.generate == "huge_feed":
                route.content_type = "application/rss+xml"
            self.routes[path] = route


def _urlset(entries: list[tuple], publication: str | None = None) -> str:
    """A sitemap ``<urlset>``; entries are (loc, lastmod, news) with news = (date, title, lang)."""
    urls = []
    for loc, lastmod, news in entries:
        parts = [f"<loc>{_x(loc)}</loc>"]
        if lastmod is not None:
            parts.append(f"<lastmod>{lastmod.isoformat()}</lastmod>")
        if news is not None:
            published, title, lang = news
            parts.append(
                f"<news:news><news:publication><news:name>{_x(publication or '')}</news:name>"
                f"<news:language>{lang}</news:language></news:publication>"
                f"<news:publication_date>{published.isoformat()}</news:publication_date>"
                f"<news:title>{_x(title)}</news:title></news:news>"
            )
        urls.append("<url>" + "".join(parts) + "</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "\n".join(urls) + "\n</urlset>\n"
    )


def _index(children: list[tuple]) -> str:
    items = []
    for loc, lastmod in children:
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod is not None else ""
        items.append(f"<sitemap><loc>{_x(loc)}</loc>{mod}</sitemap>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(items) + "\n</sitemapindex>\n"
    )


def _x(text: str) -> str:
    return html.escape(text or "", quote=True)


def _rss20(outlet: dict, home: str, feed_url: str, entries: list[dict]) -> tuple[str, str]:
    content = outlet["feed"].get("content_encoded", False)
    newest = max((e["updated"] or e["published"] for e in entries), default=datetime(2025, 1, 1, tzinfo=timezone.utc))
    items = []
    for e in entries:
        parts = [
            f"<title>{_x(e['title'])}</title>",
            f"<link>{_x(e['link'])}</link>",
            f'<guid isPermaLink="false">{_x(e["id"])}</guid>',
            f"<pubDate>{format_datetime(e['published'])}</pubDate>",
            f"<description>{_x(e['summary'])}</description>",
            f"<category>{_x(e['category'])}</category>",
        ]
        parts += [f"<dc:creator>{_x(a)}</dc:creator>" for a in e["authors"]]
        if e["updated"]:
            parts.append(f"<atom:updated>{e['updated'].isoformat()}</atom:updated>")
        if content and e["content"]:
            parts.append(f"<content:encoded><![CDATA[{e['content']}]]></content:encoded>")
        items.append("<item>\n" + "\n".join(parts) + "\n</item>")
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>{_x(outlet['name'])}</title>
<link>{_x(home)}</link>
<atom:link href="{_x(feed_url)}" rel="self" type="application/rss+xml"/>
<description>Latest news from {_x(outlet['name'])}</description>
<lastBuildDate>{format_datetime(newest)}</lastBuildDate>
{chr(10).join(items)}
</channel>
</rss>
"""
    return body, "application/rss+xml; charset=utf-8"


def _atom(outlet: dict, home: str, feed_url: str, entries: list[dict]) -> tuple[str, str]:
    newest = max((e["updated"] or e["published"] for e in entries), default=datetime(2025, 1, 1, tzinfo=timezone.utc))
    items = []
    for e in entries:
        authors = "".join(f"<author><name>{_x(a)}</name></author>" for a in e["authors"])
        items.append(
            f"""<entry>
<title type="text">{_x(e['title'])}</title>
<link rel="alternate" type="text/html" href="{_x(e['link'])}"/>
<id>{_x(e['id'])}</id>
<published>{e['published'].isoformat()}</published>
<updated>{(e['updated'] or e['published']).isoformat()}</updated>
{authors}
<summary type="html">{_x(e['summary'])}</summary>
<category term="{_x(e['category'])}"/>
</entry>"""
        )
    body = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{_x(outlet['name'])}</title>
<link rel="alternate" href="{_x(home)}"/>
<link rel="self" href="{_x(feed_url)}"/>
<id>{_x(home)}</id>
<updated>{newest.isoformat()}</updated>
{chr(10).join(items)}
</feed>
"""
    return body, "application/atom+xml; charset=utf-8"


def _rss10(outlet: dict, home: str, feed_url: str, entries: list[dict]) -> tuple[str, str]:
    seq = "\n".join(f'<rdf:li rdf:resource="{_x(e["link"])}"/>' for e in entries)
    items = []
    for e in entries:
        creators = "".join(f"<dc:creator>{_x(a)}</dc:creator>" for a in e["authors"])
        items.append(
            f"""<item rdf:about="{_x(e['link'])}">
<title>{_x(e['title'])}</title>
<link>{_x(e['link'])}</link>
<description>{_x(e['summary'])}</description>
<dcterms:issued>{e['published'].isoformat()}</dcterms:issued>
<dc:date>{(e['updated'] or e['published']).isoformat()}</dc:date>
<dc:subject>{_x(e['category'])}</dc:subject>
{creators}
</item>"""
        )
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
<channel rdf:about="{_x(feed_url)}">
<title>{_x(outlet['name'])}</title>
<link>{_x(home)}</link>
<description>Latest news from {_x(outlet['name'])}</description>
<items><rdf:Seq>
{seq}
</rdf:Seq></items>
</channel>
{chr(10).join(items)}
</rdf:RDF>
"""
    return body, "application/rdf+xml; charset=utf-8"
