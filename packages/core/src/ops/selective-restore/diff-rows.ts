import { type Db, type DbClient, withTransaction } from '@drop/db';
import { DomainError } from '../../errors.ts';
import { IGNORED_COLUMNS } from './table-rules.ts';

export interface RowSelection {
  table: string;
  /** A SQL condition on the table's columns, run read-only on both databases (`deleted_at IS NOT NULL`). */
  where?: string | undefined;
  /** Primary-key values (tables with a one-column key). */
  ids?: readonly string[] | undefined;
  /** At most this many rows per side (the comparison is in memory); more is refused: narrow the selection. */
  limit?: number | undefined;
}

export interface ColumnDifference {
  column: string;
  live: unknown;
  restored: unknown;
}

export interface ChangedRow {
  key: string;
  differences: ColumnDifference[];
  live: Record<string, unknown>;
  restored: Record<string, unknown>;
}

export interface RowDiff {
  table: string;
  primaryKey: string[];
  /** Columns both databases have, compared (less IGNORED_COLUMNS). */
  columns: string[];
  /** Columns one side lacks (a schema difference: the restored database is older or newer). */
  onlyLiveColumns: string[];
  onlyRestoredColumns: string[];
  counts: { restored: number; live: number; missingInLive: number; changed: number; onlyInLive: number; same: number };
  missingInLive: Array<{ key: string; row: Record<string, unknown> }>;
  changed: ChangedRow[];
  onlyInLive: Array<{ key: string; row: Record<string, unknown> }>;
}

const DEFAULT_LIMIT = 50_000;

async function tableShape(db: DbClient, table: string): Promise<{ columns: string[]; primaryKey: string[] } | undefined> {
  const { rows } = await db.query<{ columns: string[] | null; primary_key: string[] | null }>(
    `SELECT (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
            (SELECT array_agg(a.attname::text ORDER BY k.n) FROM pg_index i
               CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
              WHERE i.indrelid = c.oid AND i.indisprimary) AS primary_key
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = $1 AND c.relkind IN ('r', 'p')`,
    [table],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { columns: row.columns ?? [], primaryKey: row.primary_key ?? [] };
}

function keyOf(row: Record<string, unknown>, primaryKey: readonly string[]): string {
  return primaryKey.map((column) => String(row[column])).join('|');
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function readRows(
  db: Db,
  selection: { table: string; where: string | undefined; ids: readonly string[] | undefined; primaryKey: string[]; limit: number },
  side: string,
): Promise<Array<Record<string, unknown>>> {
  const conditions = ['true'];
  const params: unknown[] = [];
  if (selection.where) conditions.push(`(${selection.where})`);
  if (selection.ids) {
    params.push(selection.ids);
    conditions.push(`${quoteIdent(selection.primaryKey[0] ?? 'id')}::text = ANY ($${params.length}::text[])`);
  }
  params.push(selection.limit + 1);
  const sql = `SELECT to_jsonb(t) AS row FROM ${quoteIdent(selection.table)} t WHERE ${conditions.join(' AND ')}
                ORDER BY ${selection.primaryKey.map(quoteIdent).join(', ')} LIMIT $${params.length}`;
  // Read-only and one snapshot: the operator's condition cannot change anything, on either side.
  const rows = await withTransaction(
    db,
    async (client) => {
      try {
        return (await client.query<{ row: Record<string, unknown> }>(sql, params)).rows.map((r) => r.row);
      } catch (error) {
        throw new DomainError('VALIDATION_FAILED', `The selection failed on the ${side} database: ${(error as Error).message}`);
      }
    },
    { snapshot: true },
  );
  if (rows.length > selection.limit) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `More than ${selection.limit} rows of ${selection.table} on the ${side} database: narrow the selection with --where or --ids.`,
    );
  }
  return rows;
}

