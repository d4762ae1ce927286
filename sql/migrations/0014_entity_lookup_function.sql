-- One lookup from what an analyst types to the registry's entity ids, for the example
-- queries that take an entity (sql/queries/articles_naming_entity.sql,
-- coverage_by_perspective.sql, named_together_with.sql, speaker_quotes_on_topic.sql) and
-- for analysts' own queries:  WHERE m.entity_id IN (SELECT entity_id FROM core.entities_named('Zelensky')).
--
-- LANGUAGE sql, STABLE, neither STRICT nor SECURITY DEFINER nor SET: so the planner inlines
-- it where it is called in FROM, and a query plans as if the lookup were written out in it
-- (entity_aliases_alias_idx on lower(alias), entities_wikidata_idx, entities_pkey). It runs
-- with the caller's privileges: the analyst reads core.entity_aliases and core.entities
-- anyway. The body is parsed when the function is created (BEGIN ATOMIC): the objects it
-- names are bound then, whatever the caller's search_path, and recorded as dependencies,
-- so a migration cannot drop or retype them without replacing the function too.

CREATE FUNCTION core.entities_named(names text) RETURNS TABLE (entity_id text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 10
BEGIN ATOMIC
    WITH asked AS (
        SELECT btrim(name) AS name
        FROM unnest(string_to_array(names, '|')) AS name
    )
    SELECT a.entity_id FROM core.entity_aliases a WHERE lower(a.alias) IN (SELECT lower(name) FROM asked)
    UNION
    SELECT e.entity_id FROM core.entities e WHERE e.wikidata IN (SELECT upper(name) FROM asked)
    UNION
    SELECT e.entity_id FROM core.entities e WHERE e.entity_id IN (SELECT lower(name) FROM asked);
END;
COMMENT ON FUNCTION core.entities_named(text) IS 'Registry ids (core.entities.entity_id) of what an analyst typed: a name as any outlet writes it, in Latin or Cyrillic letters (core.entity_aliases, whatever the case), a Wikidata QID (Q3874799, whatever the case) or a registry id (person/volodymyr-zelenskyy); several separated by | are read as one list, blanks around each trimmed. Each id once, in no order; none for no match or null. Use in FROM (SELECT entity_id FROM core.entities_named(...)) so that it is inlined. Executable by newsfacts_analyst and newsfacts_loader.';

-- Functions are executable by PUBLIC unless revoked; like the tables of core, this one is
-- for the two roles of 0006_analyst_access.sql (and the owner).
REVOKE ALL ON FUNCTION core.entities_named(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.entities_named(text) TO newsfacts_analyst, newsfacts_loader;
