/**
 * The schema of a database as text, from pg_catalog: one line per object (relation, column,
 * constraint, index, trigger, function with its whole definition, view, sequence, comment,
 * privilege), sorted, so two databases built different ways can be compared with deepEqual and a
 * difference shows as the lines that differ. Data is not part of it; the bookkeeping tables'
 * rows (schema_migrations, schema_functions) are not either.
 */
import type pg from 'pg';

const QUERIES: Record<string, string> = {
  relation: `
    SELECT c.relname || ' kind=' || c.relkind::text || ' options=' || coalesce(array_to_string(c.reloptions, ','), '')
           || ' acl=' || coalesce(c.relacl::text, '') || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '')
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
  column: `
    SELECT c.relname || ' #' || row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum) || ' ' || a.attname || ' '
           || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
           || CASE a.attgenerated WHEN 's' THEN ' generated stored' ELSE '' END
           || CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END
           || coalesce(' comment ' || col_description(c.oid, a.attnum), '')
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped`,
  constraint: `
    SELECT c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
           || CASE WHEN c.convalidated THEN '' ELSE ' not valid' END
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = 'public'`,
  index: `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'`,
  trigger: `
    SELECT t.tgrelid::regclass::text || ' ' || pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND NOT t.tgisinternal`,
  function: `
    SELECT pg_get_functiondef(p.oid) || coalesce(' comment ' || obj_description(p.oid, 'pg_proc'), '')
           || ' acl=' || coalesce(p.proacl::text, '')
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`,
  view: `
    SELECT c.relname || ' ' || pg_get_viewdef(c.oid)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')`,
  sequence: `
    SELECT sequencename || ' ' || data_type || ' start ' || start_value || ' by ' || increment_by
           || ' min ' || min_value || ' max ' || max_value || ' cycle ' || cycle
      FROM pg_sequences WHERE schemaname = 'public'`,
  type: `
    SELECT t.typname || ' ' || t.typtype::text
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c')
       AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c')`,
  extension: `SELECT extname FROM pg_extension`,
};

/** The database's schema, one sorted line per object, each prefixed with its kind. */
export async function describeCatalog(db: pg.ClientBase | pg.Pool): Promise<string[]> {
  const lines: string[] = [];
  for (const [kind, sql] of Object.entries(QUERIES)) {
    const { rows } = await db.query<{ line: string }>(`SELECT line FROM (${sql}) AS object(line)`);
    for (const row of rows) lines.push(`${kind}: ${row.line}`);
  }
  return lines.sort();
}
