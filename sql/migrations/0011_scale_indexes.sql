-- What the warehouse needs at a million articles and more (measured with
-- benchmarks/warehouse_scale.py, see benchmarks/README.md).
--
-- 1. Statistics of the per-article fact tables. Facts are written article by article, so
--    the rows of one article sit together on disk and ANALYZE's sample sees the same
--    article_id again and again: at 1M articles it estimated 88 thousand distinct articles
--    in core.mentions (25 mentions each, not 288) and 193 thousand in core.events (6 each,
--    not 31). Joins from a week of articles to their facts were then costed ten times too
--    high, over the JIT threshold: coverage_by_perspective.sql spent 1.0 s compiling and
--    0.1 s running. The number of distinct articles is a share of the rows (one article
--    has about 25 mentions, 3 quotes, 6 events, 36 LSH rows), so it is given as one.
--    It takes effect at the next ANALYZE (done here for those columns).

ALTER TABLE core.mentions ALTER COLUMN article_id SET (n_distinct = -0.04);
ALTER TABLE core.quotes ALTER COLUMN article_id SET (n_distinct = -0.3);
ALTER TABLE core.events ALTER COLUMN article_id SET (n_distinct = -0.15);
ALTER TABLE core.article_lsh_bands ALTER COLUMN article_id SET (n_distinct = -0.025);
ANALYZE core.mentions (article_id);
ANALYZE core.quotes (article_id);
ANALYZE core.events (article_id);
ANALYZE core.article_lsh_bands (article_id);

-- 2. No JIT compilation for this database's sessions. The planner compiles a query when
--    its estimated cost passes jit_above_cost (100,000) and optimises and inlines it past
--    500,000, and the cost of a query joining a week of articles to their facts through
--    correlated EXISTS sub-plans passes both even with the statistics above: 0.8-1.0 s of
--    compilation for 0.13 s of execution (coverage_by_perspective.sql). Compiled or not,
--    every example query and every mart refresh took the same time within noise at 1M
--    articles, so JIT buys nothing here. A session may still SET jit = on.

DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$$;

-- 3. The links a night's run works on, without reading every link ever found.
--    load_articles picks the fetched links not yet extracted (of its day, or fetched by its
--    run): with an OR over an EXISTS it read all of raw.links, 3.1 s cold at 1.6 million
--    links. fetch_pages picks the window's unfetched links OR any fetched link whose feed
--    now claims a newer update: a sequential scan of raw.links, 0.8 s. Both partial
--    indexes hold only the links still waiting for a stage (a few thousand at most), and
--    the planner combines the second with links_window_idx in a BitmapOr.

CREATE INDEX links_unextracted_idx ON raw.links (link_id)
    WHERE fetch_outcome = 'ok' AND extract_outcome IS NULL;
COMMENT ON INDEX raw.links_unextracted_idx IS 'Fetched links not yet extracted: what load_articles picks (newsfacts/load_articles.py _pending).';

CREATE INDEX links_update_claimed_idx ON raw.links (link_id)
    WHERE fetch_outcome = 'ok' AND claimed_updated_at > coalesce(fetched_claimed_update, '-infinity');
COMMENT ON INDEX raw.links_update_claimed_idx IS 'Fetched links whose feed claims an update newer than the fetched one: fetched again by fetch_pages (_links_to_fetch).';
