-- What did Zelenskyy say about security guarantees in March 2025?
--
-- Any speaker, subject and span of days. speaker: a name as any outlet writes it, in
-- Latin or Cyrillic letters (core.entity_aliases, matched whatever the case), a Wikidata
-- QID or a registry id (person/volodymyr-zelenskyy); several, separated by |, are read as
-- one. terms: words as typed into a web search ("security guarantees", "ceasefire
-- -energy", "\"clear position\""), matched in English with stemming (guarantee finds
-- guarantees) against the quoted words (core.quotes.search_vector). One row per distinct
-- wording a day (marts.quotes_by_speaker_and_day): the same words in a wire story and its
-- reprints are one row, with the outlets that carried them and the first. direct is false
-- for reported speech ("he said Kyiv needed ..."). Quotes in Ukrainian or Russian match
-- only words written exactly as in the quote; the mart's own search column ('simple'
-- configuration) searches every language alike.
--
-- Indexes: quotes_by_speaker_and_day_speaker_idx (speaker_entity_id, day), then each
-- quote by its key; those of core.entities_named (entity_aliases_alias_idx, entities_wikidata_idx).
--
--   psql -v speaker='Volodymyr Zelenskyy' -v terms=guarantee -v from_day=2025-03-01 -v to_day=2025-03-31 -f sql/queries/speaker_quotes_on_topic.sql
SELECT m.day,
       m.speaker,
       m.quote_text,
       m.direct,
       m.outlets,
       m.articles,
       m.first_outlet,
       m.first_published_at
FROM marts.quotes_by_speaker_and_day m
JOIN core.quotes q ON q.quote_id = m.quote_id
CROSS JOIN websearch_to_tsquery('english', :'terms') AS query
WHERE m.speaker_entity_id = ANY (ARRAY(SELECT entity_id FROM core.entities_named(:'speaker')))
  AND m.day >= :'from_day'::date
  AND m.day <  :'to_day'::date + 1
  AND q.search_vector @@ query
ORDER BY m.day, m.first_published_at, m.quote_id;
