-- Rows lacking a value the pipeline must have set by now: an article's publication time
-- when its page or listing gave one, its headline or text, its duplicate group and story
-- once deduplicated, its facts version once its facts are extracted; a story or a
-- duplicate group with members but no first article or canonical.
--
-- Why: these columns are nullable only because a row exists before the later stages
-- fill them (or, for published_at, because some pages have no date: published_from =
-- none). Once a stage has marked a row done, a null in them drops the article from
-- every day, story and canonical count without an error anywhere.
--
--   psql -f sql/checks/missing_required_values.sql
SELECT 'core.articles' AS table_name, article_id AS id, problem
FROM core.articles a
CROSS JOIN LATERAL (VALUES
    (CASE WHEN a.published_at IS NULL AND a.published_from <> 'none'
          THEN 'published_at is null though published_from is ' || a.published_from END),
    (CASE WHEN btrim(a.title) = '' THEN 'title is empty' END),
    (CASE WHEN btrim(a.body_text) = '' THEN 'body_text is empty' END),
    (CASE WHEN NOT a.dedupe_pending AND a.duplicate_group_id IS NULL THEN 'duplicate_group_id is null after deduplication' END),
    (CASE WHEN NOT a.dedupe_pending AND a.story_id IS NULL THEN 'story_id is null after deduplication' END),
    (CASE WHEN NOT a.facts_pending AND a.facts_version IS NULL THEN 'facts_version is null after fact extraction' END)
) AS checks(problem)
WHERE problem IS NOT NULL
UNION ALL
SELECT 'core.stories', story_id, 'first_article_id is null though the story has ' || article_count || ' article(s)'
FROM core.stories WHERE article_count > 0 AND first_article_id IS NULL
UNION ALL
SELECT 'core.duplicate_groups', duplicate_group_id,
       'canonical_article_id is null though the group has ' || article_count || ' article(s)'
FROM core.duplicate_groups WHERE article_count > 0 AND canonical_article_id IS NULL
ORDER BY 1, 2, 3;
