"""news_nightly through Airflow itself (dag.test), against the fixture server and a
fresh PostgreSQL: what a user gets from `make demo`, and what a rerun does."""

from datetime import date

import pytest

from extractors.sources import load_sources
from newsfacts import airflow_local, settings
from pipeline_helpers import rows, scalar, snapshot, state_differences

pytestmark = pytest.mark.airflow
DAY = date(2025, 3, 15)


@pytest.fixture(scope="session")
def airflow_db():
    airflow_local.migrate_metadata_db()


def test_news_nightly_loads_a_day_and_a_rerun_changes_nothing(airflow_db, pipeline_env, server):
    assert airflow_local.run_dag("news_nightly", DAY) == "success"
    # The day's war articles, plus the Danube Herald's war story (its other item is off-topic).
    expected = sum(1 for a in server.site.articles if a.published.date() == DAY and a.war) + 1
    assert scalar(pipeline_env, "SELECT count(*) FROM core.articles") == expected
    assert scalar(pipeline_env, "SELECT count(*) FROM core.articles WHERE duplicate_group_id IS NULL "
                                "OR story_id IS NULL OR dedupe_pending") == 0
    outlets = scalar(pipeline_env, "SELECT count(DISTINCT source_id) FROM core.articles")
    assert outlets >= 6
    metrics = dict(rows(pipeline_env, "SELECT s.slug, m.articles_new FROM ops.run_metrics m JOIN core.sources s USING (source_id)"))
    configured = len(load_sources(settings.sources_path()))
    assert len(metrics) == configured and sum(metrics.values()) == expected
    assert scalar(pipeline_env, "SELECT count(DISTINCT run_id) FROM ops.run_metrics WHERE run_id LIKE 'manual__%%'") == 1

    before = snapshot(pipeline_env)
    assert airflow_local.run_dag("news_nightly", DAY) == "success"
    assert state_differences(before, snapshot(pipeline_env)) == []


def test_news_nightly_fails_when_every_source_fails(airflow_db, pipeline_env, server, tmp_path, monkeypatch):
    broken = tmp_path / "sources.yml"
    broken.write_text(
        "sources:\n"
        f"  - {{slug: gone, name: Gone, feed_url: '{server.url('/steppe-times/feed.xml')}', language: en, country: KZ, perspective: asian}}\n"
    )
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(broken))
    assert airflow_local.run_dag("news_nightly", DAY) == "failed"
    assert rows(pipeline_env, "SELECT poll_outcome, poll_detail FROM ops.run_metrics") == [("http_error", "HTTP 404 Not Found")]
