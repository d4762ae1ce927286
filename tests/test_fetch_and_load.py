"""fetch_and_load_articles: pages extracted as soon as they are stored (while the fetch
waits on the network) give exactly the warehouse of fetch_pages, then load_articles."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from canonical_dump import canonical_dump, dump_differences
from extractors.sources import load_sources
from fault_helpers import DAY, clean_day, clean_day_dsn, fault_env  # noqa: F401 - fixtures
from newsfacts import settings
from newsfacts.dedupe import dedupe
from newsfacts.discover import discover_archives
from newsfacts.fetch_and_load import fetch_and_load
from newsfacts.fixture_site import FixtureSite
from newsfacts.load_articles import ExtractionsAhead, _extract_page
from newsfacts.load_facts import load_facts
from newsfacts.poll import deterministic_gzip, poll_feeds
from newsfacts.run_metrics import record_metrics
from newsfacts.sync_sources import sync_sources
from newsfacts.warehouse import connect
from newsfacts.window import Window
from pipeline_helpers import run_day, scalar

WINDOW = Window.day(DAY)


def test_pages_extracted_as_they_are_stored_load_the_warehouse_of_the_stages_in_turn(fault_env, server, clean_day,
                                                                                     monkeypatch):
    # The process pool even for the fixture day's few dozen pages (the clean day had none:
    # fetch_pages, then load_articles extracting in this process).
    monkeypatch.setenv("NEWSFACTS_CPU_POOL_MIN", "1")
    monkeypatch.setenv("NEWSFACTS_CPU_WORKERS", "2")
    dsn = fault_env
    with connect(dsn) as conn:
        sync_sources(conn, load_sources(settings.sources_path()))
    poll_feeds(dsn, WINDOW, "test")
    discover_archives(dsn, WINDOW, "test")

    counts = fetch_and_load(dsn, WINDOW, "test")

    # Every page stored went to the workers during the fetch: used by load_articles, or
    # not started yet when the fetch ended and started again in load_articles' order.
    stored = counts["fetch"]["stored"]
    assert stored == scalar(dsn, "SELECT count(*) FROM raw.pages") > 20
    assert counts["load"]["extracted_ahead"] + counts["load"]["queued_at_fetch_end"] == stored
    dedupe(dsn, "test")
    load_facts(dsn, "test")
    record_metrics(dsn, WINDOW, "test")
    assert dump_differences(clean_day, canonical_dump(dsn)) == []
    # And a re-run of the day (nothing to fetch, nothing to extract) changes nothing.
    run_day(dsn, DAY)
    assert dump_differences(clean_day, canonical_dump(dsn)) == []


def _stored_pages(count: int) -> list[tuple]:
    """Fixture pages as fetch_pages stores them: (body_gzip, final_url, content_type, served_at)."""
    site = FixtureSite("http://news.test")
    served = datetime(2025, 3, 16, tzinfo=timezone.utc)
    return [(deterministic_gzip(site.routes[a.path].body), site.url(a.path), site.routes[a.path].content_type, served)
            for a in site.articles[:count]]


def _outcome(extraction: tuple) -> tuple:
    """An extraction's result without the seconds it took."""
    article, failure, verdict, _seconds, cleaned = extraction
    return article, failure, verdict, cleaned


def test_extractions_started_ahead_are_taken_once_and_those_not_started_are_left_to_the_loader():
    pages = _stored_pages(4)
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = ExtractionsAhead(pool)
        pool.submit(gate.wait)  # the only worker is busy: what is started next waits in the queue
        ahead.start(pages)
        assert ahead.forget_queued() == len(pages)
        assert ahead.result_of(pages[0]) is not None and ahead.taken == 0  # started now, by the loader
        gate.set()

        ahead.start(pages[1:] + pages[1:2])  # the same page stored twice is extracted twice
        for page in pages[1:]:
            assert _outcome(ahead.result_of(page).result()) == _outcome(_extract_page(page))
        assert _outcome(ahead.result_of(pages[1]).result()) == _outcome(_extract_page(pages[1]))
        assert ahead.taken == len(pages)
        assert ahead.forget_queued() == 0
        # A page differing only in its date is another page: not the result computed for the first.
        later = (*pages[2][:3], datetime(2025, 3, 17, tzinfo=timezone.utc))
        ahead.start(pages[2:3])
        ahead.result_of(later)
        assert ahead.taken == len(pages)
