-- Keep what is about the war, once: relevance scores, duplicate groups, article versions
-- and story clusters.

-- Relevance ---------------------------------------------------------------------------

CREATE TABLE raw.relevance_assessments (
    link_id         bigint PRIMARY KEY REFERENCES raw.links,
    page_id         bigint NOT NULL REFERENCES raw.pages,
    score           real NOT NULL CHECK (score BETWEEN 0 AND 1),
    relevant        boolean NOT NULL,
    reasons         text[] NOT NULL,
    threshold       real NOT NULL,
    scorer_version  text NOT NULL,
    title           text NOT NULL,
    assessed_window timestamptz NOT NULL
);
CREATE INDEX relevance_assessments_irrelevant_idx ON raw.relevance_assessments (assessed_window) WHERE NOT relevant;
COMMENT ON TABLE raw.relevance_assessments IS 'War-relevance verdict on every extracted page, relevant or not: irrelevant articles stay here (and in raw.pages), never in core.articles.';
COMMENT ON COLUMN raw.relevance_assessments.link_id IS 'The link whose latest page was scored.';
COMMENT ON COLUMN raw.relevance_assessments.page_id IS 'The page version scored.';
COMMENT ON COLUMN raw.relevance_assessments.score IS 'Score 0-1 that the Russia-Ukraine war is a main subject of the article.';
COMMENT ON COLUMN raw.relevance_assessments.relevant IS 'score >= threshold: loaded into core.articles.';
COMMENT ON COLUMN raw.relevance_assessments.reasons IS 'The signals that fired, in words, e.g. "headline about the war", "off-topic signal: sport (4 terms, -4.8)".';
COMMENT ON COLUMN raw.relevance_assessments.threshold IS 'Threshold in force when scored (NEWSFACTS_RELEVANCE_THRESHOLD).';
COMMENT ON COLUMN raw.relevance_assessments.scorer_version IS 'Version of the scoring rules.';
COMMENT ON COLUMN raw.relevance_assessments.title IS 'Headline of the scored page, so an irrelevant article can be recognised without its page.';
COMMENT ON COLUMN raw.relevance_assessments.assessed_window IS 'Start of the run window that scored it last.';

ALTER TABLE core.articles
    ADD COLUMN relevance_score real,
    ADD COLUMN relevance_reasons text[];
COMMENT ON COLUMN core.articles.relevance_score IS 'War-relevance score 0-1 (at least the threshold, or the article would not be here).';
COMMENT ON COLUMN core.articles.relevance_reasons IS 'The signals behind relevance_score.';

-- Article versions ----------------------------------------------------------------------

CREATE TABLE core.article_versions (
    article_id        bigint NOT NULL REFERENCES core.articles ON DELETE CASCADE,
    version           integer NOT NULL,
    page_id           bigint NOT NULL REFERENCES raw.pages,
    title             text NOT NULL,
    word_count        integer NOT NULL,
    text_sha256       bytea NOT NULL,
    extractor_version text NOT NULL,
    loaded_window     timestamptz NOT NULL,
    PRIMARY KEY (article_id, version)
);
COMMENT ON TABLE core.article_versions IS 'Every distinct text an article has had: an update at the same URL is a new version of the same article, never a new article.';
COMMENT ON COLUMN core.article_versions.article_id IS 'The article.';
COMMENT ON COLUMN core.article_versions.version IS 'Version number (core.articles.version holds the latest).';
COMMENT ON COLUMN core.article_versions.page_id IS 'The page version the text was extracted from (its body is in raw.pages).';
COMMENT ON COLUMN core.article_versions.title IS 'Headline of this version.';
COMMENT ON COLUMN core.article_versions.word_count IS 'Words in this version.';
COMMENT ON COLUMN core.article_versions.text_sha256 IS 'SHA-256 of title and text of this version.';
COMMENT ON COLUMN core.article_versions.extractor_version IS 'Extractor that produced this version.';
COMMENT ON COLUMN core.article_versions.loaded_window IS 'Start of the run window that loaded this version.';

-- Duplicates ------------------------------------------------------------------------------

CREATE TABLE core.duplicate_groups (
    duplicate_group_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical_article_id bigint REFERENCES core.articles ON DELETE SET NULL,
    article_count        integer NOT NULL DEFAULT 0,
    outlet_count         integer NOT NULL DEFAULT 0,
    first_published_at   timestamptz
);
COMMENT ON TABLE core.duplicate_groups IS 'One row per distinct text: an article and its copies (wire reprints, trimmed or edited versions, the same text at another URL).';
COMMENT ON COLUMN core.duplicate_groups.duplicate_group_id IS 'Surrogate key.';
COMMENT ON COLUMN core.duplicate_groups.canonical_article_id IS 'The member that stands for the group: the earliest published (lowest article_id on ties).';
COMMENT ON COLUMN core.duplicate_groups.article_count IS 'Members of the group.';
COMMENT ON COLUMN core.duplicate_groups.outlet_count IS 'Distinct outlets among the members.';
COMMENT ON COLUMN core.duplicate_groups.first_published_at IS 'Earliest publication time among the members.';

