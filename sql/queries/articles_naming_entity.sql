-- Which articles named Zelenskyy between 14 and 16 March 2025, newest first?
--
-- Any person, place, organisation, weapon or group of the registry. entity: its
-- Wikidata QID (Q3874799), its registry id (person/volodymyr-zelenskyy) or any spelling
-- an outlet uses, in Latin or Cyrillic letters ('Volodymyr Zelensky', 'Володимир
-- Зеленський', 'Владимир Зеленский'; core.entity_aliases, whatever the case); several
-- separated by | are read as one. Per article: how often it names the entity and how
-- (the words as written: titles and short forms included).
--
-- Indexes: those of core.entities_named (entity_aliases_alias_idx, entities_wikidata_idx),
-- mentions_entity_idx, then each article by its key.
--
--   psql -v entity=Q3874799 -v from_day=2025-03-14 -v to_day=2025-03-16 -f sql/queries/articles_naming_entity.sql
SELECT a.published_at,
       s.name                                         AS outlet,
       a.language,
       a.title,
       count(*)                                       AS mentions,
       array_agg(DISTINCT m.surface ORDER BY m.surface) AS written_as,
       a.url
FROM core.mentions m
JOIN core.articles a USING (article_id)
JOIN core.sources s ON s.source_id = a.source_id
WHERE m.entity_id = ANY (ARRAY(SELECT entity_id FROM core.entities_named(:'entity')))
  AND a.published_at >= :'from_day'::date
  AND a.published_at <  :'to_day'::date + 1
GROUP BY a.article_id, s.name
ORDER BY a.published_at DESC, a.article_id DESC;
