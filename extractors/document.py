"""One document in, one JSON-ready dict out: what ``newsfacts extract`` prints.

A document is either a saved HTML page (with the URL it was served at) or plain text
(first line the headline, with a publication date). Both go through the same steps
the pipeline applies, so the CLI shows exactly what the warehouse would hold.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from extractors.article import Article, ExtractionError, extract_article
from extractors.facts import extract_facts, facts_json
from extractors.relevance import DEFAULT_THRESHOLD, score_article
from extractors.urls import BadUrl, normalize_url


class DocumentError(ValueError):
    """The input document is unusable (bad date, no text...)."""


def _plain_article(text: str, published: date | datetime | None, url: str | None) -> Article:
    text = text.replace("\x00", "")
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise DocumentError("empty text")
    title, body = lines[0], "\n\n".join(lines[1:])
    if isinstance(published, date) and not isinstance(published, datetime):
        published = datetime(published.year, published.month, published.day, tzinfo=timezone.utc)
    canonical = None
    if url:
        try:
            canonical = normalize_url(url)
        except BadUrl:
            canonical = None
    return Article(
        url=url or "",
        canonical_url=canonical or "",
        title=title[:1000],
        authors=[],
        published_at=published,
        language=None,
        text=body,
        top_image_url=None,
        description=None,
    )


def parse_published(value: str | None) -> datetime | None:
    """``YYYY-MM-DD`` or an ISO 8601 timestamp, as an aware UTC datetime."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DocumentError(f"published must be YYYY-MM-DD or ISO 8601, got {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def analyze(
    *,
    doc_id: object = None,
    html: str | bytes | None = None,
    text: str | None = None,
    url: str | None = None,
    published: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> dict:
    """Analyse one document; failures come back as ``{"id": ..., "error": reason}``."""
    try:
        if html is not None:
            article = extract_article(html, url or "")
            if article.published_at is None and published:
                article.published_at = parse_published(published)
        elif text is not None:
            article = _plain_article(text, parse_published(published), url)
        else:
            raise DocumentError("document has neither html nor text")
    except (ExtractionError, DocumentError) as exc:
        return {"id": doc_id, "error": str(exc)}
    result = {"id": doc_id}
    result.update(article.to_json())
    result["url"] = url
    result["canonical_url"] = article.canonical_url or None
    relevance = score_article(article.title, article.text, article.language, threshold=threshold)
    result["relevance"] = {"score": relevance.score, "relevant": relevance.relevant, "reasons": list(relevance.reasons)}
    result.update(facts_json(extract_facts(article.title, article.text, article.published_at)))
    return result
