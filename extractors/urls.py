"""URL identity: one spelling per article, whatever link the feed or page used.

Feeds hand out the same article as ``HTTPS://Example.com:443/a/?utm_source=rss#top``
and ``https://example.com/a``; keying pages and articles on the raw string would store it
twice. ``normalize_url`` keeps what identifies the resource and drops what only tracks
the reader.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "ito", "ns_mchannel",
        "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "at_medium", "at_campaign",
        "ref", "ref_src", "smid", "sr_share", "s_cid", "guccounter",
    }
)
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "oly_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_PATH = re.compile(r"(?:/amp)+/?$|^/amp(?=/)", re.IGNORECASE)
_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp)\.", re.IGNORECASE)
#: Longer URLs are not articles (sitemaps cap URLs at 2,048 characters) and would not
#: fit a btree index entry (about 2,700 bytes) of raw.links.url.
MAX_URL_BYTES = 2048
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class BadUrl(ValueError):
    """A link that cannot be fetched: not http(s), no host, or unparsable."""


def absolute_url(link: str | None, base: str | None) -> str | None:
    """Resolve ``link`` against ``base``; return ``None`` for links we must not fetch."""
    return resolve_link(link, base)[0]


def resolve_link(link: str | None, base: str | None) -> tuple[str | None, str | None]:
    """``(absolute URL, None)``, or ``(None, why not)`` for a link we must not fetch:
    ``javascript:``/``data:``/``mailto:`` and other non-http(s) schemes, links without a
    host, unparsable or over-long links. ``(None, None)`` when there is no link at all."""
    if not link or not link.strip():
        return None, None
    link = link.strip()
    try:
        joined = urljoin(base or "", link)
        parts = urlsplit(joined)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return None, f"unparsable link ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}: link" if scheme else "relative link without a base"
        return None, shown
    if not parts.hostname:
        return None, "link without a host"
    if _UNSTORABLE.search(joined):
        return None, "control characters in link"
    if len(joined.encode("utf-8", "surrogatepass")) > MAX_URL_BYTES:
        return None, f"link longer than {MAX_URL_BYTES} bytes"
    return joined, None


def normalize_url(url: str) -> str:
    """Canonical spelling of an article URL.

    Lower-cases scheme and host, drops default ports, the fragment, tracking
    parameters, ``m.``/``amp.`` host prefixes and ``/amp`` path suffixes, and the
    trailing slash of non-root paths; keeps every other query parameter, sorted.
    Raises :class:`BadUrl` for anything that is not an absolute http(s) URL, and for
    URLs with control characters or longer than :data:`MAX_URL_BYTES`.
    """
    if _UNSTORABLE.search(url):
        raise BadUrl(f"control characters in URL {url[:100]!r}")
    if len(url.encode("utf-8", "surrogatepass")) > MAX_URL_BYTES:
        raise BadUrl(f"URL longer than {MAX_URL_BYTES} bytes: {url[:100]!r}...")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise BadUrl(f"unparsable URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise BadUrl(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise BadUrl(f"URL has no host: {url!r}")
    host = _MOBILE_HOST.sub("", host)
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_PARAMS and not key.lower().startswith(_TRACKING_PREFIXES)
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def host_of(url: str) -> str:
    """The lower-cased host of ``url`` (the unit of politeness limits)."""
    return (urlsplit(url).hostname or "").lower()
