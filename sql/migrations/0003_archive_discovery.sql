-- Backfilling past days: archive discovery (sitemaps, GDELT), feed coverage, exact day
-- windows, per-host pacing shared by concurrent runs.

ALTER TABLE raw.feed_polls
    ADD COLUMN oldest_entry_at timestamptz,
    ADD COLUMN newest_entry_at timestamptz;
COMMENT ON COLUMN raw.feed_polls.oldest_entry_at IS 'Publication time of the oldest dated entry the feed held (for a 304, that of the last document read). With served_at it bounds the span the feed covers.';
COMMENT ON COLUMN raw.feed_polls.newest_entry_at IS 'Publication time of the newest dated entry the feed held.';

CREATE TABLE raw.discoveries (
    url                  text NOT NULL,
    method               text NOT NULL CHECK (method IN ('sitemap', 'gdelt')),
    source_id            integer NOT NULL REFERENCES core.sources,
    fetch_url            text NOT NULL,
    claimed_published_at timestamptz,
    title                text,
    listed_in            text NOT NULL,
    found_for_window     timestamptz NOT NULL,
    PRIMARY KEY (url, method)
);
CREATE INDEX discoveries_source_claimed_idx ON raw.discoveries (source_id, claimed_published_at);
COMMENT ON TABLE raw.discoveries IS 'Article URLs found in archives (sitemaps, GDELT) rather than in feeds; feed items are in raw.feed_entries.';
COMMENT ON COLUMN raw.discoveries.url IS 'Normalised URL of the article.';
COMMENT ON COLUMN raw.discoveries.method IS 'Where it was found: sitemap or gdelt.';
COMMENT ON COLUMN raw.discoveries.source_id IS 'Outlet whose archive listed it.';
COMMENT ON COLUMN raw.discoveries.fetch_url IS 'URL as listed, which is what gets requested.';
COMMENT ON COLUMN raw.discoveries.claimed_published_at IS 'Date the listing gave: news:publication_date or lastmod for sitemaps, the time GDELT first saw it.';
COMMENT ON COLUMN raw.discoveries.title IS 'Title given by the listing, if any.';
COMMENT ON COLUMN raw.discoveries.listed_in IS 'The sitemap URL or GDELT request that listed it.';
COMMENT ON COLUMN raw.discoveries.found_for_window IS 'Start of the run window whose discovery found it first.';

CREATE TABLE raw.discovery_attempts (
    source_id    integer NOT NULL REFERENCES core.sources,
    window_start timestamptz NOT NULL,
    method       text NOT NULL CHECK (method IN ('sitemap', 'gdelt')),
    outcome      text NOT NULL,
    detail       text,
    requests     integer NOT NULL DEFAULT 0,
    urls_found   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (source_id, window_start, method)
);
COMMENT ON TABLE raw.discovery_attempts IS 'One archive discovery per source, window and method: what it read, what it found, or why it failed.';
COMMENT ON COLUMN raw.discovery_attempts.source_id IS 'The outlet.';
COMMENT ON COLUMN raw.discovery_attempts.window_start IS 'Start of the run window.';
COMMENT ON COLUMN raw.discovery_attempts.method IS 'sitemap or gdelt.';
COMMENT ON COLUMN raw.discovery_attempts.outcome IS 'ok (possibly with problems in detail), or the failure: no_sitemaps, http_error, timeout, too_large, malformed, error_message, empty, ...';
COMMENT ON COLUMN raw.discovery_attempts.detail IS 'Readable reason of a failure, or the problems met on the way (a sitemap loop, a broken child sitemap, dropped implausible dates).';
COMMENT ON COLUMN raw.discovery_attempts.requests IS 'HTTP requests made (robots.txt, sitemaps, API calls).';
COMMENT ON COLUMN raw.discovery_attempts.urls_found IS 'Candidate article URLs found for the window.';

ALTER TABLE raw.links ADD COLUMN discovered_via text NOT NULL DEFAULT 'feed'
    CHECK (discovered_via IN ('feed', 'sitemap', 'gdelt'));
COMMENT ON COLUMN raw.links.discovered_via IS 'How the link was found first: feed, sitemap or gdelt.';
COMMENT ON COLUMN raw.links.window_start IS 'Start of the UTC day the article belongs to: the day of the page''s own publication time once extracted, else of the listing''s claimed time.';

ALTER TABLE core.articles DROP CONSTRAINT articles_published_from_check;
ALTER TABLE core.articles ADD CONSTRAINT articles_published_from_check
    CHECK (published_from IN ('page', 'feed', 'sitemap', 'gdelt', 'none'));
COMMENT ON COLUMN core.articles.published_from IS 'Where published_at came from: page (the article''s own markup), or the listing that found it (feed, sitemap, gdelt), or none.';

CREATE TABLE ops.completed_windows (
    window_start timestamptz PRIMARY KEY,
    window_end   timestamptz NOT NULL,
    run_id       text
);
COMMENT ON TABLE ops.completed_windows IS 'Run windows whose articles have been loaded at least once. An article found later whose page dates it into such a window is loaded at once; into any other window, it waits for that window''s run.';
COMMENT ON COLUMN ops.completed_windows.window_start IS 'Start of the window.';
COMMENT ON COLUMN ops.completed_windows.window_end IS 'End of the window.';
COMMENT ON COLUMN ops.completed_windows.run_id IS 'The run that completed it first.';

CREATE TABLE ops.host_pacing (
    host      text PRIMARY KEY,
    next_slot timestamptz NOT NULL
);
COMMENT ON TABLE ops.host_pacing IS 'Per-host request pacing shared by every worker and run: the earliest time the next request to the host may start.';
COMMENT ON COLUMN ops.host_pacing.host IS 'Host name (lower case).';
COMMENT ON COLUMN ops.host_pacing.next_slot IS 'Earliest start of the next request to the host.';

CREATE INDEX articles_canonical_idx ON core.articles (source_id, canonical_url);

ALTER TABLE ops.run_metrics ADD COLUMN discovery text;
COMMENT ON COLUMN ops.run_metrics.discovery IS 'Archive discovery for the window, when the feed did not cover it: method, outcome and URLs found, e.g. "sitemap: ok, 12 urls; gdelt: error_message".';