CREATE TABLE core.article_fingerprints (
    article_id        bigint PRIMARY KEY REFERENCES core.articles ON DELETE CASCADE,
    text_sha256       bytea NOT NULL,
    normalized_sha256 bytea NOT NULL,
    minhash           bytea NOT NULL,
    story_terms       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX article_fingerprints_normalized_idx ON core.article_fingerprints (normalized_sha256);
COMMENT ON TABLE core.article_fingerprints IS 'What duplicate detection and story clustering know of an article''s text.';
COMMENT ON COLUMN core.article_fingerprints.article_id IS 'The article.';
COMMENT ON COLUMN core.article_fingerprints.text_sha256 IS 'core.articles.text_sha256 the fingerprint was computed from; a different one means the article changed since.';
COMMENT ON COLUMN core.article_fingerprints.normalized_sha256 IS 'SHA-256 of the normalised text (case, quotes, spelling variants): equal means an exact copy.';
COMMENT ON COLUMN core.article_fingerprints.minhash IS 'MinHash signature of the word 5-shingles: 128 little-endian uint32.';
COMMENT ON COLUMN core.article_fingerprints.story_terms IS 'Weighted story terms (names and headline words, 5-letter stems) used to cluster stories.';

CREATE TABLE core.article_lsh_bands (
    band       smallint NOT NULL,
    bucket     bigint NOT NULL,
    article_id bigint NOT NULL REFERENCES core.articles ON DELETE CASCADE,
    PRIMARY KEY (band, bucket, article_id)
);
CREATE INDEX article_lsh_bands_article_idx ON core.article_lsh_bands (article_id);
COMMENT ON TABLE core.article_lsh_bands IS 'LSH index of the fingerprints: articles sharing a (band, bucket) are candidate copies; a lookup is an index scan whatever the table size.';
COMMENT ON COLUMN core.article_lsh_bands.band IS '0-31: MinHash bands of 4 rows; 32: the opening words; 33: sampled sentences.';
COMMENT ON COLUMN core.article_lsh_bands.bucket IS '64-bit hash of the band''s content.';
COMMENT ON COLUMN core.article_lsh_bands.article_id IS 'The article.';

-- Stories -----------------------------------------------------------------------------------

CREATE TABLE core.stories (
    story_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_article_id   bigint REFERENCES core.articles ON DELETE SET NULL,
    headline           text,
    first_published_at timestamptz,
    last_published_at  timestamptz,
    article_count      integer NOT NULL DEFAULT 0,
    outlet_count       integer NOT NULL DEFAULT 0
);
CREATE INDEX stories_first_published_idx ON core.stories (first_published_at);
COMMENT ON TABLE core.stories IS 'One row per event reported: the articles about it (from any outlet, same day +-1) share a story; count stories, not articles, to avoid inflating.';
COMMENT ON COLUMN core.stories.story_id IS 'Surrogate key.';
COMMENT ON COLUMN core.stories.first_article_id IS 'The first report (earliest published member).';
COMMENT ON COLUMN core.stories.headline IS 'Headline of the first report.';
COMMENT ON COLUMN core.stories.first_published_at IS 'Publication time of the first report.';
COMMENT ON COLUMN core.stories.last_published_at IS 'Publication time of the latest report.';
COMMENT ON COLUMN core.stories.article_count IS 'Articles in the story.';
COMMENT ON COLUMN core.stories.outlet_count IS 'Distinct outlets that reported it.';

ALTER TABLE core.articles
    ADD COLUMN duplicate_group_id bigint REFERENCES core.duplicate_groups,
    ADD COLUMN duplicate_of_similarity real,
    ADD COLUMN story_id bigint REFERENCES core.stories,
    ADD COLUMN story_similarity real;
ALTER TABLE core.articles ADD COLUMN dedupe_pending boolean NOT NULL DEFAULT true;
CREATE INDEX articles_duplicate_group_idx ON core.articles (duplicate_group_id);
CREATE INDEX articles_story_idx ON core.articles (story_id);
CREATE INDEX articles_dedupe_pending_idx ON core.articles (published_at, article_id) WHERE dedupe_pending;
CREATE INDEX articles_story_neighbours_idx ON core.articles ((coalesce(published_at, first_window)))
    WHERE story_id IS NOT NULL;
COMMENT ON COLUMN core.articles.dedupe_pending IS 'New, or its text changed, since duplicate detection and story clustering last saw it.';
COMMENT ON COLUMN core.articles.duplicate_group_id IS 'The group of copies of the same text this article belongs to (null until deduplicated).';
COMMENT ON COLUMN core.articles.duplicate_of_similarity IS 'Similarity (0-1) with the group member it was matched to; 1 for an exact copy, null for the article that started the group.';
COMMENT ON COLUMN core.articles.story_id IS 'The story (event) the article reports (null until clustered).';
COMMENT ON COLUMN core.articles.story_similarity IS 'Similarity with the story when it joined one; null for the article that started it.';

-- Metrics -----------------------------------------------------------------------------------

ALTER TABLE ops.run_metrics
    ADD COLUMN entries_skipped integer NOT NULL DEFAULT 0,
    ADD COLUMN articles_irrelevant integer NOT NULL DEFAULT 0,
    ADD COLUMN articles_duplicate integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN ops.run_metrics.entries_skipped IS 'Links not fetched because their title and summary showed no sign of the war.';
COMMENT ON COLUMN ops.run_metrics.articles_irrelevant IS 'Pages extracted but scored below the relevance threshold (kept in raw.relevance_assessments).';
COMMENT ON COLUMN ops.run_metrics.articles_duplicate IS 'Articles of the window that are copies of an earlier member of their duplicate group.';
