-- The nightly pipeline's tables: sources, feed polls and entries, discovered links,
-- stored pages, extracted articles, and per-run metrics.
--
-- Layers: raw = what outlets served us, kept so later stages can re-run offline;
-- core = what we derived from it; ops = how the pipeline ran.

CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS core;
COMMENT ON SCHEMA raw IS 'What outlets served: feed documents, feed entries, links, page bodies. Kept so every later stage can be re-run without the network.';
COMMENT ON SCHEMA core IS 'What the pipeline derived: sources, articles and their facts.';

CREATE TABLE core.sources (
    source_id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         text NOT NULL UNIQUE,
    name         text NOT NULL,
    feed_url     text NOT NULL,
    homepage_url text,
    language     text NOT NULL,
    country      text NOT NULL,
    perspective  text NOT NULL,
    active       boolean NOT NULL DEFAULT true,
    config       jsonb NOT NULL DEFAULT '{}'::jsonb
);
COMMENT ON TABLE core.sources IS 'Outlets the pipeline follows, synchronised from the sources file at the start of every run.';
COMMENT ON COLUMN core.sources.source_id IS 'Surrogate key.';
COMMENT ON COLUMN core.sources.slug IS 'Stable identifier from the sources file, e.g. kyiv-independent.';
COMMENT ON COLUMN core.sources.name IS 'Display name of the outlet.';
COMMENT ON COLUMN core.sources.feed_url IS 'URL of the feed polled every night.';
COMMENT ON COLUMN core.sources.homepage_url IS 'Home page of the outlet, if configured.';
COMMENT ON COLUMN core.sources.language IS 'ISO 639 code of the language the outlet publishes in.';
COMMENT ON COLUMN core.sources.country IS 'ISO 3166-1 alpha-2 code of the country the outlet is based in.';
COMMENT ON COLUMN core.sources.perspective IS 'Editorial perspective tag: ukrainian, russian_state, russian_independent, european, us, middle_east, wire, ...';
COMMENT ON COLUMN core.sources.active IS 'False once the outlet has been removed from the sources file; its history is kept.';
COMMENT ON COLUMN core.sources.config IS 'Further settings of the entry in the sources file.';

CREATE TABLE raw.feed_polls (
    source_id     integer NOT NULL REFERENCES core.sources,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    outcome       text NOT NULL,
    detail        text,
    http_status   integer,
    etag          text,
    last_modified text,
    feed_format   text,
    entries_seen  integer NOT NULL DEFAULT 0,
    body_gzip     bytea,
    body_sha256   bytea,
    served_at     timestamptz,
    PRIMARY KEY (source_id, window_start),
    CHECK (window_end > window_start)
);
ALTER TABLE raw.feed_polls ALTER COLUMN body_gzip SET STORAGE EXTERNAL;
COMMENT ON TABLE raw.feed_polls IS 'One poll of a source''s feed for one run window (the latest attempt): outcome, HTTP validators and the document as served.';
COMMENT ON COLUMN raw.feed_polls.source_id IS 'The outlet polled.';
COMMENT ON COLUMN raw.feed_polls.window_start IS 'Start of the run window (inclusive, UTC) the poll was made for.';
COMMENT ON COLUMN raw.feed_polls.window_end IS 'End of the run window (exclusive, UTC).';
COMMENT ON COLUMN raw.feed_polls.outcome IS 'ok, not_modified, or the failure: http_error, timeout, too_large, connection_error, bad_url, decode_error, empty, not_a_feed, malformed, no_entries.';
COMMENT ON COLUMN raw.feed_polls.detail IS 'Human-readable reason for a failure, or a note about a feed that parsed with problems.';
COMMENT ON COLUMN raw.feed_polls.http_status IS 'Final HTTP status code, when a response was received.';
COMMENT ON COLUMN raw.feed_polls.etag IS 'ETag validator returned by the server, sent back as If-None-Match on the next poll.';
COMMENT ON COLUMN raw.feed_polls.last_modified IS 'Last-Modified validator, sent back as If-Modified-Since on the next poll.';
COMMENT ON COLUMN raw.feed_polls.feed_format IS 'Format detected: rss20, rss10, atom10, json11, ...';
COMMENT ON COLUMN raw.feed_polls.entries_seen IS 'Entries in the feed document (all dates).';
COMMENT ON COLUMN raw.feed_polls.body_gzip IS 'The feed document as served, gzip-compressed (null when not modified or not received).';
COMMENT ON COLUMN raw.feed_polls.body_sha256 IS 'SHA-256 of the uncompressed feed document.';
COMMENT ON COLUMN raw.feed_polls.served_at IS 'Date header of the response: when the server sent it. Entry dates more than a day later are not believed.';

