-- Events whose source sentence is empty, or is not what the article's text holds at the
-- event's sentence offsets.
--
-- Why: the sentence is an event's evidence, the one place a reader can see why the
-- pipeline believes something happened, and the offsets are how a reviewer finds it in
-- the article. Facts of an article whose text changed are re-extracted (facts_pending),
-- so only articles whose facts are current are checked.
--
--   psql -f sql/checks/events_without_source_sentence.sql
SELECT e.event_id,
       e.article_id,
       e.event_type,
       CASE WHEN btrim(e.sentence) = '' THEN 'the sentence is empty'
            ELSE 'the text at ' || e.sentence_start || '..' || e.sentence_end || ' is not the sentence: "'
                 || left(substr(a.body_text, e.sentence_start + 1, e.sentence_end - e.sentence_start), 60)
                 || '"' END AS problem
FROM core.events e
JOIN core.articles a USING (article_id)
WHERE NOT a.facts_pending
  AND (btrim(e.sentence) = ''
       OR substr(a.body_text, e.sentence_start + 1, e.sentence_end - e.sentence_start) IS DISTINCT FROM e.sentence)
ORDER BY e.event_id;
