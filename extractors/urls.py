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


class BadUrl(ValueError):
    """A link that cannot be fetched: not http(s), no host, or unparsable."""


def absolute_url(link: str | None, base: str | None) -> str | None:
    """Resolve ``link`` against ``base``; return ``None`` for links we must not fetch."""
    if not link:
        return None
    link = link.strip()
    joined = urljoin(base or "", link)
    if urlsplit(joined).scheme.lower() not in ("http", "https"):
        return None
    return joined


def normalize_url(url: str) -> str:
    """Canonical spelling of an article URL.

    Lower-cases scheme and host, drops default ports, the fragment, tracking
    parameters, ``m.``/``amp.`` host prefixes and ``/amp`` path suffixes, and the
    trailing slash of non-root paths; keeps every other query parameter, sorted.
    Raises :class:`BadUrl` for anything that is not an absolute http(s) URL.
    """
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