CREATE TABLE raw.feed_entries (
    source_id         integer NOT NULL REFERENCES core.sources,
    entry_key         text NOT NULL,
    url               text,
    title             text NOT NULL DEFAULT '',
    summary           text NOT NULL DEFAULT '',
    published_at      timestamptz,
    updated_at        timestamptz,
    authors           text[] NOT NULL DEFAULT '{}',
    first_seen_window timestamptz NOT NULL,
    last_seen_window  timestamptz NOT NULL,
    PRIMARY KEY (source_id, entry_key)
);
CREATE INDEX feed_entries_published_idx ON raw.feed_entries (published_at);
COMMENT ON TABLE raw.feed_entries IS 'Every item ever seen in a source''s feed, whatever its date; a later run can replay them.';
COMMENT ON COLUMN raw.feed_entries.source_id IS 'The outlet whose feed listed the item.';
COMMENT ON COLUMN raw.feed_entries.entry_key IS 'The item''s GUID, else its link, else a hash of title and date.';
COMMENT ON COLUMN raw.feed_entries.url IS 'Absolute link of the item (null for unusable links such as javascript:).';
COMMENT ON COLUMN raw.feed_entries.title IS 'Title as given by the feed, tags stripped.';
COMMENT ON COLUMN raw.feed_entries.summary IS 'Summary or description as given by the feed, tags stripped, at most 2000 characters.';
COMMENT ON COLUMN raw.feed_entries.published_at IS 'Publication time claimed by the feed (null when missing or implausible).';
COMMENT ON COLUMN raw.feed_entries.updated_at IS 'Update time claimed by the feed.';
COMMENT ON COLUMN raw.feed_entries.authors IS 'Authors named by the feed.';
COMMENT ON COLUMN raw.feed_entries.first_seen_window IS 'Start of the earliest run window whose poll listed the item.';
COMMENT ON COLUMN raw.feed_entries.last_seen_window IS 'Start of the latest run window whose poll listed the item.';

CREATE TABLE raw.links (
    link_id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url                    text NOT NULL UNIQUE,
    fetch_url              text NOT NULL,
    source_id              integer NOT NULL REFERENCES core.sources,
    window_start           timestamptz NOT NULL,
    claimed_published_at   timestamptz,
    claimed_updated_at     timestamptz,
    fetch_outcome          text,
    fetch_detail           text,
    http_status            integer,
    fetched_claimed_update timestamptz,
    extract_outcome        text,
    extract_detail         text
);
CREATE INDEX links_window_idx ON raw.links (window_start, source_id);
COMMENT ON TABLE raw.links IS 'Article URLs to fetch, one row per normalised URL, with the outcome of fetching and extracting it.';
COMMENT ON COLUMN raw.links.link_id IS 'Surrogate key.';
COMMENT ON COLUMN raw.links.url IS 'Normalised URL (lower-case host, no tracking parameters or fragment): the identity of the article.';
COMMENT ON COLUMN raw.links.fetch_url IS 'URL as discovered, which is what gets requested.';
COMMENT ON COLUMN raw.links.source_id IS 'Outlet that listed the link first.';
COMMENT ON COLUMN raw.links.window_start IS 'Start of the UTC day window the link belongs to (by its claimed publication time).';
COMMENT ON COLUMN raw.links.claimed_published_at IS 'Publication time claimed where the link was found.';
COMMENT ON COLUMN raw.links.claimed_updated_at IS 'Latest update time claimed where the link was found; a newer one makes the page be fetched again.';
COMMENT ON COLUMN raw.links.fetch_outcome IS 'Null until fetched; then ok, or the failure: http_error, timeout, too_large, too_many_redirects, connection_error, bad_url, decode_error.';
COMMENT ON COLUMN raw.links.fetch_detail IS 'Human-readable reason of the last fetch failure, e.g. HTTP 404 Not Found.';
COMMENT ON COLUMN raw.links.http_status IS 'HTTP status of the last fetch.';
COMMENT ON COLUMN raw.links.fetched_claimed_update IS 'The claimed update time at the last successful fetch.';
COMMENT ON COLUMN raw.links.extract_outcome IS 'Null until extracted; then ok, or the failure: not_html, empty, parse_error, no_text, no_title.';
COMMENT ON COLUMN raw.links.extract_detail IS 'Human-readable reason of the last extraction failure.';

