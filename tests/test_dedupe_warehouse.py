"""Relevance, duplicate groups, versions and stories in the warehouse, through the stages.

Ground truth comes from the demo corpus's front matter: ``war`` (relevance),
``syndicated_from`` (which articles are copies of which) and ``story`` (the event).
"""

import shutil
from datetime import date, datetime, timezone

import psycopg

from extractors.urls import normalize_url
from pipeline_helpers import rows, run_day, scalar, serve_updated

DAYS = [date(2025, 3, 14), date(2025, 3, 15), date(2025, 3, 16)]


def _url(server, article) -> str:
    return normalize_url(server.url(article.path))


def test_syndicated_copies_share_one_group_across_days_and_runs(pipeline_env, server, tmp_path):
    # One reprint appears the next day, so its run finds the original only in the warehouse.
    corpus = tmp_path / "corpus"
    shutil.copytree(server.corpus, corpus)
    reprint = corpus / "articles" / "harbor-post" / "putin-sends-trump-message-on-ukraine-truce-terms.md"
    reprint.write_text(reprint.read_text().replace("published: 2025-03-14T11:40:00Z", "published: 2025-03-15T01:40:00Z"))
    server.load(corpus)
    for day in DAYS:
        run_day(pipeline_env, day)
    by_key = {a.key: a for a in server.site.articles}
    group_of = dict(rows(pipeline_env, "SELECT url, duplicate_group_id FROM core.articles"))
    assert None not in group_of.values()
    pairs = [(a, by_key[a.syndicated_from]) for a in server.site.articles
             if a.syndicated_from and _url(server, a) in group_of and _url(server, by_key[a.syndicated_from]) in group_of]
    assert len(pairs) >= 4
    assert any(copy.published.date() != original.published.date() for copy, original in pairs), \
        "at least one copy is loaded by a later run than its original"
    for copy, original in pairs:
        assert group_of[_url(server, copy)] == group_of[_url(server, original)], copy.key
    # No false merges: every member of a group is the original or one of its copies.
    root = {_url(server, a): a.syndicated_from or a.key for a in server.site.articles}
    members: dict[int, set[str]] = {}
    for url, group in group_of.items():
        members.setdefault(group, set()).add(root.get(url, url))
    assert all(len(roots) == 1 for roots in members.values()), members


def test_groups_and_stories_know_their_first_article_and_counts(pipeline_env, server):
    for day in DAYS:
        run_day(pipeline_env, day)
    bad_groups = scalar(pipeline_env, """
        SELECT count(*) FROM core.duplicate_groups g
        JOIN LATERAL (SELECT count(*) AS n, count(DISTINCT source_id) AS outlets,
                             (array_agg(article_id ORDER BY published_at, article_id))[1] AS first
                      FROM core.articles a WHERE a.duplicate_group_id = g.duplicate_group_id) m ON true
        WHERE (g.article_count, g.outlet_count, g.canonical_article_id) IS DISTINCT FROM (m.n, m.outlets, m.first)
    """)
    assert bad_groups == 0
    bad_stories = scalar(pipeline_env, """
        SELECT count(*) FROM core.stories s
        JOIN LATERAL (SELECT count(*) AS n, min(published_at) AS first_at, max(published_at) AS last_at,
                             (array_agg(article_id ORDER BY published_at, article_id))[1] AS first
                      FROM core.articles a WHERE a.story_id = s.story_id) m ON true
        WHERE (s.article_count, s.first_published_at, s.last_published_at, s.first_article_id)
              IS DISTINCT FROM (m.n, m.first_at, m.last_at, m.first)
    """)
    assert bad_stories == 0
    # Copies are one story; a story stays within a few days of its first report.
    assert scalar(pipeline_env, "SELECT count(*) FROM (SELECT duplicate_group_id FROM core.articles "
                                "GROUP BY 1 HAVING count(DISTINCT story_id) > 1) x") == 0
    # An article joins a story by similarity only within a day of the story's first report
    # (copies follow their group's story whenever they appeared).
    assert scalar(pipeline_env, """
        SELECT max(a.published_at - s.first_published_at) FROM core.articles a JOIN core.stories s USING (story_id)
        WHERE a.story_similarity IS NOT NULL""") <= datetime(2025, 1, 2) - datetime(2025, 1, 1)
    # Wire stories reported by several outlets became multi-outlet stories.
    assert scalar(pipeline_env, "SELECT count(*) FROM core.stories WHERE outlet_count >= 3") >= 2


def test_lookups_are_index_scans_on_the_bands(pipeline_env, server):
    run_day(pipeline_env, DAYS[0])
    plan = "\n".join(r[0] for r in rows(pipeline_env, """
        EXPLAIN SELECT l.article_id FROM core.article_lsh_bands l WHERE l.band = 3 AND l.bucket = 42
        ORDER BY l.article_id DESC LIMIT 50"""))
    assert "Index" in plan and "Seq Scan" not in plan, plan


