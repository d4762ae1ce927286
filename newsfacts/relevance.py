"""The relevance verdicts the stages apply, with the configured threshold.

The scoring itself is :mod:`extractors.relevance`; this module only reads the settings
and turns a verdict into what the warehouse records.
"""

from __future__ import annotations

from extractors.relevance import Relevance, score_article, worth_fetching
from newsfacts import settings

SKIPPED = "skipped_irrelevant"


def prefetch_verdict(title: str | None, summary: str | None) -> tuple[str | None, str | None]:
    """``(fetch_outcome, fetch_detail)`` for a new link: ``(None, None)`` to fetch it, or
    recorded as skipped when its title and summary show no sign of the war."""
    if not settings.prefetch_filter() or worth_fetching(title or "", summary or ""):
        return None, None
    return SKIPPED, "not fetched: title and summary show no sign of the war"


def assess(title: str, text: str, language: str | None) -> Relevance:
    return score_article(title, text, language, threshold=settings.relevance_threshold())