CREATE TABLE raw.pages (
    page_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    link_id        bigint NOT NULL REFERENCES raw.links,
    body_sha256    bytea NOT NULL,
    body_gzip      bytea NOT NULL,
    body_bytes     integer NOT NULL,
    final_url      text NOT NULL,
    http_status    integer NOT NULL,
    content_type   text,
    etag           text,
    last_modified  text,
    served_at      timestamptz,
    fetched_window timestamptz NOT NULL,
    UNIQUE (link_id, body_sha256)
);
ALTER TABLE raw.pages ALTER COLUMN body_gzip SET STORAGE EXTERNAL;
COMMENT ON TABLE raw.pages IS 'Every distinct version of every fetched page, gzip-compressed: the input of extraction and of any reprocessing.';
COMMENT ON COLUMN raw.pages.page_id IS 'Surrogate key; a higher id for the same link is a later version.';
COMMENT ON COLUMN raw.pages.link_id IS 'The link this page was fetched for.';
COMMENT ON COLUMN raw.pages.body_sha256 IS 'SHA-256 of the uncompressed body; the same body is stored once per link.';
COMMENT ON COLUMN raw.pages.body_gzip IS 'The response body as served, gzip-compressed.';
COMMENT ON COLUMN raw.pages.body_bytes IS 'Size of the uncompressed body in bytes.';
COMMENT ON COLUMN raw.pages.final_url IS 'URL after redirects.';
COMMENT ON COLUMN raw.pages.http_status IS 'HTTP status of the response (2xx).';
COMMENT ON COLUMN raw.pages.content_type IS 'Content-Type header of the response.';
COMMENT ON COLUMN raw.pages.etag IS 'ETag of the response.';
COMMENT ON COLUMN raw.pages.last_modified IS 'Last-Modified of the response.';
COMMENT ON COLUMN raw.pages.served_at IS 'Date header of the response; a publication date more than a day later is not believed.';
COMMENT ON COLUMN raw.pages.fetched_window IS 'Start of the run window whose run fetched this version.';

CREATE TABLE core.articles (
    article_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    link_id           bigint NOT NULL UNIQUE REFERENCES raw.links,
    page_id           bigint NOT NULL REFERENCES raw.pages,
    source_id         integer NOT NULL REFERENCES core.sources,
    url               text NOT NULL,
    canonical_url     text NOT NULL,
    title             text NOT NULL,
    authors           text[] NOT NULL DEFAULT '{}',
    published_at      timestamptz,
    published_from    text NOT NULL,
    language          text,
    top_image_url     text,
    description       text,
    body_text         text NOT NULL,
    word_count        integer NOT NULL,
    text_sha256       bytea NOT NULL,
    extractor_version text NOT NULL,
    version           integer NOT NULL DEFAULT 1,
    first_window      timestamptz NOT NULL,
    updated_window    timestamptz,
    CHECK (published_from IN ('page', 'feed', 'none'))
);
CREATE INDEX articles_published_idx ON core.articles (published_at);
CREATE INDEX articles_source_idx ON core.articles (source_id, published_at);
CREATE INDEX articles_first_window_idx ON core.articles (first_window);
COMMENT ON TABLE core.articles IS 'One row per article URL: the latest extracted version of its page.';
COMMENT ON COLUMN core.articles.article_id IS 'Surrogate key.';
COMMENT ON COLUMN core.articles.link_id IS 'The link (normalised URL) the article was fetched from.';
COMMENT ON COLUMN core.articles.page_id IS 'The stored page version this row was extracted from.';
COMMENT ON COLUMN core.articles.source_id IS 'Outlet that published the article.';
COMMENT ON COLUMN core.articles.url IS 'Normalised URL of the article.';
COMMENT ON COLUMN core.articles.canonical_url IS 'Canonical URL declared by the page (rel=canonical or og:url), normalised; the URL itself when none.';
COMMENT ON COLUMN core.articles.title IS 'Headline.';
COMMENT ON COLUMN core.articles.authors IS 'Bylines, cleaned of e-mail addresses and boilerplate.';
COMMENT ON COLUMN core.articles.published_at IS 'Publication time: the page''s own when it has one, else the feed''s.';
COMMENT ON COLUMN core.articles.published_from IS 'Where published_at came from: page, feed or none.';
COMMENT ON COLUMN core.articles.language IS 'Language declared by the page (html lang or meta), ISO 639.';
COMMENT ON COLUMN core.articles.top_image_url IS 'URL of the lead image (never downloaded).';
COMMENT ON COLUMN core.articles.description IS 'Meta description / standfirst of the page.';
COMMENT ON COLUMN core.articles.body_text IS 'Article text, paragraphs separated by blank lines.';
COMMENT ON COLUMN core.articles.word_count IS 'Words in body_text.';
COMMENT ON COLUMN core.articles.text_sha256 IS 'SHA-256 of title and body_text; a change means a new version.';
COMMENT ON COLUMN core.articles.extractor_version IS 'Version of the extractor that produced this row.';
COMMENT ON COLUMN core.articles.version IS 'Starts at 1 and grows each time the article''s title or text changes.';
COMMENT ON COLUMN core.articles.first_window IS 'Start of the run window that first loaded the article.';
COMMENT ON COLUMN core.articles.updated_window IS 'Start of the run window that last changed the article (null if never changed).';

