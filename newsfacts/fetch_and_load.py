"""Stages 3 and 4 as one task: fetch the window's pages, extracting each as soon as it is stored.

Fetching a day is mostly waiting (every answer takes its time, an outlet gets two
requests at a time) and extraction is all CPU: run one after the other, the cores idle
through the fetch. So this task runs :func:`~newsfacts.fetch_pages.fetch_pages` with a
process pool beside it: every batch of pages it commits is handed to the pool at once
(:class:`~newsfacts.load_articles.ExtractionsAhead`), and
:func:`~newsfacts.load_articles.load_articles`, run next with the same pool, finds most
pages already extracted.

Both stages run unchanged and in that order — their own transactions, locks, batches and
pause points — and extraction is a pure function of the stored page, so the warehouse is
the one fetch_pages then load_articles give; only the extraction happens earlier. A fetch
that fails fails the task before anything is loaded, and the retry resumes where the
fetch stopped (stored pages are not fetched again).
"""

from __future__ import annotations

import logging
import time

from newsfacts.errors import plain_errors
from newsfacts.fetch_pages import fetch_pages
from newsfacts.load_articles import ExtractionsAhead, load_articles
from newsfacts.parallel import cpu_pool
from newsfacts.warehouse import connect
from newsfacts.window import Window

log = logging.getLogger(__name__)

#: The window's links still to fetch or to extract: what the pool may get to do.
_WORK = """
SELECT count(*) FROM raw.links
WHERE window_start = %s AND (fetch_outcome IS NULL OR extract_outcome IS NULL)
"""


@plain_errors
def fetch_and_load(dsn: str, window: Window, run_id: str, *, retry_failed: bool = False,
                   reextract: bool = False) -> dict:
    """fetch_pages, then load_articles, the pages' extraction started as they are stored;
    the two stages' counts (and how long each took) for XCom."""
    with connect(dsn) as conn:
        work = conn.execute(_WORK, (window.start,)).fetchone()[0]
    with cpu_pool(work, preload=("newsfacts.load_articles",)) as pool:
        ahead = None
        if pool is not None:
            # Start the workers now, while this process has one thread: forked before the
            # fetch threads exist, they cannot inherit a lock one of those holds.
            pool.submit(int).result()
            ahead = ExtractionsAhead(pool)
        started = time.perf_counter()
        fetched = fetch_pages(dsn, window, run_id, retry_failed=retry_failed,
                              on_stored=ahead.start if ahead is not None else None)
        fetched["seconds"] = round(time.perf_counter() - started, 3)
        queued = ahead.forget_queued() if ahead is not None else 0
        started = time.perf_counter()
        loaded = load_articles(dsn, window, run_id, reextract=reextract, ahead=ahead)
        loaded["seconds"] = round(time.perf_counter() - started, 3)
    loaded["extracted_ahead"] = ahead.taken if ahead is not None else 0
    loaded["queued_at_fetch_end"] = queued
    log.info("fetched %s, loaded %s", fetched, loaded)
    return {"fetch": fetched, "load": loaded}
