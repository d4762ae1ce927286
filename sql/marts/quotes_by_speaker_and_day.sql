-- Who said what, and who carried it: every distinct quote per speaker and UTC day,
-- searchable by its words.
--
-- One row per UTC day, speaker, wording and kind (direct or reported): the same words
-- in a wire story and its reprints are one row, with the articles and outlets that
-- carried them and the outlet that had them first. search is a tsvector of the
-- speaker and the words with the 'simple' configuration: the corpus mixes English,
-- Ukrainian and Russian and PostgreSQL has no Ukrainian stemmer, so words are matched
-- as written, in every language alike:
--   SELECT * FROM marts.quotes_by_speaker_and_day WHERE search @@ websearch_to_tsquery('simple', 'ceasefire');
CREATE MATERIALIZED VIEW marts.quotes_by_speaker_and_day AS
WITH quoted AS (
    SELECT q.quote_id,
           q.article_id,
           a.source_id,
           s.name                                                   AS outlet,
           a.published_at,
           (coalesce(a.published_at, a.first_window) AT TIME ZONE 'UTC')::date AS day,
           q.speaker_entity_id,
           coalesce(speaker.name, q.speaker_name)                   AS speaker,
           q.quote_text,
           q.direct
    FROM core.quotes q
    JOIN core.articles a USING (article_id)
    JOIN core.sources s USING (source_id)
    LEFT JOIN core.entities speaker ON speaker.entity_id = q.speaker_entity_id
)
SELECT (array_agg(quote_id ORDER BY published_at NULLS LAST, quote_id))[1] AS quote_id,
       day,
       speaker_entity_id,
       speaker,
       quote_text,
       direct,
       count(DISTINCT article_id)                                            AS articles,
       count(DISTINCT source_id)                                             AS outlets,
       min(published_at)                                                     AS first_published_at,
       (array_agg(outlet ORDER BY published_at NULLS LAST, quote_id))[1]     AS first_outlet,
       to_tsvector('simple', coalesce(speaker, '') || ' ' || quote_text)    AS search
FROM quoted
GROUP BY day, speaker_entity_id, speaker, quote_text, direct;

CREATE UNIQUE INDEX quotes_by_speaker_and_day_key ON marts.quotes_by_speaker_and_day (quote_id);
CREATE INDEX quotes_by_speaker_and_day_speaker_idx ON marts.quotes_by_speaker_and_day (speaker_entity_id, day);
CREATE INDEX quotes_by_speaker_and_day_search_idx ON marts.quotes_by_speaker_and_day USING gin (search);

COMMENT ON MATERIALIZED VIEW marts.quotes_by_speaker_and_day IS 'Who said what: each distinct quote per UTC day and speaker, with the articles and outlets that carried it; full-text search on search (GIN, ''simple'' configuration).';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.quote_id IS 'The quote in its earliest report (core.quotes); identifies the row.';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.day IS 'UTC day of the reports.';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.speaker_entity_id IS 'The speaker, linked to the registry; null when unlinked or unknown.';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.speaker IS 'The speaker''s name (canonical when linked); null when the article does not say who spoke.';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.quote_text IS 'The words quoted, without quotation marks.';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.direct IS 'True for a direct quote, false for reported speech.';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.articles IS 'Articles that carried these words from this speaker that day.';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.outlets IS 'Distinct outlets that carried them.';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.first_published_at IS 'Publication time of the earliest article that carried them.';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.first_outlet IS 'Outlet of that earliest article.';
COMMENT ON COLUMN marts.quotes_by_speaker_and_day.search IS 'Full-text vector of speaker and words (''simple'' configuration, any language): filter with search @@ websearch_to_tsquery(''simple'', ...).';
