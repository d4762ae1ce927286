"""A corpus of broken, odd and hostile feed documents, generated from templates.

Each :class:`HostileFeed` is one document the fixture server serves (body, status,
headers, or a generated stream) together with what the poll stage must make of it:
the entries that are valid and must be stored (by URL, or by title for an entry with no
usable link), which poll outcomes are acceptable, words the recorded reason must
contain, and strings that must never reach the warehouse (an expanded entity, the
contents of /etc/passwd). The corpus is built in code, not stored: every family is a
template applied to formats (RSS 2.0, RSS 1.0, Atom, JSON Feed 1.1) and variants.

    docs = corpus(server.base_url)        # ~350 documents
    install(server, docs)                 # routes on the fixture server
    write_sources(docs, server.base_url, path)   # a sources.yml listing all of them

Families: control (well-formed), encoding (declared, conflicting, wrong, BOMs),
entities (undefined, invalid character references), truncated (cut at every item),
html (error pages served as feeds), jsonfeed (valid and broken), empty, oversize
(streams beyond the size limit, gzip and deflate bombs), links (relative, javascript:,
mailto:, data:, over-long, missing), dates (missing, future, 1970, garbage), guids
(duplicates, over-long, emoji), laughs (entity expansion), xxe (external entities and
DTDs), content_type (wrong media types), mixed (RSS/Atom hybrids), text (NUL, control
and bidi characters, lone surrogates, 1 MB titles), transport (encodings, redirects,
statuses, slow-loris answers).
"""

from __future__ import annotations

import gzip
import html
import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

UTC = timezone.utc
#: Entries are dated on this day (the window a test polls for).
DAY = datetime(2025, 3, 15, tzinfo=UTC)
FORMATS = ("rss20", "atom", "rss10", "json11")
XML_FORMATS = ("rss20", "atom", "rss10")
CONTENT_TYPES = {
    "rss20": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "rss10": "application/rdf+xml; charset=utf-8",
    "json11": "application/feed+json",
}
#: Text whose presence in the warehouse would mean an entity was expanded or a local
#: file was read.
PASSWD_MARK = "root:x:0:0"
LAUGH = "lol" * 8
FAIL_OUTCOMES = frozenset({"malformed", "not_a_feed", "no_entries", "empty", "http_error", "too_large",
                           "decode_error", "timeout", "too_many_redirects", "bad_url", "blocked_address",
                           "connection_error", "parse_error", "store_error"})


@dataclass
class Entry:
    """An item as written into a document."""

    title: str
    link: str | None
    guid: str | None = None
    published: datetime | str | None = None  # a str is written verbatim
    summary: str = "Air-raid alerts sounded across Ukraine overnight."
    author: str | None = None


@dataclass
class Expected:
    """An entry the warehouse must hold after the poll."""

    title: str
    url: str | None  # absolute URL in raw.feed_entries.url; None: stored without a link
    undated: bool = False  # its date is implausible: published_at must be NULL
    exact_title: bool = False  # the stored title must equal ``title``


@dataclass
class HostileFeed:
    name: str
    family: str
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    generate: str | None = None
    megabytes: float = 0.0
    drip_interval: float = 0.0
    redirect: str | None = None
    valid: list[Expected] = field(default_factory=list)
    outcomes: frozenset[str] = frozenset({"ok"})
    detail_contains: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return f"/hostile/{self.name}"

    @property
    def slug(self) -> str:
        return "hf-" + self.name.replace("_", "-").replace(".", "-").lower()[:58]


# -- rendering -----------------------------------------------------------------------------


def _x(text: str) -> str:
    return html.escape(text, quote=True)