CREATE TABLE ops.run_metrics (
    window_start     timestamptz NOT NULL,
    source_id        integer NOT NULL REFERENCES core.sources,
    window_end       timestamptz NOT NULL,
    run_id           text,
    poll_outcome     text,
    poll_detail      text,
    entries_seen     integer NOT NULL DEFAULT 0,
    entries_in_window integer NOT NULL DEFAULT 0,
    pages_fetched    integer NOT NULL DEFAULT 0,
    pages_failed     integer NOT NULL DEFAULT 0,
    articles_new     integer NOT NULL DEFAULT 0,
    articles_updated integer NOT NULL DEFAULT 0,
    failures         jsonb NOT NULL DEFAULT '{}'::jsonb,
    poll_seconds     double precision NOT NULL DEFAULT 0,
    fetch_seconds    double precision NOT NULL DEFAULT 0,
    extract_seconds  double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (window_start, source_id)
);
COMMENT ON TABLE ops.run_metrics IS 'One row per run window and source: what the run saw, fetched, failed and loaded. Re-running a window overwrites its rows.';
COMMENT ON COLUMN ops.run_metrics.window_start IS 'Start of the run window (inclusive, UTC).';
COMMENT ON COLUMN ops.run_metrics.source_id IS 'The outlet.';
COMMENT ON COLUMN ops.run_metrics.window_end IS 'End of the run window (exclusive, UTC).';
COMMENT ON COLUMN ops.run_metrics.run_id IS 'Airflow run id (or CLI run label) that last wrote the row.';
COMMENT ON COLUMN ops.run_metrics.poll_outcome IS 'Outcome of the feed poll (see raw.feed_polls.outcome).';
COMMENT ON COLUMN ops.run_metrics.poll_detail IS 'Reason of a failed poll, or a note about a feed that parsed with problems.';
COMMENT ON COLUMN ops.run_metrics.entries_seen IS 'Entries in the feed document.';
COMMENT ON COLUMN ops.run_metrics.entries_in_window IS 'Links whose publication time falls in the window.';
COMMENT ON COLUMN ops.run_metrics.pages_fetched IS 'Links of the window whose page is stored.';
COMMENT ON COLUMN ops.run_metrics.pages_failed IS 'Links of the window whose fetch or extraction failed.';
COMMENT ON COLUMN ops.run_metrics.articles_new IS 'Articles first loaded by this window''s run.';
COMMENT ON COLUMN ops.run_metrics.articles_updated IS 'Existing articles whose text changed in this window''s run.';
COMMENT ON COLUMN ops.run_metrics.failures IS 'Failure counts by reason, e.g. {"fetch:http_error": 1, "extract:no_text": 2}.';
COMMENT ON COLUMN ops.run_metrics.poll_seconds IS 'Wall-clock seconds spent polling the feed (observability only).';
COMMENT ON COLUMN ops.run_metrics.fetch_seconds IS 'Wall-clock seconds spent fetching the source''s pages (observability only).';
COMMENT ON COLUMN ops.run_metrics.extract_seconds IS 'Wall-clock seconds spent extracting and loading the source''s articles (observability only).';
