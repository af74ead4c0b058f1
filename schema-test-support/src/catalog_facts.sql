-- Copied from shared/tools/pg_catalog_facts.sql (the workspace's shared tools, beside the
-- repository) so that the fidelity suite (tests/fidelity_pg.rs) is self-contained; keep the
-- two in step. It is run as one query whose single column is `line`.
-- The schema of one PostgreSQL database as facts, one per line, order-independent: tables,
-- columns, constraints, indexes, types, sequences and their options, partitions, storage
-- options, RLS, functions, triggers, policies, extensions, ACLs (functions' and types' too), comments. Two databases
-- hold the same schema when these lines match. Usage: psql -X -At -d DB -f pg_catalog_facts.sql
WITH rels AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
)
SELECT line FROM (
  SELECT format('table %s.%s kind=%s', nspname, relname, relkind) AS line
    FROM rels WHERE relkind IN ('r', 'p', 'v', 'm', 'f')
  UNION ALL
  SELECT format('column %s.%s.%s type=%s notnull=%s default=%s identity=%s generated=%s',
                r.nspname, r.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                a.attnotnull, coalesce(pg_get_expr(d.adbin, d.adrelid), '-'),
                coalesce(nullif(a.attidentity, ''), '-'), coalesce(nullif(a.attgenerated, ''), '-'))
    FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
    WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f')
  UNION ALL
  SELECT format('constraint %s.%s %s %s', r.nspname, r.relname, con.conname, pg_get_constraintdef(con.oid))
    FROM pg_constraint con JOIN rels r ON r.oid = con.conrelid
  UNION ALL
  SELECT format('index %s', pg_get_indexdef(i.indexrelid))
    FROM pg_index i JOIN rels r ON r.oid = i.indrelid
    WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
  UNION ALL
  SELECT format('enum %s.%s %s', n.nspname, t.typname,
                (SELECT string_agg(quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype = 'e' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
  UNION ALL
  SELECT format('comment %s %s', pg_describe_object(d.classoid, d.objoid, d.objsubid), quote_literal(d.description))
    FROM pg_description d
    WHERE d.classoid IN ('pg_class'::regclass, 'pg_type'::regclass, 'pg_proc'::regclass, 'pg_constraint'::regclass,
                         'pg_trigger'::regclass, 'pg_policy'::regclass, 'pg_namespace'::regclass, 'pg_extension'::regclass)
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e')
      AND d.objoid >= 16384
      -- A `public` created again (as tests empty a database) with the comment
      -- a new database gives it, as in a new database.
      AND NOT (d.classoid = 'pg_namespace'::regclass AND d.objoid = 'public'::regnamespace
               AND d.description = 'standard public schema')
  UNION ALL
  SELECT format('view %s.%s %s', nspname, relname, pg_get_viewdef(oid))
    FROM rels WHERE relkind IN ('v', 'm')
  UNION ALL
  SELECT format('sequence %s.%s', nspname, relname) FROM rels WHERE relkind = 'S'
  UNION ALL
  SELECT format('sequence-options %s.%s type=%s start=%s inc=%s min=%s max=%s cache=%s cycle=%s', r.nspname, r.relname,
                format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
    FROM rels r JOIN pg_sequence s ON s.seqrelid = r.oid
  UNION ALL
  SELECT format('relation-options %s.%s persistence=%s rls=%s forcerls=%s options=%s', r.nspname, r.relname,
                c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, coalesce(c.reloptions::text, '-'))
    FROM rels r JOIN pg_class c ON c.oid = r.oid WHERE r.relkind IN ('r', 'p', 'm', 'i', 'I')
  UNION ALL
  SELECT format('partition-key %s.%s %s', nspname, relname, pg_get_partkeydef(oid)) FROM rels WHERE relkind = 'p'
  UNION ALL
  SELECT format('partition %s.%s of %s %s', r.nspname, r.relname, i.inhparent::regclass, pg_get_expr(c.relpartbound, c.oid))
    FROM rels r JOIN pg_class c ON c.oid = r.oid JOIN pg_inherits i ON i.inhrelid = r.oid WHERE c.relispartition
  UNION ALL
  SELECT format('index-valid %s', pg_get_indexdef(i.indexrelid)) FROM pg_index i JOIN rels r ON r.oid = i.indrelid WHERE NOT i.indisvalid
  UNION ALL
  SELECT format('collation %s.%s.%s %s', r.nspname, r.relname, a.attname, co.collname)
    FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type t ON t.oid = a.atttypid JOIN pg_collation co ON co.oid = a.attcollation
    WHERE a.attcollation <> 0 AND a.attcollation <> t.typcollation
  UNION ALL
  -- The entries of an ACL in text order: their order means nothing.
  SELECT format('acl %s.%s {%s}', r.nspname, r.relname, (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(c.relacl) x))
    FROM rels r JOIN pg_class c ON c.oid = r.oid WHERE c.relacl IS NOT NULL
  UNION ALL
  SELECT format('column-acl %s.%s.%s {%s}', r.nspname, r.relname, a.attname, (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(a.attacl) x))
    FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE a.attacl IS NOT NULL
  UNION ALL
  SELECT format('owner %s.%s %s', r.nspname, r.relname, pg_get_userbyid(c.relowner)) FROM rels r JOIN pg_class c ON c.oid = r.oid
  UNION ALL
  SELECT format('default-acl %s %s %s {%s}', pg_get_userbyid(d.defaclrole), coalesce(n.nspname, '*'), d.defaclobjtype,
                (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(d.defaclacl) x))
    FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
  UNION ALL
  SELECT * FROM (
    SELECT format('schema-acl %s owner=%s {%s}', n.nspname, pg_get_userbyid(n.nspowner), (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(n.nspacl) x)) AS fact
      FROM pg_namespace n
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
  ) acls
    -- `public` as a new database has it is no fact.
    WHERE fact <> 'schema-acl public owner=pg_database_owner {=U/pg_database_owner,pg_database_owner=UC/pg_database_owner}'
  UNION ALL
  SELECT format('extension %s schema=%s', e.extname, e.extnamespace::regnamespace) FROM pg_extension e WHERE e.extname <> 'plpgsql'
  UNION ALL
  SELECT format('schema %s', n.nspname) FROM pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
  UNION ALL
  SELECT format('function %s', replace(pg_get_functiondef(p.oid), E'\n', ' '))
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
  UNION ALL
  -- A function's or type's ACL and owner, when either differs from what a new
  -- one has (a NULL ACL and one listing the same entries are alike).
  SELECT format('function-acl %s owner=%s {%s}', p.oid::regprocedure, pg_get_userbyid(p.proowner),
                (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(coalesce(p.proacl, acldefault('f', p.proowner))) x))
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
      AND (p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
           OR NOT coalesce(p.proacl @> acldefault('f', p.proowner) AND p.proacl <@ acldefault('f', p.proowner), true))
  UNION ALL
  SELECT format('type-acl %s owner=%s {%s}', t.oid::regtype, pg_get_userbyid(t.typowner),
                (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(coalesce(t.typacl, acldefault('T', t.typowner))) x))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
      AND (t.typowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
           OR NOT coalesce(t.typacl @> acldefault('T', t.typowner) AND t.typacl <@ acldefault('T', t.typowner), true))
  UNION ALL
  SELECT format('trigger %s enabled=%s', pg_get_triggerdef(t.oid), t.tgenabled) FROM pg_trigger t JOIN rels r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
  UNION ALL
  SELECT format('policy %s.%s %s permissive=%s cmd=%s roles=%s using=%s check=%s', schemaname, tablename, policyname,
                permissive, cmd, roles::text, coalesce(qual, '-'), coalesce(with_check, '-'))
    FROM pg_policies
  UNION ALL
  SELECT format('domain %s.%s type=%s notnull=%s default=%s checks=%s', n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod),
                t.typnotnull, coalesce(t.typdefault, '-'),
                (SELECT string_agg(format('%s %s', c.conname, pg_get_constraintdef(c.oid)), '; ' ORDER BY c.conname) FROM pg_constraint c WHERE c.contypid = t.oid))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype = 'd' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
  UNION ALL
  SELECT format('composite %s.%s %s', n.nspname, t.typname,
                (SELECT string_agg(format('%s %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' ORDER BY a.attnum)
                   FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_class c ON c.oid = t.typrelid
    WHERE t.typtype = 'c' AND c.relkind = 'c' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
  UNION ALL
  SELECT format('collation %s.%s %s comment=%s', n.nspname, c.collname,
                to_jsonb(c) - 'oid' - 'collname' - 'collnamespace' - 'collowner' - 'collversion',
                coalesce(obj_description(c.oid, 'pg_collation'), '-'))
    FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_collation'::regclass AND e.objid = c.oid AND e.deptype = 'e')
  UNION ALL
  SELECT format('aggregate %s %s comment=%s', p.oid::regprocedure,
                to_jsonb(a) - 'aggfnoid' - 'aggtranstype' - 'aggmtranstype' - 'aggsortop'
                  || jsonb_build_object('stype', format_type(a.aggtranstype, NULL), 'sortop', a.aggsortop::regoperator::text),
                coalesce(obj_description(p.oid, 'pg_proc'), '-'))
    FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
  UNION ALL
  SELECT format('operator %s code=%s result=%s com=%s neg=%s rest=%s join=%s merges=%s hashes=%s comment=%s',
                o.oid::regoperator, o.oprcode, format_type(o.oprresult, NULL), o.oprcom::regoperator, o.oprnegate::regoperator,
                o.oprrest, o.oprjoin, o.oprcanmerge, o.oprcanhash, coalesce(obj_description(o.oid, 'pg_operator'), '-'))
    FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_operator'::regclass AND e.objid = o.oid AND e.deptype = 'e')
  UNION ALL
  SELECT format('cast %s as %s function=%s context=%s method=%s comment=%s', format_type(c.castsource, NULL), format_type(c.casttarget, NULL),
                NULLIF(c.castfunc, 0)::regprocedure, c.castcontext, c.castmethod, coalesce(obj_description(c.oid, 'pg_cast'), '-'))
    FROM pg_cast c WHERE c.oid >= 16384
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_cast'::regclass AND e.objid = c.oid AND e.deptype IN ('e', 'i'))
  UNION ALL
  SELECT format('text search configuration %s parser=%s mappings=%s comment=%s', c.oid::regconfig, p.prsname,
                (SELECT string_agg(format('%s:%s:%s', m.maptokentype, m.mapseqno, m.mapdict::regdictionary), ',' ORDER BY m.maptokentype, m.mapseqno)
                   FROM pg_ts_config_map m WHERE m.mapcfg = c.oid),
                coalesce(obj_description(c.oid, 'pg_ts_config'), '-'))
    FROM pg_ts_config c JOIN pg_ts_parser p ON p.oid = c.cfgparser JOIN pg_namespace n ON n.oid = c.cfgnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT format('text search dictionary %s template=%s options=%s comment=%s', d.oid::regdictionary, t.tmplname,
                coalesce(d.dictinitoption, '-'), coalesce(obj_description(d.oid, 'pg_ts_dict'), '-'))
    FROM pg_ts_dict d JOIN pg_ts_template t ON t.oid = d.dicttemplate JOIN pg_namespace n ON n.oid = d.dictnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT format('event trigger %s event=%s function=%s enabled=%s tags=%s comment=%s', e.evtname, e.evtevent,
                e.evtfoid::regprocedure, e.evtenabled, coalesce(e.evttags::text, '-'), coalesce(obj_description(e.oid, 'pg_event_trigger'), '-'))
    FROM pg_event_trigger e
  UNION ALL
  SELECT format('publication %s all=%s %s/%s/%s/%s viaroot=%s tables=%s schemas=%s comment=%s', p.pubname, p.puballtables,
                p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate, p.pubviaroot,
                (SELECT string_agg(r.prrelid::regclass::text, ',' ORDER BY 1) FROM pg_publication_rel r WHERE r.prpubid = p.oid),
                (SELECT string_agg(s.pnnspid::regnamespace::text, ',' ORDER BY 1) FROM pg_publication_namespace s WHERE s.pnpubid = p.oid),
                coalesce(obj_description(p.oid, 'pg_publication'), '-'))
    FROM pg_publication p
  UNION ALL
  SELECT format('rule %s enabled=%s comment=%s', pg_get_ruledef(w.oid), w.ev_enabled, coalesce(obj_description(w.oid, 'pg_rewrite'), '-'))
    FROM pg_rewrite w JOIN rels r ON r.oid = w.ev_class WHERE w.rulename <> '_RETURN'
) facts ORDER BY line;