def test_irrelevant_articles_stay_raw_and_are_counted(pipeline_env, server, monkeypatch):
    day = DAYS[1]
    off_topic = {_url(server, a) for a in server.site.articles if a.published.date() == day and not a.war}
    off_topic.add(normalize_url(server.url("/danube-herald/2025/03/15/galati-shipyard-river-cruise-contract.html")))
    summaries = run_day(pipeline_env, day)
    assessed = dict(rows(pipeline_env, "SELECT l.url, r.relevant FROM raw.relevance_assessments r JOIN raw.links l USING (link_id)"))
    skipped = {u for (u,) in rows(pipeline_env, "SELECT url FROM raw.links WHERE fetch_outcome = 'skipped_irrelevant'")}
    assert off_topic <= {u for u, relevant in assessed.items() if not relevant} | skipped
    assert not off_topic & {u for (u,) in rows(pipeline_env, "SELECT url FROM core.articles")}
    assert sum(s.articles_irrelevant + s.entries_skipped for s in summaries) == len(off_topic)
    reasons = rows(pipeline_env, "SELECT reasons FROM raw.relevance_assessments WHERE NOT relevant")
    assert reasons and all(r[0] for r in reasons)

    # A stricter threshold (configuration) moves borderline articles out of core on reprocessing.
    loaded = scalar(pipeline_env, "SELECT count(*) FROM core.articles")
    lowest = scalar(pipeline_env, "SELECT min(relevance_score) FROM core.articles")
    monkeypatch.setenv("NEWSFACTS_RELEVANCE_THRESHOLD", str(lowest + 1e-4))
    run_day(pipeline_env, day, reextract=True)
    assert scalar(pipeline_env, "SELECT count(*) FROM core.articles") < loaded
    assert scalar(pipeline_env, "SELECT min(relevance_score) FROM core.articles") > lowest
    assert scalar(pipeline_env, "SELECT count(*) FROM core.duplicate_groups WHERE article_count > 0 "
                                "AND canonical_article_id IS NULL") == 0


def test_an_updated_article_is_a_new_version_in_the_same_group_and_story(pipeline_env, server, tmp_path):
    run_day(pipeline_env, DAYS[1])
    article = next(a for a in server.site.articles
                   if a.published.date() == DAYS[1] and a.outlet == "kyiv-ledger" and a.war and not a.updated)
    url = _url(server, article)
    (before,) = rows(pipeline_env, "SELECT article_id, duplicate_group_id, story_id FROM core.articles WHERE url = %s", url)

    serve_updated(server, tmp_path, article, "\nThis article was updated with the regional governor's latest figures.\n")
    run_day(pipeline_env, DAYS[2])

    (after,) = rows(pipeline_env, "SELECT article_id, duplicate_group_id, story_id FROM core.articles WHERE url = %s", url)
    assert after == before
    versions = rows(pipeline_env, "SELECT version, loaded_window FROM core.article_versions WHERE article_id = %s "
                                  "ORDER BY version", before[0])
    assert versions == [(1, datetime(2025, 3, 15, tzinfo=timezone.utc)), (2, datetime(2025, 3, 16, tzinfo=timezone.utc))]
    assert scalar(pipeline_env, "SELECT f.text_sha256 = a.text_sha256 FROM core.article_fingerprints f "
                                "JOIN core.articles a USING (article_id) WHERE a.article_id = %s", before[0])


def _placement(dsn: str) -> tuple:
    """Groups and stories as sets of URLs, with each article's similarities and each
    group's and story's first article and counts (by URL, not by surrogate id)."""
    articles = rows(dsn, "SELECT url, duplicate_group_id, story_id, duplicate_of_similarity, story_similarity "
                         "FROM core.articles ORDER BY url")
    groups: dict[int, set] = {}
    stories: dict[int, set] = {}
    for url, group, story, _, _ in articles:
        groups.setdefault(group, set()).add(url)
        stories.setdefault(story, set()).add(url)
    summaries = rows(dsn, """
        SELECT 'group', c.url, g.article_count, g.outlet_count FROM core.duplicate_groups g
        JOIN core.articles c ON c.article_id = g.canonical_article_id
        UNION ALL
        SELECT 'story', f.url, s.article_count, s.outlet_count FROM core.stories s
        JOIN core.articles f ON f.article_id = s.first_article_id
        ORDER BY 1, 2""")
    return ({frozenset(g) for g in groups.values()}, {frozenset(s) for s in stories.values()},
            [(url, group_similarity, story_similarity) for url, _, _, group_similarity, story_similarity in articles],
            summaries)


def test_one_article_per_batch_or_all_in_one_place_them_alike(pipeline_env, server, monkeypatch):
    """A batch's articles are written to core.articles when it ends and its new groups are
    created then; until then the lookups consult the batch's own placements. Batches of
    one article (every placement written before the next lookup) and one batch for three
    days give the same groups, stories, similarities and first articles."""
    import newsfacts.dedupe

    monkeypatch.setattr(newsfacts.dedupe, "BATCH", 1)
    for day in DAYS:
        run_day(pipeline_env, day)
    one_by_one = _placement(pipeline_env)
    assert scalar(pipeline_env, "SELECT count(*) FROM core.articles WHERE duplicate_of_similarity IS NOT NULL") >= 4
    assert scalar(pipeline_env, "SELECT count(*) FROM core.stories WHERE article_count > 1") >= 5

    with psycopg.connect(pipeline_env) as conn:
        conn.execute("UPDATE core.articles SET duplicate_group_id = NULL, duplicate_of_similarity = NULL, "
                     "story_id = NULL, story_similarity = NULL, dedupe_pending = true")
        for table in ("core.article_lsh_bands", "core.article_fingerprints", "core.duplicate_groups", "core.stories"):
            conn.execute(f"DELETE FROM {table}")
    monkeypatch.setattr(newsfacts.dedupe, "BATCH", 1000)
    counts = newsfacts.dedupe.dedupe(pipeline_env, "all-at-once")
    assert counts["new"] + counts["exact"] + counts["near"] == len(one_by_one[2])
    assert _placement(pipeline_env) == one_by_one
