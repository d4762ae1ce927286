-- The documented warehouse: every table, view and materialized view of the given schemas,
-- with its columns and their comments (input of `newsfacts dictionary`). A schema without
-- relations yet still appears, as one row with a null relation.
SELECT n.nspname                                                  AS schema,
       obj_description(n.oid, 'pg_namespace')                     AS schema_comment,
       has_schema_privilege('newsfacts_analyst', n.oid, 'USAGE')  AS analyst_reads,
       c.relname                                                  AS relation,
       CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                      WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' END AS kind,
       obj_description(c.oid, 'pg_class')                         AS relation_comment,
       a.attname                                                  AS column_name,
       format_type(a.atttypid, a.atttypmod)                       AS column_type,
       NOT a.attnotnull                                           AS nullable,
       col_description(c.oid, a.attnum)                           AS column_comment
FROM pg_namespace n
LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = ANY (%(schemas)s)
ORDER BY array_position(%(schemas)s, n.nspname::text), c.relname, a.attnum;