/** `rows` plus the rows of `db` whose keys were chosen on the other side only. */
async function withCounterparts(
  db: Db,
  table: string,
  primaryKey: string[],
  rows: Array<Record<string, unknown>>,
  other: Array<Record<string, unknown>>,
): Promise<Array<Record<string, unknown>>> {
  const have = new Set(rows.map((row) => keyOf(row, primaryKey)));
  const wanted = other.filter((row) => !have.has(keyOf(row, primaryKey)));
  if (wanted.length === 0) return rows;
  if (primaryKey.length === 1) {
    // One key column: an index lookup, the key compared in the column's own type.
    const column = quoteIdent(primaryKey[0] ?? 'id');
    const { rows: found } = await db.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${quoteIdent(table)} t
        WHERE t.${column} = ANY (SELECT r.${column} FROM jsonb_populate_recordset(NULL::${quoteIdent(table)}, $1::jsonb) AS r)`,
      [JSON.stringify(wanted.map((row) => ({ [primaryKey[0] ?? 'id']: row[primaryKey[0] ?? 'id'] })))],
    );
    return [...rows, ...found.map((r) => r.row)];
  }
  const keys = wanted.map((row) => Object.fromEntries(primaryKey.map((column) => [column, String(row[column])])));
  const match = primaryKey.map((column) => `t.${quoteIdent(column)}::text = k ->> ${`'${column.replaceAll("'", "''")}'`}`).join(' AND ');
  const { rows: found } = await db.query<{ row: Record<string, unknown> }>(
    `SELECT to_jsonb(t) AS row FROM ${quoteIdent(table)} t
      WHERE EXISTS (SELECT 1 FROM jsonb_array_elements($1::jsonb) k WHERE ${match})`,
    [JSON.stringify(keys)],
  );
  return [...rows, ...found.map((r) => r.row)];
}

/**
 * Compares chosen rows of one table between the live database and one restored aside (a backup
 * restored to a scratch database or cluster): rows missing in live, rows changed (column by
 * column), rows only in live. Reads only, on both sides.
 */
export async function diffRows(live: Db, restored: Db, selection: RowSelection): Promise<RowDiff> {
  const liveShape = await tableShape(live, selection.table);
  if (!liveShape) throw new DomainError('NOT_FOUND', `No table ${selection.table} in the live database.`);
  const restoredShape = await tableShape(restored, selection.table);
  if (!restoredShape) throw new DomainError('NOT_FOUND', `No table ${selection.table} in the restored database.`);
  const primaryKey = liveShape.primaryKey;
  if (primaryKey.length === 0) throw new DomainError('VALIDATION_FAILED', `${selection.table} has no primary key: rows cannot be matched.`);
  if (primaryKey.join(',') !== restoredShape.primaryKey.join(',')) {
    throw new DomainError('VALIDATION_FAILED', `${selection.table} has a different primary key in the restored database.`);
  }
  if (selection.ids && primaryKey.length !== 1) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `--ids needs a one-column primary key; ${selection.table} has (${primaryKey.join(', ')}). Use --where.`,
    );
  }
  const limit = selection.limit ?? DEFAULT_LIMIT;
  const read = { table: selection.table, where: selection.where, ids: selection.ids, primaryKey, limit };
  const [liveSelected, restoredSelected] = await Promise.all([readRows(live, read, 'live'), readRows(restored, read, 'restored')]);
  // A row chosen on one side is compared with its counterpart on the other whatever that one
  // holds: a user wrongly marked deleted live matches `deleted_at IS NOT NULL` only there.
  const [liveRows, restoredRows] = await Promise.all([
    withCounterparts(live, selection.table, primaryKey, liveSelected, restoredSelected),
    withCounterparts(restored, selection.table, primaryKey, restoredSelected, liveSelected),
  ]);

  const columns = liveShape.columns.filter((column) => restoredShape.columns.includes(column) && !IGNORED_COLUMNS.includes(column));
  const liveByKey = new Map(liveRows.map((row) => [keyOf(row, primaryKey), row]));
  const restoredKeys = new Set<string>();
  const diff: RowDiff = {
    table: selection.table,
    primaryKey,
    columns,
    onlyLiveColumns: liveShape.columns.filter((column) => !restoredShape.columns.includes(column)),
    onlyRestoredColumns: restoredShape.columns.filter((column) => !liveShape.columns.includes(column)),
    counts: { restored: restoredRows.length, live: liveRows.length, missingInLive: 0, changed: 0, onlyInLive: 0, same: 0 },
    missingInLive: [],
    changed: [],
    onlyInLive: [],
  };
  for (const row of restoredRows) {
    const key = keyOf(row, primaryKey);
    restoredKeys.add(key);
    const current = liveByKey.get(key);
    if (!current) {
      diff.missingInLive.push({ key, row });
      continue;
    }
    const differences = columns
      .filter((column) => JSON.stringify(current[column] ?? null) !== JSON.stringify(row[column] ?? null))
      .map((column) => ({ column, live: current[column] ?? null, restored: row[column] ?? null }));
    if (differences.length > 0) diff.changed.push({ key, differences, live: current, restored: row });
    else diff.counts.same += 1;
  }
  for (const row of liveRows) {
    const key = keyOf(row, primaryKey);
    if (!restoredKeys.has(key)) diff.onlyInLive.push({ key, row });
  }
  diff.counts.missingInLive = diff.missingInLive.length;
  diff.counts.changed = diff.changed.length;
  diff.counts.onlyInLive = diff.onlyInLive.length;
  return diff;
}
