"""Re-run extraction and everything after it for past days, from stored pages only.

After the extractor improves, ``raw.pages`` holds every page ever fetched, so a range of
days is rebuilt without a single request: each day's pages are extracted and scored for
relevance again (rows record the new ``extractor_version``; unchanged articles are not
rewritten), changed texts get new fingerprints, facts are extracted again where the text
or the facts extractor changed, and the day's metrics are recomputed.
"""

from __future__ import annotations

from datetime import date

from extractors.facts import FACTS_VERSION
from newsfacts.dedupe import dedupe
from newsfacts.load_articles import load_articles
from newsfacts.load_facts import load_facts
from newsfacts.warehouse import connect
from newsfacts.run_metrics import record_metrics
from newsfacts.window import Window


def reprocess_day(dsn: str, day: date, run_id: str) -> dict:
    window = Window.day(day)
    counts = load_articles(dsn, window, run_id, reextract=True)
    dedupe(dsn, run_id)
    with connect(dsn) as conn:
        conn.execute(
            "UPDATE core.articles SET facts_pending = true WHERE NOT facts_pending "
            "AND published_at >= %s AND published_at < %s AND facts_version IS DISTINCT FROM %s",
            (window.start, window.end, FACTS_VERSION),
        )
    counts["facts"] = load_facts(dsn, run_id)
    record_metrics(dsn, window, run_id)
    return counts
