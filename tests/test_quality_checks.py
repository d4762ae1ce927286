"""The data-quality checks of sql/checks: silent on a clean warehouse loaded from the demo
corpus, and each one failing, readably, on the fault it exists to catch (and only that
check, so a failure points at one problem)."""

from datetime import date

import psycopg
import pytest

from conftest import DEMO_DAYS
from newsfacts import queries
from newsfacts.poll import GOOD_POLL
from newsfacts.quality import CHECKS_DIR, DataQualityError, check_names, check_warehouse, latest_run_window, run_checks
from newsfacts.window import Window

WINDOWS = [Window.day(day) for day in DEMO_DAYS]


def execute(dsn: str, *statements: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def test_every_check_says_what_it_checks_and_why():
    assert len(check_names()) >= 7
    for name in check_names():
        text = (CHECKS_DIR / f"{name}.sql").read_text()
        assert len(queries.question(name, CHECKS_DIR)) > 40, name
        assert "\n-- Why: " in text, name
        assert queries.variables(name, CHECKS_DIR) <= {"window_start", "window_end", "stale_days"}, name
        assert "now()" not in text and "current_" not in text, f"{name} reads the clock"


def test_freshness_counts_the_same_polls_as_the_pipeline():
    text = (CHECKS_DIR / "stale_sources.sql").read_text()
    assert all(f"'{outcome}'" in text for outcome in GOOD_POLL)


def test_a_clean_demo_warehouse_passes_every_check(demo_warehouse):
    windowed = sum(1 for name in check_names() if queries.variables(name, CHECKS_DIR) & {"window_start", "window_end"})
    assert check_warehouse(demo_warehouse, WINDOWS) == windowed * len(WINDOWS) + len(check_names()) - windowed
    assert latest_run_window(demo_warehouse) == WINDOWS[-1]


def _source(slug: str) -> str:
    return f"(SELECT source_id FROM core.sources WHERE slug = '{slug}')"


#: check -> (statements that break the warehouse the way the check exists to notice,
#:           what the failure must name)
FAULTS = {
    "stale_sources": (
        # Danube Herald's feed polled fine for a week before the 14th, yet not one war article.
        [f"INSERT INTO raw.feed_polls (source_id, window_start, window_end, outcome) "
         f"SELECT {_source('danube-herald')}, d, d + interval '1 day', 'ok' "
         f"FROM generate_series(timestamptz '2025-03-08', '2025-03-13', interval '1 day') d"],
        "source=danube-herald, good_poll_days=7",
    ),
    "articles_differ_from_run_metrics": (
        ["UPDATE ops.run_metrics SET articles_new = articles_new + 2 "
         f"WHERE window_start = '2025-03-15' AND source_id = {_source('kyiv-ledger')}"],
        "source=kyiv-ledger",
    ),
    "missing_required_values": (
        ["UPDATE core.articles SET published_at = NULL WHERE article_id = "
         "(SELECT min(article_id) FROM core.articles WHERE published_from = 'page')"],
        "published_at is null though published_from is page",
    ),
    "orphaned_rows": (
        # A bulk load with triggers off (as pg_restore --disable-triggers does) skips the keys.
        ["SET session_replication_role = replica",
         "INSERT INTO core.quotes (article_id, quote_text, direct, start_offset, end_offset, sentence_start, "
         "sentence_end, extractor_version) VALUES (987654321, 'We will not retreat.', true, 0, 20, 0, 22, 'facts-1')"],
        "article 987654321 does not exist",
    ),
    "articles_without_source_page": (
        ["UPDATE core.articles a SET page_id = (SELECT max(p.page_id) FROM raw.pages p WHERE p.link_id <> a.link_id) "
         "WHERE article_id = (SELECT min(article_id) FROM core.articles)"],
        "belongs to link",
    ),
    "duplicate_canonical_articles": (
        # The same article at two URLs that deduplication failed to merge.
        ["UPDATE core.articles SET canonical_url = (SELECT canonical_url FROM core.articles a "
         "JOIN core.duplicate_groups g ON g.canonical_article_id = a.article_id ORDER BY a.article_id LIMIT 1) "
         "WHERE article_id = (SELECT max(canonical_article_id) FROM core.duplicate_groups)"],
        "problem=same canonical URL",
    ),
    "events_without_source_sentence": (
        ["UPDATE core.events SET sentence = 'Nothing happened.' WHERE event_id = (SELECT min(event_id) FROM core.events)"],
        "not the sentence",
    ),
}


def test_every_check_has_a_fault_test():
    assert set(FAULTS) == set(check_names())


@pytest.mark.parametrize("check", sorted(FAULTS))
def test_each_check_fails_readably_on_its_fault_and_only_that_check(demo_warehouse, check):
    statements, named = FAULTS[check]
    execute(demo_warehouse, *statements)
    with pytest.raises(DataQualityError) as raised:
        check_warehouse(demo_warehouse, WINDOWS)
    assert [f.check for f in raised.value.failures] == [check]
    message = str(raised.value)
    assert message.startswith("1 data-quality check(s) failed:")
    assert f"* {check}" in message and "offending row(s)" in message
    assert queries.question(check, CHECKS_DIR) in message  # what the check is about, in words
    assert named in message  # and an offending row that points at the fault


def test_failures_are_all_reported_at_once_with_a_few_example_rows(demo_warehouse):
    execute(
        demo_warehouse,
        "UPDATE core.events SET sentence = '' WHERE event_id IN (SELECT event_id FROM core.events ORDER BY event_id LIMIT 5)",
        "UPDATE ops.run_metrics SET articles_new = articles_new + 1 WHERE window_start = '2025-03-16'",
    )
    runs, failures = run_checks(demo_warehouse, WINDOWS)
    assert {f.check for f in failures} == {"events_without_source_sentence", "articles_differ_from_run_metrics"}
    events = next(f for f in failures if f.check == "events_without_source_sentence")
    assert events.rows == 5 and len(events.examples) == 3
    assert all(example["problem"] == "the sentence is empty" for example in events.examples)
    metrics = next(f for f in failures if f.check == "articles_differ_from_run_metrics")
    assert "2025-03-16" in metrics.scope  # only the window that was tampered with


def test_freshness_is_measured_back_from_the_window_end(demo_warehouse):
    def stale(day, days):
        failures = run_checks(demo_warehouse, [Window.day(day)], freshness_days=days)[1]
        return [e["source"] for f in failures if f.check == "stale_sources" for e in f.examples]

    # The Danube Herald's only war article of the demo days is on the 15th; its feed polled fine on the 14th.
    assert stale(date(2025, 3, 14), days=1) == ["danube-herald"]
    assert stale(date(2025, 3, 15), days=1) == []
    # The 13th was never run: a day without a recorded poll is no evidence of silence.
    assert stale(date(2025, 3, 14), days=2) == []


def test_checks_cannot_change_the_warehouse(demo_warehouse, tmp_path, monkeypatch):
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "sneaky.sql").write_text("-- Takes an article id it should only read.\n--\n-- Why: to prove it cannot.\n"
                                       "SELECT nextval('core.articles_article_id_seq') AS taken;\n")
    monkeypatch.setattr("newsfacts.quality.CHECKS_DIR", checks)
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        run_checks(demo_warehouse, WINDOWS)