def _rfc822(value: datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return format_datetime(value)


def _iso(value: datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def rss20(entries: list[Entry], *, title: str = "Hostile Wire", decl: str = '<?xml version="1.0" encoding="UTF-8"?>',
          raw_titles: bool = False, extra_item: str = "", doctype: str = "") -> str:
    items = []
    for e in entries:
        parts = [f"<title>{e.title if raw_titles else _x(e.title)}</title>"]
        if e.link is not None:
            parts.append(f"<link>{_x(e.link)}</link>")
        if e.guid is not None:
            parts.append(f'<guid isPermaLink="false">{_x(e.guid)}</guid>')
        if (date := _rfc822(e.published)) is not None:
            parts.append(f"<pubDate>{_x(date)}</pubDate>")
        parts.append(f"<description>{_x(e.summary)}</description>")
        if e.author:
            parts.append(f"<dc:creator>{_x(e.author)}</dc:creator>")
        items.append("<item>" + "".join(parts) + extra_item + "</item>")
    return (f"{decl}\n{doctype}<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>"
            f"<title>{_x(title)}</title><link>https://hostile.example/</link><description>d</description>\n"
            + "\n".join(items) + "\n</channel>\n</rss>\n")


def atom(entries: list[Entry], *, title: str = "Hostile Atom", decl: str = '<?xml version="1.0" encoding="utf-8"?>',
         raw_titles: bool = False, doctype: str = "") -> str:
    items = []
    for n, e in enumerate(entries):
        parts = [f"<title>{e.title if raw_titles else _x(e.title)}</title>"]
        if e.link is not None:
            parts.append(f'<link rel="alternate" href="{_x(e.link)}"/>')
        parts.append(f"<id>{_x(e.guid if e.guid is not None else f'urn:hostile:{n}:{e.title[:40]}')}</id>")
        if (date := _iso(e.published)) is not None:
            parts.append(f"<published>{_x(date)}</published><updated>{_x(date)}</updated>")
        parts.append(f'<summary type="text">{_x(e.summary)}</summary>')
        if e.author:
            parts.append(f"<author><name>{_x(e.author)}</name></author>")
        items.append("<entry>" + "".join(parts) + "</entry>")
    return (f'{decl}\n{doctype}<feed xmlns="http://www.w3.org/2005/Atom"><title>{_x(title)}</title>'
            f'<id>urn:hostile</id><updated>2025-03-15T12:00:00Z</updated>\n' + "\n".join(items) + "\n</feed>\n")


def rss10(entries: list[Entry], *, title: str = "Hostile RDF", decl: str = '<?xml version="1.0" encoding="UTF-8"?>',
          raw_titles: bool = False, doctype: str = "") -> str:
    seq = "".join(f'<rdf:li rdf:resource="{_x(e.link or "")}"/>' for e in entries)
    items = []
    for e in entries:
        about = f' rdf:about="{_x(e.link)}"' if e.link else ""
        parts = [f"<title>{e.title if raw_titles else _x(e.title)}</title>"]
        if e.link is not None:
            parts.append(f"<link>{_x(e.link)}</link>")
        if (date := _iso(e.published)) is not None:
            parts.append(f"<dc:date>{_x(date)}</dc:date>")
        parts.append(f"<description>{_x(e.summary)}</description>")
        if e.author:
            parts.append(f"<dc:creator>{_x(e.author)}</dc:creator>")
        items.append(f"<item{about}>" + "".join(parts) + "</item>")
    return (f'{decl}\n{doctype}<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f'<channel rdf:about="https://hostile.example/rdf"><title>{_x(title)}</title>'
            f'<link>https://hostile.example/</link><description>d</description><items><rdf:Seq>{seq}</rdf:Seq></items>'
            "</channel>\n" + "\n".join(items) + "\n</rdf:RDF>\n")


def json11_doc(entries: list[Entry], *, title: str = "Hostile JSON", version: str = "https://jsonfeed.org/version/1.1",
               home: str | None = "https://hostile.example/") -> dict:
    items = []
    for n, e in enumerate(entries):
        item: dict = {"id": e.guid if e.guid is not None else f"item-{n}", "title": e.title, "summary": e.summary}
        if e.link is not None:
            item["url"] = e.link
        if (date := _iso(e.published)) is not None:
            item["date_published"] = date
        if e.author:
            item["authors"] = [{"name": e.author}]
        items.append(item)
    doc = {"version": version, "title": title, "items": items}
    if home:
        doc["home_page_url"] = home
    return doc


def json11(entries: list[Entry], **options) -> str:
    return json.dumps(json11_doc(entries, **options), ensure_ascii=False, indent=1)


RENDER = {"rss20": rss20, "atom": atom, "rss10": rss10, "json11": json11}


def entries(name: str, n: int, *, start: int = 0) -> list[Entry]:
    """``n`` ordinary entries with absolute links, unique GUIDs and dates on DAY."""
    return [
        Entry(
            title=f"Drone strike on Kharkiv power plant ({name} #{i})",
            link=f"https://news.example/{name}/{i}",
            guid=f"urn:{name}:{i}",
            published=DAY + timedelta(hours=8, minutes=i),
        )
        for i in range(start, start + n)
    ]


def expect(items: list[Entry], *, exact: bool = False) -> list[Expected]:
    return [Expected(e.title, e.link, exact_title=exact) for e in items]


# -- families --------------------------------------------------------------------------------


def _control(base: str) -> list[HostileFeed]:
    docs = []
    for fmt in FORMATS:
        for n in (1, 5, 20):
            name = f"control-{fmt}-{n}"
            items = entries(name, n)
            docs.append(HostileFeed(name, "control", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt],
                                    valid=expect(items, exact=True)))
    return docs


_CYRILLIC = "Удар по Харкову: пошкоджено енергетичну інфраструктуру"
_LATIN1 = "Frappe à Kharkiv : l'énergie coupée, déclare le maire"


def _encoding(base: str) -> list[HostileFeed]:
    docs = []
    correct = [("utf-8", _CYRILLIC), ("windows-1251", _CYRILLIC), ("koi8-u", _CYRILLIC),
               ("iso-8859-5", "Удар по Харкову: пошкоджено інфраструктуру".replace("і", "i").replace("є", "e")),
               ("iso-8859-1", _LATIN1), ("utf-16", _CYRILLIC)]
    for fmt in XML_FORMATS:
        for codec, text in correct:
            name = f"enc-declared-{codec}-{fmt}"
            items = entries(name, 3)
            for i, e in enumerate(items):
                e.title = f"{text} {i}"
            body = RENDER[fmt](items, decl=f'<?xml version="1.0" encoding="{codec}"?>').encode(codec)
            docs.append(HostileFeed(name, "encoding", body, CONTENT_TYPES[fmt].split(";")[0],
                                    valid=expect(items, exact=True)))
        # Content-Type charset and XML declaration disagree.
        conflicts = [
            ("hdr-latin1-doc-utf8", "iso-8859-1", "utf-8", "utf-8", _CYRILLIC),
            ("hdr-utf8-doc-cp1251", "utf-8", "windows-1251", "windows-1251", _CYRILLIC),
            ("hdr-cp1251-doc-utf8-undeclared", "windows-1251", None, "utf-8", _CYRILLIC),
            ("hdr-ascii-doc-utf8", "us-ascii", "utf-8", "utf-8", _CYRILLIC),
        ]
        for label, header, declared, actual, text in conflicts:
            name = f"enc-conflict-{label}-{fmt}"
            items = entries(name, 3)
            for i, e in enumerate(items):
                e.title = f"{text} {i}"
            decl = f'<?xml version="1.0" encoding="{declared}"?>' if declared else '<?xml version="1.0"?>'
            body = RENDER[fmt](items, decl=decl).encode(actual)
            docs.append(HostileFeed(name, "encoding", body, f"{CONTENT_TYPES[fmt].split(';')[0]}; charset={header}",
                                    valid=expect(items)))
        # The declaration lies about the bytes.
        wrong = [
            ("says-utf8-is-cp1251", "utf-8", lambda s: s.encode("windows-1251")),
            ("says-cp1251-is-utf8", "windows-1251", lambda s: s.encode("utf-8")),
            ("says-utf8-has-invalid-bytes", "utf-8",
             lambda s: s.encode("utf-8").replace("Харкову".encode(), b"\xff\xfe\xc0\xaf\xed\xa0\x80")),
            ("says-klingon", "x-klingon-1", lambda s: s.encode("utf-8")),
            ("says-utf16-is-utf8", "utf-16", lambda s: s.encode("utf-8")),
        ]
        for label, declared, encode in wrong:
            name = f"enc-wrong-{label}-{fmt}"
            items = entries(name, 3)
            for i, e in enumerate(items):
                e.title = f"{_CYRILLIC} {i}"
            body = encode(RENDER[fmt](items, decl=f'<?xml version="1.0" encoding="{declared}"?>'))
            docs.append(HostileFeed(name, "encoding", body, CONTENT_TYPES[fmt].split(";")[0], valid=expect(items)))
        # Byte order marks.
        boms = [
            ("utf8-bom", lambda s: b"\xef\xbb\xbf" + s.encode("utf-8")),
            ("utf8-bom-whitespace-comment", lambda s: b"\xef\xbb\xbf \n\t<!-- generated -->\n" + s.encode("utf-8")),
            ("double-utf8-bom", lambda s: b"\xef\xbb\xbf\xef\xbb\xbf" + s.encode("utf-8")),
            ("utf16le-bom-undeclared", lambda s: s.replace(' encoding="UTF-8"', "").replace(' encoding="utf-8"', "")
             .encode("utf-16")),
        ]
        for label, encode in boms:
            name = f"enc-bom-{label}-{fmt}"
            items = entries(name, 3)
            docs.append(HostileFeed(name, "encoding", encode(RENDER[fmt](items)), CONTENT_TYPES[fmt],
                                    valid=expect(items, exact=label != "double-utf8-bom")))
    name = "enc-bom-json"
    items = entries(name, 3)
    docs.append(HostileFeed(name, "encoding", b"\xef\xbb\xbf\n " + json11(items).encode(), CONTENT_TYPES["json11"],
                            valid=expect(items, exact=True)))
    return docs


def _entities(base: str) -> list[HostileFeed]:
    docs = []
    refs = ["&nbsp;", "&mdash;", "&hellip;", "&copy;", "&rsquo;", "&eacute;", "&notanentity;", "AT&T",
            "&#x110000;", "&#0;", "&#xD800;"]
    for fmt in ("rss20", "atom"):
        for n, ref in enumerate(refs):
            name = f"entity-{n:02d}-{fmt}"
            items = entries(name, 3)
            for e in items:
                e.title = f"Kharkiv{ref}strike {e.guid}"
            body = RENDER[fmt](items, raw_titles=True).encode()
            docs.append(HostileFeed(name, "entities", body, CONTENT_TYPES[fmt], valid=expect(items)))
    return docs


def _truncated(base: str) -> list[HostileFeed]:
    docs = []
    close = {"rss20": "</item>", "atom": "</entry>", "rss10": "</item>"}
    for fmt in XML_FORMATS:
        for complete in range(0, 5):
            for style in ("mid-tag", "mid-text", "after-close"):
                if complete == 0 and style == "after-close":
                    continue
                name = f"truncated-{fmt}-{complete}-{style}"
                items = entries(name, 5)
                text = RENDER[fmt](items)
                ends, position = [], 0
                for _ in items:
                    position = text.index(close[fmt], position) + len(close[fmt])
                    ends.append(position)
                cut = ends[complete - 1] if complete else text.index("<item" if fmt != "atom" else "<entry")
                if style == "mid-tag":
                    body = text[:cut] + ("\n<ite" if fmt != "atom" else "\n<ent")
                elif style == "mid-text":
                    nxt = text.index("<title>", cut) + len("<title>") + 12
                    body = text[:nxt]
                else:
                    body = text[:cut] + "\n"
                docs.append(HostileFeed(name, "truncated", body.encode(), CONTENT_TYPES[fmt],
                                        valid=expect(items[:complete]),
                                        outcomes=frozenset({"ok"}) if complete else FAIL_OUTCOMES | {"ok"}))
    return docs


_HTML_PAGES = {
    "cloudflare": "<!DOCTYPE html><html lang=en><head><title>Just a moment...</title></head><body>"
                  "<div id=challenge>Checking your browser before accessing the site.</div></body></html>",
    "not-found": "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>",
    "login": "<!doctype html>\n<HTML><HEAD><TITLE>Sign in to continue</TITLE></HEAD><BODY><form action=/login>"
             "<input name=user></form></BODY></HTML>",
    "maintenance": "\n\n  <!-- maintenance -->\n<!DOCTYPE html><html><body><p>We'll be back soon.</p></body></html>",
    "wordpress": "<!DOCTYPE html><html><head><meta charset=utf-8><title>Hostile News &#8211; Home</title>"
                 "<link rel=alternate type=application/rss+xml href=/feed/></head><body>" + "<article>x</article>" * 50
                 + "</body></html>",
    "xhtml": '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
             '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
             "<head><title>Error</title></head><body><p>Service unavailable</p></body></html>",
}


def _html(base: str) -> list[HostileFeed]:
    docs = []
    for label, page in _HTML_PAGES.items():
        for ctype in ("text/html; charset=utf-8", "application/rss+xml", "application/xml"):
            name = f"html-{label}-{ctype.split(';')[0].replace('/', '-').replace('+', '-')}"
            docs.append(HostileFeed(name, "html", page.encode(), ctype, outcomes=frozenset({"not_a_feed"}),
                                    detail_contains=("HTML page instead of a feed",)))
    for status in (403, 404, 500, 503):
        docs.append(HostileFeed(f"html-status-{status}", "html", _HTML_PAGES["not-found"].encode(), "text/html",
                                status=status, outcomes=frozenset({"http_error"}),
                                detail_contains=(f"HTTP {status}",)))
    return docs


def _jsonfeed(base: str) -> list[HostileFeed]:
    docs = []

    def add(name, body, valid, outcomes=frozenset({"ok"}), ctype="application/feed+json", **kw):
        docs.append(HostileFeed(name, "jsonfeed", body if isinstance(body, bytes) else body.encode(), ctype,
                                valid=valid, outcomes=outcomes, **kw))

    def feed_url(name):
        return f"{base}/hostile/{name}"

    name = "json-valid-full"
    items = entries(name, 4)
    add(name, json11(items), expect(items, exact=True))
    name = "json-valid-v10-author"
    items = entries(name, 3)
    doc = json11_doc(items, version="https://jsonfeed.org/version/1")
    for item in doc["items"]:
        item["author"] = item.pop("authors", [{"name": "A. Writer"}])[0] if "authors" in item else {"name": "A. Writer"}
    add(name, json.dumps(doc), expect(items, exact=True))
    name = "json-valid-external-url-only"
    items = entries(name, 3)
    doc = json11_doc(items)
    for item in doc["items"]:
        item["external_url"] = item.pop("url")
    add(name, json.dumps(doc), expect(items))
    name = "json-valid-relative-urls"
    items = [Entry(f"Relative JSON item {i}", f"/stories/{i}?ref=feed", guid=f"jr-{i}", published=DAY) for i in range(3)]
    add(name, json11(items), [Expected(e.title, urljoin(feed_url(name), e.link)) for e in items])
    name = "json-valid-content-html-only"
    items = entries(name, 3)
    doc = json11_doc(items)
    for item in doc["items"]:
        item.pop("summary")
        item["content_html"] = "<p>Shelling in <b>Kherson</b>.</p><script>alert(1)</script>"
    add(name, json.dumps(doc), expect(items))
    name = "json-valid-numeric-ids"
    items = entries(name, 3)
    doc = json11_doc(items)
    for n, item in enumerate(doc["items"]):
        item["id"] = 1000 + n
    add(name, json.dumps(doc), expect(items))
    name = "json-valid-extensions"
    items = entries(name, 3)
    doc = json11_doc(items)
    doc["_hostile"] = {"about": "https://hostile.example/ext", "nested": [[[1]]]}
    for item in doc["items"]:
        item["attachments"] = [{"url": "https://cdn.example/a.mp3", "mime_type": "audio/mpeg"}]
        item["tags"] = ["war", 3, None]
    add(name, json.dumps(doc), expect(items))
    name = "json-valid-http-version"
    items = entries(name, 2)
    add(name, json11(items, version="http://jsonfeed.org/version/1"), expect(items))
    for ctype in ("application/json", "text/plain", "application/rss+xml"):
        name = f"json-valid-served-as-{ctype.replace('/', '-').replace('+', '-')}"
        items = entries(name, 2)
        add(name, json11(items), expect(items), ctype=ctype)

    # Broken.
    name = "json-trailing-comma"
    items = entries(name, 3)
    text = json11(items)
    add(name, text.replace("}\n ]", "},\n ]", 1), expect(items), outcomes=frozenset({"ok"}),
        detail_contains=("invalid JSON",))
    for complete in (1, 2, 3):
        name = f"json-truncated-after-{complete}"
        items = entries(name, 5)
        text = json.dumps(json11_doc(items))
        position = 0
        for _ in range(complete):  # items hold no nested objects: the first } ends one
            position = text.index("}", text.index('"id"', position)) + 1
        cut = text.index('"id"', position) + 8
        add(name, text[:cut], expect(items[:complete]), detail_contains=("invalid JSON",))
    name = "json-truncated-in-head"
    add(name, '{"version": "https://jsonfeed.org/version/1.1", "title": "cut', [],
        outcomes=frozenset({"malformed"}))
    name = "json-items-not-a-list"
    add(name, json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": {"a": 1}}), [],
        outcomes=frozenset({"malformed"}))
    name = "json-items-mixed-junk"
    items = entries(name, 2)
    doc = json11_doc(items)
    doc["items"] = [1, "two", None, [], doc["items"][0], True, doc["items"][1]]
    add(name, json.dumps(doc), expect(items), detail_contains=("not JSON objects",))
    name = "json-wrong-version"
    add(name, json11(entries(name, 2), version="https://example.com/version/2"), [],
        outcomes=frozenset({"not_a_feed"}))
    name = "json-no-version"
    doc = json11_doc(entries(name, 2))
    del doc["version"]
    add(name, json.dumps(doc), [], outcomes=frozenset({"not_a_feed"}))
    name = "json-deeply-nested"
    nested = '{"version": "https://jsonfeed.org/version/1.1", "items": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    add(name, nested, [], outcomes=FAIL_OUTCOMES | {"ok"})
    name = "json-deep-item-after-good-ones"
    items = entries(name, 2)
    doc = json11_doc(items)
    text = json.dumps(doc)
    text = text[: text.rindex("]")] + ', {"id": "deep", "x": ' + "[" * 50_000 + "]" * 50_000 + "}]}"
    add(name, text, expect(items))
    name = "json-nul-in-title"
    items = entries(name, 2)
    items[0].title = "Kharkiv\u0000strike\u0000 NUL"
    add(name, json11(items), [Expected("Kharkivstrike NUL", items[0].link, exact_title=True),
                              Expected(items[1].title, items[1].link)], detail_contains=("NUL",))
    name = "json-lone-surrogates"
    items = entries(name, 2)
    text = json11(items).replace(items[0].title, items[0].title + " \\ud800 \\udfff end", 1)
    text = text.replace('"summary": "', '"summary": "\\udc00', 1)
    add(name, text, expect(items), detail_contains=("lone surrogate",))
    name = "json-odd-types"
    items = entries(name, 3)
    doc = json11_doc(items)
    doc["items"][0]["title"] = 12345
    doc["items"][1]["title"] = ["a", "list"]
    doc["items"][2]["title"] = {"an": "object"}
    doc["title"] = None
    add(name, json.dumps(doc), [Expected("12345", items[0].link, exact_title=True), Expected("", items[1].link),
                                 Expected("", items[2].link)])
    name = "json-url-not-a-string"
    items = entries(name, 3)
    doc = json11_doc(items)
    doc["items"][0]["url"] = 42
    doc["items"][1]["url"] = ["https://news.example/list"]
    add(name, json.dumps(doc), [Expected(items[0].title, None), Expected(items[1].title, None),
                                 Expected(items[2].title, items[2].link)])
    name = "json-javascript-url"
    items = entries(name, 2)
    items[0].link = "javascript:alert(document.cookie)"
    add(name, json11(items), [Expected(items[0].title, None), Expected(items[1].title, items[1].link)],
        detail_contains=("javascript: link",))
    name = "json-broken-dates"
    items = entries(name, 4)
    for e, date in zip(items, ["yesterday", "2025-13-45T99:00:00Z", "2031-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]):
        e.published = date
    add(name, json11(items), [Expected(e.title, e.link, undated=True) for e in items])
    name = "json-top-level-array"
    add(name, json.dumps([json11_doc(entries(name, 2))]), [], outcomes=frozenset({"not_a_feed", "malformed"}))
    name = "json-empty-items"
    add(name, json11([]), [], outcomes=frozenset({"no_entries"}))
    name = "json-with-comments"
    items = entries(name, 2)
    add(name, "// generated\n" + json11(items), [], outcomes=FAIL_OUTCOMES)
    name = "json-huge-title"
    items = entries(name, 2)
    items[0].title = "Strike " + "x" * 3_000_000
    add(name, json11(items), expect(items), detail_contains=("title cut from",))
    name = "json-invalid-utf8"
    items = entries(name, 2)
    add(name, json11(items).encode().replace(b"Kharkiv", b"Khar\xff\xfekiv", 1), expect(items))
    name = "json-utf16"
    items = entries(name, 2)
    add(name, json11(items).encode("utf-16"), expect(items, exact=True))
    return docs


def _empty(base: str) -> list[HostileFeed]:
    cases = {
        "rss-empty-channel": (rss20([]).encode(), {"no_entries"}),
        "atom-no-entries": (atom([]).encode(), {"no_entries"}),
        "rdf-no-items": (rss10([]).encode(), {"no_entries"}),
        "zero-bytes": (b"", {"empty"}),
        "whitespace-only": (b" \n\t\r\n ", {"empty"}),
        "declaration-only": (b'<?xml version="1.0" encoding="utf-8"?>', {"not_a_feed", "malformed"}),
        "bare-rss": (b"<rss/>", {"no_entries", "not_a_feed"}),
        "rss-no-channel": (b'<rss version="2.0"></rss>', {"no_entries", "not_a_feed"}),
        "comment-only": (b"<!-- nothing here -->", {"not_a_feed", "malformed"}),
        "bom-only": (b"\xef\xbb\xbf", {"empty", "not_a_feed", "malformed"}),
        "nul-bytes": (b"\x00" * 64, {"empty", "not_a_feed", "malformed"}),
        "json-null": (b"null", {"not_a_feed", "malformed"}),
    }
    return [HostileFeed(f"empty-{label}", "empty", body, "application/rss+xml", outcomes=frozenset(outcomes))
            for label, (body, outcomes) in cases.items()]


@lru_cache(maxsize=None)
def bomb(megabytes: int, wbits: int = 16 + zlib.MAX_WBITS) -> bytes:
    """``megabytes`` MiB of zeros compressed (gzip by default), built without holding them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = b"\0" * (1 << 20)
    return b"".join(compressor.compress(block) for _ in range(megabytes)) + compressor.flush()


def _oversize(base: str) -> list[HostileFeed]:
    docs = [
        HostileFeed("oversize-stream-12mb", "oversize", generate="huge_feed", megabytes=12,
                    outcomes=frozenset({"too_large"}), detail_contains=("larger than",)),
        HostileFeed("oversize-stream-40mb", "oversize", generate="huge_feed", megabytes=40,
                    outcomes=frozenset({"too_large"}), detail_contains=("larger than",)),
        HostileFeed("oversize-declared-11mb", "oversize",
                    rss20(entries("oversize-declared", 1)).encode() + b"<!--" + b"x" * (11 << 20) + b"-->",
                    headers={"Content-Encoding": "identity"}, outcomes=frozenset({"too_large"}), detail_contains=("Content-Length",)),
        HostileFeed("oversize-gzip-bomb-512mb", "oversize", bomb(512), headers={"Content-Encoding": "gzip"},
                    outcomes=frozenset({"too_large"}), detail_contains=("decompressed",)),
        HostileFeed("oversize-deflate-bomb-256mb", "oversize", bomb(256, zlib.MAX_WBITS),
                    headers={"Content-Encoding": "deflate"}, outcomes=frozenset({"too_large"}),
                    detail_contains=("decompressed",)),
        HostileFeed("oversize-gzip-file-not-encoded", "oversize", bomb(64), "application/x-gzip",
                    outcomes=frozenset({"not_a_feed", "malformed"})),
        HostileFeed("oversize-gzip-inside-gzip", "oversize", gzip.compress(bomb(64), mtime=0),
                    headers={"Content-Encoding": "gzip"}, outcomes=frozenset({"not_a_feed", "malformed"})),
    ]
    # A feed of 9 MB of valid entries is under the limit: all of it must be stored.
    name = "oversize-just-under-limit"
    items = entries(name, 2)
    padding = "<!-- " + "padding " * (1_000_000) + "-->"
    docs.append(HostileFeed(name, "oversize", rss20(items).replace("</channel>", padding + "</channel>").encode(),
                            valid=expect(items)))
    return docs


def _links(base: str) -> list[HostileFeed]:
    docs = []
    relative = ["/2025/03/15/kherson-shelling", "2025/03/15/odesa-port", "../archive/sumy", "./today/zaporizhzhia",
                "?story=mykolaiv", "//cdn.hostile.example/kyiv", "  /padded/dnipro  "]
    for fmt in FORMATS:
        name = f"links-relative-{fmt}"
        feed = f"{base}/hostile/{name}"
        items = [Entry(f"Relative link {i} ({fmt})", link, guid=f"rel-{fmt}-{i}", published=DAY)
                 for i, link in enumerate(relative)]
        docs.append(HostileFeed(name, "links", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt],
                                valid=[Expected(e.title, urljoin(feed, e.link.strip())) for e in items]))
    schemes = ["javascript:void(openStory(3))", "mailto:desk@hostile.example", "data:text/html;base64,PHA+aGk8L3A+",
               "ftp://files.hostile.example/story.txt", "file:///etc/passwd", "vbscript:msgbox(1)"]
    for fmt in ("rss20", "atom", "json11"):
        for link in schemes:
            scheme = link.split(":", 1)[0]
            name = f"links-scheme-{scheme}-{fmt}"
            items = entries(name, 2)
            items[0].link = link
            docs.append(HostileFeed(name, "links", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt],
                                    valid=[Expected(items[0].title, None), Expected(items[1].title, items[1].link)],
                                    detail_contains=(f"{scheme}: link",), forbidden=(PASSWD_MARK,)))
    for fmt in ("rss20", "json11"):
        name = f"links-overlong-{fmt}"
        items = entries(name, 2)
        items[0].link = "https://news.example/" + "a" * 3000
        docs.append(HostileFeed(name, "links", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt],
                                valid=[Expected(items[0].title, None), Expected(items[1].title, items[1].link)],
                                detail_contains=("longer than",)))
        name = f"links-missing-{fmt}"
        items = entries(name, 3)
        for e in items:
            e.link = None
        docs.append(HostileFeed(name, "links", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt],
                                valid=[Expected(e.title, None, exact_title=True) for e in items],
                                detail_contains=("without a link",)))
    for fmt in ("atom", "rss10"):
        name = f"links-missing-{fmt}"
        items = entries(name, 3)
        for e in items:
            e.link = None
        docs.append(HostileFeed(name, "links", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt],
                                valid=[Expected(e.title, None, exact_title=True) for e in items]))
    name = "links-whitespace-rss20"
    items = entries(name, 2)
    body = rss20(items).replace(f"<link>{items[0].link}</link>", f"<link>\n    {items[0].link}\n  </link>")
    docs.append(HostileFeed(name, "links", body.encode(), valid=expect(items)))
    name = "links-control-chars-json11"
    items = entries(name, 2)
    items[0].link = "https://news.example/a\u0000b"
    docs.append(HostileFeed(name, "links", json11(items).encode(), CONTENT_TYPES["json11"],
                            valid=[Expected(items[0].title, None), Expected(items[1].title, items[1].link)],
                            detail_contains=("control characters",)))
    name = "links-atom-many-rels"
    items = entries(name, 2)
    body = atom(items).replace(f'<link rel="alternate" href="{items[0].link}"/>',
                               '<link rel="self" href="https://news.example/self"/>'
                               '<link rel="enclosure" href="https://cdn.example/a.mp3"/>'
                               f'<link rel="alternate" type="text/html" href="{items[0].link}"/>')
    docs.append(HostileFeed(name, "links", body.encode(), CONTENT_TYPES["atom"], valid=expect(items)))
    name = "links-bad-port-and-ipv6"
    items = entries(name, 3)
    items[0].link = "https://news.example:99999/x"
    items[1].link = "http://[::1/broken"
    docs.append(HostileFeed(name, "links", rss20(items).encode(),
                            valid=[Expected(items[0].title, None), Expected(items[1].title, None),
                                   Expected(items[2].title, items[2].link)],
                            detail_contains=("unparsable link",)))
    return docs


def _dates(base: str) -> list[HostileFeed]:
    docs = []
    variants = {
        "none": (None, None),
        "future-2031": (datetime(2031, 1, 1, tzinfo=UTC), "2031-01-01T00:00:00Z"),
        "epoch-1970": (datetime(1970, 1, 1, tzinfo=UTC), "1970-01-01T00:00:00Z"),
        "year-1900": (datetime(1900, 6, 1, tzinfo=UTC), "1900-06-01T00:00:00Z"),
        "garbage": ("Sat, 32 Mar 2025 99:99:99 XYZ", "yesterday afternoon"),
    }
    for fmt in FORMATS:
        for label, (as_date, as_text) in variants.items():
            name = f"dates-{label}-{fmt}"
            items = entries(name, 3)
            value = as_text if fmt in ("atom", "json11", "rss10") else as_date
            if label == "garbage" and fmt == "rss20":
                value = as_date
            for e in items[:2]:
                e.published = value
            docs.append(HostileFeed(name, "dates", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt],
                                    valid=[Expected(e.title, e.link, undated=True) for e in items[:2]]
                                    + expect(items[2:])))
    return docs


def _guids(base: str) -> list[HostileFeed]:
    docs = []
    for fmt in ("rss20", "atom", "json11"):
        name = f"guids-duplicate-pair-{fmt}"
        items = entries(name, 4)
        items[1].guid = items[0].guid
        docs.append(HostileFeed(name, "guids", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt],
                                valid=expect([items[0], items[2], items[3]])))
        name = f"guids-all-same-{fmt}"
        items = entries(name, 5)
        for e in items:
            e.guid = "urn:same"
        docs.append(HostileFeed(name, "guids", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt],
                                valid=expect(items[:1])))
        name = f"guids-overlong-{fmt}"
        items = entries(name, 2)
        items[0].guid = "urn:long:" + "g" * 3000
        docs.append(HostileFeed(name, "guids", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt], valid=expect(items)))
        name = f"guids-emoji-{fmt}"
        items = entries(name, 3)
        items[0].guid = "\U0001F4A5" * 999
        items[1].guid = "\U0001F4A5" * 998 + "\U0001F525"
        docs.append(HostileFeed(name, "guids", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt], valid=expect(items)))
    name = "guids-missing-duplicate-links-rss20"
    items = entries(name, 3)
    for e in items:
        e.guid = None
    items[1].link = items[0].link
    docs.append(HostileFeed(name, "guids", rss20(items).encode(), valid=expect([items[0], items[2]])))
    name = "guids-blank-rss20"
    items = entries(name, 3)
    for e in items:
        e.guid = "   "
    docs.append(HostileFeed(name, "guids", rss20(items).encode(), valid=expect(items)))
    return docs


def _laughs(base: str) -> list[HostileFeed]:
    docs = []
    lol = "\n".join(
        ['<!ENTITY lol "lol">']
        + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    )
    layouts = {
        "classic": f"<!DOCTYPE rss [\n{lol}\n]>\n",
        "one-line": "<!DOCTYPE rss [" + lol.replace("\n", "") + "]>",
        "quadratic": '<!DOCTYPE rss [<!ENTITY big "' + "B" * 200_000 + '">]>\n',
        # One declaration per line: the layout feedparser's own entity filter keeps.
        "quadratic-lines": '<!DOCTYPE rss [\n<!ENTITY big "' + "B" * 200_000 + '">\n]>\n',
        "parameter": '<!DOCTYPE rss [\n<!ENTITY % pe "<!ENTITY lol9 \'' + "lol" * 1000 + '\'>">\n%pe;\n]>\n',
        "comment-tricks": "<!DOCTYPE rss [\n<!-- ]> -->\n" + lol + "\n]>\n",
        "lowercase": "<!doctype rss [\n" + lol + "\n]>\n",
    }
    refs = {"classic": "&lol9;", "one-line": "&lol9;", "quadratic": "&big;" * 2000,
            "quadratic-lines": "&big;" * 2000, "parameter": "&lol9;",
            "comment-tricks": "&lol9;", "lowercase": "&lol9;"}
    for fmt in ("rss20", "atom"):
        for label, doctype in layouts.items():
            name = f"laughs-{label}-{fmt}"
            bomb_entry = Entry(f"Bomb {refs[label]}", f"https://news.example/{name}/bomb", guid=f"urn:{name}:bomb",
                               published=DAY + timedelta(hours=7))
            items = entries(name, 2)
            body = RENDER[fmt]([bomb_entry] + items, raw_titles=True, doctype=doctype).encode()
            docs.append(HostileFeed(name, "laughs", body, CONTENT_TYPES[fmt], valid=expect(items),
                                    forbidden=(LAUGH, "B" * 500)))
    return docs


def _xxe(base: str) -> list[HostileFeed]:
    docs = []
    for fmt in ("rss20", "atom"):
        probe = f"{base}/xxe-probe/{fmt}"
        variants = {
            "file-entity": ('<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n', "&xxe;"),
            "http-entity": (f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{probe}/entity">]>\n', "&xxe;"),
            "parameter-dtd": (f'<!DOCTYPE rss [<!ENTITY % dtd SYSTEM "{probe}/param.dtd">%dtd;]>\n', "x"),
            "external-dtd": (f'<!DOCTYPE rss SYSTEM "{probe}/external.dtd">\n', "x"),
            "public-dtd": (f'<!DOCTYPE rss PUBLIC "-//HOSTILE//DTD//EN" "{probe}/public.dtd">\n', "x"),
            "xinclude": ("", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" '
                             'parse="text"/>'),
        }
        for label, (doctype, ref) in variants.items():
            name = f"xxe-{label}-{fmt}"
            bad = Entry(f"Leak {ref}", f"https://news.example/{name}/leak", guid=f"urn:{name}:leak", published=DAY)
            items = entries(name, 2)
            body = RENDER[fmt]([bad] + items, raw_titles=True, doctype=doctype).encode()
            docs.append(HostileFeed(name, "xxe", body, CONTENT_TYPES[fmt], valid=expect(items),
                                    forbidden=(PASSWD_MARK, "XXE-PROBE-ANSWER")))
    return docs


def _content_types(base: str) -> list[HostileFeed]:
    docs = []
    for ctype in ("text/html", "text/plain", "application/octet-stream", "image/png", "application/json", "",
                  "application/rss+xml; charset=bogus-charset", "application/xml; charset=utf-16"):
        name = "ctype-rss-as-" + (ctype.replace("/", "-").replace("+", "-").replace(";", "").replace(" ", "")
                                   .replace("=", "-") or "nothing")
        items = entries(name, 2)
        docs.append(HostileFeed(name, "content_type", rss20(items).encode(), ctype, valid=expect(items)))
    name = "ctype-atom-as-text-html"
    items = entries(name, 2)
    docs.append(HostileFeed(name, "content_type", atom(items).encode(), "text/html", valid=expect(items)))
    return docs


def _mixed(base: str) -> list[HostileFeed]:
    docs = []
    name = "mixed-atom-entries-in-rss"
    items = entries(name, 2)
    atom_entries = atom(items)
    inner = atom_entries[atom_entries.index("<entry>"): atom_entries.rindex("</entry>") + 8]
    body = rss20([]).replace("</channel>", inner.replace("<entry>", '<entry xmlns="http://www.w3.org/2005/Atom">')
                             + "</channel>")
    docs.append(HostileFeed(name, "mixed", body.encode(), valid=expect(items)))
    name = "mixed-rss-items-in-atom"
    items = entries(name, 2)
    rss = rss20(items)
    inner = rss[rss.index("<item>"): rss.rindex("</item>") + 7]
    body = atom([]).replace("</feed>", inner + "</feed>")
    docs.append(HostileFeed(name, "mixed", body.encode(), CONTENT_TYPES["atom"], valid=expect(items)))
    name = "mixed-rss-with-atom-namespace"
    items = entries(name, 3)
    body = rss20(items).replace('<rss version="2.0"', '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"')
    body = body.replace("<channel>", '<channel><atom:link href="https://hostile.example/feed" rel="self"/>')
    body = body.replace("</pubDate>", "</pubDate><atom:updated>2025-03-15T12:00:00Z</atom:updated>")
    docs.append(HostileFeed(name, "mixed", body.encode(), valid=expect(items)))
    name = "mixed-rss091-netscape"
    items = entries(name, 3)
    body = rss20(items, doctype='<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
                                '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n').replace(
        'version="2.0"', 'version="0.91"')
    docs.append(HostileFeed(name, "mixed", body.encode(), valid=expect(items)))
    name = "mixed-rss092"
    items = entries(name, 2)
    docs.append(HostileFeed(name, "mixed", rss20(items).replace('version="2.0"', 'version="0.92"').encode(),
                            valid=expect(items)))
    name = "mixed-items-outside-channel"
    items = entries(name, 2)
    rss = rss20(items)
    inner = rss[rss.index("<item>"): rss.rindex("</item>") + 7]
    body = rss.replace(inner, "").replace("</channel>", "</channel>" + inner)
    docs.append(HostileFeed(name, "mixed", body.encode(), valid=expect(items)))
    name = "mixed-cdata-html"
    items = entries(name, 2)
    body = rss20(items).replace("<description>", "<description><![CDATA[<p>Shelling <b>in</b> Kherson "
                                "<script>alert(1)</script>]]>", 1)
    docs.append(HostileFeed(name, "mixed", body.encode(), valid=expect(items)))
    name = "mixed-processing-instructions"
    items = entries(name, 2)
    body = rss20(items).replace("<rss ", '<?xml-stylesheet type="text/xsl" href="style.xsl"?>\n<!-- c -->\n<rss ', 1)
    docs.append(HostileFeed(name, "mixed", body.encode(), valid=expect(items)))
    name = "mixed-uppercase-tags"
    items = entries(name, 2)
    body = rss20(items).replace("<item>", "<ITEM>").replace("</item>", "</ITEM>")
    docs.append(HostileFeed(name, "mixed", body.encode(), valid=expect(items)))
    return docs


def _text(base: str) -> list[HostileFeed]:
    docs = []
    specials = {
        "raw-nul": ("Kharkiv\x00 strike", "Kharkiv strike", "NUL"),
        "controls": ("Kharkiv\x01\x02\x07\x1b strike", "Kharkiv strike", "control character"),
        "bidi-override": ("Kharkiv \u202egnirts\u202c strike", "Kharkiv gnirts strike", "bidirectional override"),
        "zero-width": ("Khar\u200bkiv\u2060 strike\ufeff", "Kharkiv strike", "zero-width"),
        "c1-controls": ("Kharkiv\u0085\u009b strike", "Kharkiv strike", "control character"),
    }
    for fmt in FORMATS:
        for label, (raw, clean, note) in specials.items():
            name = f"text-{label}-{fmt}"
            items = entries(name, 2)
            items[0].title = raw
            body = RENDER[fmt](items, raw_titles=True) if fmt != "json11" else json11(items)
            body_bytes = body.encode("utf-8", "surrogatepass")
            docs.append(HostileFeed(name, "text", body_bytes, CONTENT_TYPES[fmt],
                                    valid=[Expected(clean, items[0].link, exact_title=fmt == "json11"),
                                           Expected(items[1].title, items[1].link)],
                                    forbidden=("\x00", "\u202e")))
    for fmt in FORMATS:
        name = f"text-huge-title-{fmt}"
        items = entries(name, 2)
        items[0].title = "Strike on Kharkiv " + "word " * 200_000
        docs.append(HostileFeed(name, "text", RENDER[fmt](items).encode(), CONTENT_TYPES[fmt], valid=expect(items),
                                detail_contains=("title cut from",)))
    name = "text-huge-summary-rss20"
    items = entries(name, 2)
    items[0].summary = "<p>" + "Shelling continued. " * 100_000 + "</p>"
    docs.append(HostileFeed(name, "text", rss20(items).encode(), valid=expect(items)))
    name = "text-zalgo-rss20"
    items = entries(name, 2)
    items[0].title = "Kharkiv" + "\u0301\u0316\u0337" * 5000
    docs.append(HostileFeed(name, "text", rss20(items).encode(), valid=expect(items)))
    name = "text-many-authors-json11"
    items = entries(name, 2)
    doc = json11_doc(items)
    doc["items"][0]["authors"] = [{"name": f"Author {i}"} for i in range(10_000)]
    docs.append(HostileFeed(name, "text", json.dumps(doc).encode(), CONTENT_TYPES["json11"], valid=expect(items)))
    name = "text-surrogates-everywhere-json11"
    items = entries(name, 2)
    doc = json11_doc(items)
    doc["items"][0]["id"] = "\ud800id"
    doc["items"][0]["authors"] = [{"name": "Ivan \udfff Petrov"}]
    doc["title"] = "\udbff"
    text = json.dumps(doc)  # ensure_ascii: the surrogates travel as \\uXXXX escapes
    docs.append(HostileFeed(name, "text", text.encode(), CONTENT_TYPES["json11"], valid=expect(items),
                            detail_contains=("lone surrogate",)))
    return docs


def _transport(base: str) -> list[HostileFeed]:
    docs = []
    name = "transport-gzip"
    items = entries(name, 3)
    docs.append(HostileFeed(name, "transport", gzip.compress(rss20(items).encode(), mtime=0),
                            headers={"Content-Encoding": "gzip"}, valid=expect(items)))
    name = "transport-deflate-zlib"
    items = entries(name, 3)
    docs.append(HostileFeed(name, "transport", zlib.compress(rss20(items).encode()),
                            headers={"Content-Encoding": "deflate"}, valid=expect(items)))
    name = "transport-deflate-raw"
    items = entries(name, 3)
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    docs.append(HostileFeed(name, "transport", raw.compress(rss20(items).encode()) + raw.flush(),
                            headers={"Content-Encoding": "deflate"}, valid=expect(items)))
    docs.append(HostileFeed("transport-brotli-unsupported", "transport", rss20(entries("br", 1)).encode(),
                            headers={"Content-Encoding": "br"}, outcomes=frozenset({"decode_error"}),
                            detail_contains=("Content-Encoding",)))
    docs.append(HostileFeed("transport-corrupt-gzip", "transport", b"\x1f\x8b\x08\x00garbage-not-deflate",
                            headers={"Content-Encoding": "gzip"}, outcomes=frozenset({"decode_error"})))
    docs.append(HostileFeed("transport-truncated-gzip", "transport",
                            gzip.compress(rss20(entries("tgz", 50)).encode(), mtime=0)[:600],
                            headers={"Content-Encoding": "gzip"}, outcomes=frozenset({"decode_error"})))
    name = "transport-redirect-to-feed"
    target = f"/hostile/{name}-target"
    items = entries(name, 2)
    docs.append(HostileFeed(name, "transport", redirect=base + target, valid=expect(items)))
    docs.append(HostileFeed(f"{name}-target", "transport", rss20(items).encode(), valid=expect(items)))
    docs.append(HostileFeed("transport-redirect-loop-a", "transport", redirect=f"{base}/hostile/transport-redirect-loop-b",
                            outcomes=frozenset({"too_many_redirects"}), detail_contains=("redirect loop",)))
    docs.append(HostileFeed("transport-redirect-loop-b", "transport", redirect=f"{base}/hostile/transport-redirect-loop-a",
                            outcomes=frozenset({"too_many_redirects"}), detail_contains=("redirect loop",)))
    docs.append(HostileFeed("transport-redirect-to-file", "transport", redirect="file:///etc/passwd",
                            outcomes=frozenset({"bad_url"}), detail_contains=("non-http(s)",)))
    docs.append(HostileFeed("transport-redirect-to-metadata", "transport",
                            redirect="http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                            outcomes=frozenset({"blocked_address"}), detail_contains=("cloud metadata",)))
    docs.append(HostileFeed("transport-redirect-to-private", "transport", redirect="http://10.0.0.1/feed.xml",
                            outcomes=frozenset({"blocked_address"}), detail_contains=("private",)))
    docs.append(HostileFeed("transport-status-204", "transport", status=204, outcomes=frozenset({"empty", "http_error"})))
    docs.append(HostileFeed("transport-status-500", "transport", status=500, outcomes=frozenset({"http_error"})))
    docs.append(HostileFeed("transport-drip-body", "transport", generate="drip_body", drip_interval=0.3,
                            outcomes=frozenset({"timeout"}), detail_contains=("in total",)))
    docs.append(HostileFeed("transport-drip-headers", "transport", generate="drip_headers", drip_interval=0.3,
                            outcomes=frozenset({"timeout"}), detail_contains=("in total",)))
    return docs


FAMILIES = (_control, _encoding, _entities, _truncated, _html, _jsonfeed, _empty, _oversize, _links, _dates,
            _guids, _laughs, _xxe, _content_types, _mixed, _text, _transport)


def corpus(base_url: str) -> list[HostileFeed]:
    """Every document, for a fixture server at ``base_url``."""
    base_url = base_url.rstrip("/")
    docs = [doc for family in FAMILIES for doc in family(base_url)]
    names = [d.name for d in docs]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, f"duplicate document names: {sorted(duplicates)}"
    return docs


def install(server, docs: list[HostileFeed]) -> None:
    """Serve ``docs`` from the fixture server (``newsfacts.fixture_server.FixtureServer``)."""
    for doc in docs:
        server.put(doc.path, doc.body, doc.content_type, status=doc.status, headers=dict(doc.headers),
                   generate=doc.generate, megabytes=doc.megabytes, drip_interval=doc.drip_interval,
                   redirect=doc.redirect)
    # What an XXE probe would receive if an external entity or DTD were ever fetched.
    for fmt in ("rss20", "atom"):
        for leaf in ("entity", "param.dtd", "external.dtd", "public.dtd"):
            server.put(f"/xxe-probe/{fmt}/{leaf}", b'XXE-PROBE-ANSWER <!ENTITY leak "XXE-PROBE-ANSWER">',
                       "text/plain")


def write_sources(docs: list[HostileFeed], base_url: str, path: Path) -> Path:
    """A sources file with one source per document (redirect targets included)."""
    lines = ["sources:"]
    for doc in docs:
        lines.append(
            f"  - {{slug: {doc.slug}, name: '{doc.name}', feed_url: '{base_url.rstrip('/')}{doc.path}', "
            "language: en, country: UA, perspective: international}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
