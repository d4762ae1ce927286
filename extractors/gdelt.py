"""The GDELT DOC 2.0 API as an archive of which articles an outlet published when.

``mode=artlist`` returns at most 250 articles per call, newest first, for a query and a
time span; a busy outlet's day holds more than that, so :func:`halves` splits a span
until every call comes back under the cap. GDELT answers errors in every shape —
HTTP 429, a plain-text sentence with status 200, an empty body, JSON cut off halfway —
and :func:`parse_artlist` turns each into a :class:`GdeltError` with a reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from extractors.urls import absolute_url

DEFAULT_ENDPOINT = "https://api.gdeltproject.org/api/v2/doc/doc"
MAX_RECORDS = 250
#: GDELT's own resolution is 15 minutes; a span is never split below that.
SMALLEST_SPAN = timedelta(minutes=15)
#: Terms that put an article in scope for discovery; relevance is judged later on the text.
WAR_QUERY = (
    "(Ukraine OR Ukrainian OR Kyiv OR Kiev OR Russia OR Russian OR Kremlin OR Moscow "
    "OR Zelensky OR Zelenskyy OR Putin)"
)


class GdeltError(Exception):
    """GDELT did not return a usable article list. ``retry`` says if trying again may help."""

    def __init__(self, reason: str, message: str, retry: bool):
        super().__init__(message)
        self.reason, self.retry = reason, retry


@dataclass(frozen=True)
class GdeltArticle:
    url: str
    title: str
    seen_at: datetime | None
    domain: str


def _stamp(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")


def query_url(endpoint: str, query: str, start: datetime, end: datetime, max_records: int = MAX_RECORDS) -> str:
    """The artlist request for ``query`` over ``[start, end)``.

    GDELT's enddatetime is inclusive at second resolution, so one second is taken off.
    """
    params = {
        "query": query,
        "mode": "artlist",
        "format": "json",
        "maxrecords": str(max_records),
        "sort": "datedesc",
        "startdatetime": _stamp(start),
        "enddatetime": _stamp(end - timedelta(seconds=1)),
    }
    return f"{endpoint}?{urlencode(params)}"


def outlet_query(domain: str | None, terms: str = WAR_QUERY) -> str:
    return f"{terms} domainis:{domain}" if domain else terms


def _seen(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def parse_artlist(body: bytes) -> list[GdeltArticle]:
    """Articles of an artlist response; raises :class:`GdeltError` for anything else."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        raise GdeltError("empty", "empty response from GDELT", retry=True)
    if not text.startswith(("{", "[")):
        # GDELT reports bad queries and rate limits as a plain sentence with status 200.
        sentence = " ".join(text.split())[:200]
        transient = any(w in sentence.lower() for w in ("limit", "try again", "timeout", "busy"))
        raise GdeltError("error_message", f"GDELT said: {sentence}", retry=transient)
    try:
        doc = json.loads(text, strict=False)
    except ValueError as exc:
        raise GdeltError("malformed", f"truncated or invalid JSON from GDELT: {exc}", retry=True) from None
    if not isinstance(doc, dict):
        raise GdeltError("malformed", "GDELT JSON is not an object", retry=False)
    articles = []
    for item in doc.get("articles") or []:
        if not isinstance(item, dict):
            continue
        url = absolute_url(str(item.get("url") or ""), None)
        if url:
            articles.append(
                GdeltArticle(url, str(item.get("title") or "")[:1000], _seen(item.get("seendate")),
                             str(item.get("domain") or ""))
            )
    return articles


def halves(start: datetime, end: datetime) -> list[tuple[datetime, datetime]] | None:
    """Split a span that hit the cap in two, or ``None`` if it cannot get smaller."""
    if end - start <= SMALLEST_SPAN:
        return None
    middle = start + (end - start) / 2
    middle = middle.replace(second=0, microsecond=0)
    if middle <= start:
        return None
    return [(start, middle), (middle, end)]
