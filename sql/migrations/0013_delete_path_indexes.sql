-- Indexes found missing by the 1M-article scale run (benchmarks/warehouse_scale.py).

-- Deleting an article (load_articles does when a changed page is no longer about the
-- war; reprocessing a range of days can do it for many) sets the canonical_article_id of
-- its duplicate group and the first_article_id of its story to null (ON DELETE SET
-- NULL). Without an index each deleted article read every group and every story: 180 ms
-- per article at 1M articles, 8 ms with these.

CREATE INDEX duplicate_groups_canonical_idx ON core.duplicate_groups (canonical_article_id);
COMMENT ON INDEX core.duplicate_groups_canonical_idx IS 'Finds the group an article is canonical of when the article is deleted (ON DELETE SET NULL).';

CREATE INDEX stories_first_article_idx ON core.stories (first_article_id);
COMMENT ON INDEX core.stories_first_article_idx IS 'Finds the story an article is the first report of when the article is deleted (ON DELETE SET NULL).';
