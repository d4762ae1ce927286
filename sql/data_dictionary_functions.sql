-- The documented warehouse's functions: name, arguments, result, comment and whether the
-- analyst role may call them (second input of `newsfacts dictionary`). Functions that
-- belong to an extension are left out: they are documented by the extension.
SELECT n.nspname                                                   AS schema,
       p.proname                                                   AS name,
       pg_get_function_identity_arguments(p.oid)                   AS arguments,
       pg_get_function_result(p.oid)                               AS result,
       obj_description(p.oid, 'pg_proc')                           AS comment,
       has_function_privilege('newsfacts_analyst', p.oid, 'EXECUTE') AS analyst_calls
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = ANY (%(schemas)s)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
ORDER BY array_position(%(schemas)s, n.nspname::text), p.proname, arguments;
