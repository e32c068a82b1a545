/**
 * What the database did during a measured window, per transfer: WAL (pg_stat_wal, PostgreSQL 14+,
 * no extension), bytes added to each table and index (pg_table_size / pg_relation_size before and
 * after), indexes that grew but were never read (idx_scan = 0 since the database was created), and,
 * when pg_stat_statements is installed (BENCH_PROFILE=1), time, calls and rows per statement and
 * the client's round trips (top-level statements). Everything is a difference of two snapshots, so
 * nothing is reset and nothing needs more than read access to the statistics.
 *
 * pg_stat_wal is the whole server's: on a shared BENCH_ADMIN_URL server it includes other
 * databases' writes. Relation sizes grow by whole pages (and by several at a time under
 * concurrency), so a short window over-counts one table and under-counts the next by a page or so.
 */
import type pg from 'pg';

interface Relation {
  table: string;
  /** Heap + TOAST + free space and visibility maps (pg_table_size). */
  tableBytes: number;
  indexBytes: number;
}

interface IndexRow {
  table: string;
  index: string;
  bytes: number;
  scans: number;
}

interface Statement {
  key: string;
  toplevel: boolean;
  calls: number;
  totalMs: number;
  rows: number;
  query: string;
}

export interface DbSnapshot {
  wal: { records: number; fpi: number; bytes: number };
  relations: Map<string, Relation>;
  indexes: Map<string, IndexRow>;
  statements: Map<string, Statement> | undefined;
}

/** Marks the snapshots' own statements, to leave them out of the statement profile. */
const MARK = '/* drop-bench snapshot */';

export async function snapshotDb(pool: pg.Pool, options: { statements: boolean }): Promise<DbSnapshot> {
  const wal = await pool.query<{ records: string; fpi: string; bytes: string }>(
    `${MARK} SELECT wal_records::text AS records, wal_fpi::text AS fpi, wal_bytes::text AS bytes FROM pg_stat_wal`,
  );
  const relations = await pool.query<{ table: string; table_bytes: string; index_bytes: string }>(
    `${MARK} SELECT relname AS table, pg_table_size(relid)::text AS table_bytes, pg_indexes_size(relid)::text AS index_bytes
       FROM pg_stat_user_tables`,
  );
  const indexes = await pool.query<{ table: string; index: string; bytes: string; scans: string }>(
    `${MARK} SELECT relname AS table, indexrelname AS index, pg_relation_size(indexrelid)::text AS bytes, idx_scan::text AS scans
       FROM pg_stat_user_indexes`,
  );
  let statements: DbSnapshot['statements'];
  if (options.statements) {
    const { rows } = await pool.query<{ key: string; toplevel: boolean; calls: string; total_ms: number; rows: string; query: string }>(
      `${MARK} SELECT userid || '/' || queryid || '/' || toplevel AS key, toplevel, calls::text, total_exec_time AS total_ms, rows::text, query
         FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '${MARK}%'`,
    );
    statements = new Map(
      rows.map((row) => [
        row.key,
        { key: row.key, toplevel: row.toplevel, calls: Number(row.calls), totalMs: row.total_ms, rows: Number(row.rows), query: row.query },
      ]),
    );
  }
  const first = wal.rows[0];
  return {
    wal: { records: Number(first?.records ?? 0), fpi: Number(first?.fpi ?? 0), bytes: Number(first?.bytes ?? 0) },
    relations: new Map(
      relations.rows.map((row) => [
        row.table,
        { table: row.table, tableBytes: Number(row.table_bytes), indexBytes: Number(row.index_bytes) },
      ]),
    ),
    indexes: new Map(
      indexes.rows.map((row) => [
        `${row.table}.${row.index}`,
        { table: row.table, index: row.index, bytes: Number(row.bytes), scans: Number(row.scans) },
      ]),
    ),
    statements,
  };
}

export interface StatementCost {
  query: string;
  toplevel: boolean;
  us_per_transfer: number;
  calls_per_transfer: number;
  rows_per_call: number;
}

export interface DbProfile {
  transfers: number;
  wal: { records_per_transfer: number; fpi_per_transfer: number; bytes_per_transfer: number };
  /** Bytes added per transfer; `tables` and `indexes` are the sums over every table. */
  bytes_per_transfer: { tables: number; indexes: number; by_table: Array<{ table: string; table_bytes: number; index_bytes: number }> };
  by_index: Array<{ index: string; bytes_per_transfer: number; scans_in_window: number }>;
  /** Indexes that grew in the window and have never been scanned. */
  grown_unread_indexes: Array<{ index: string; bytes_per_transfer: number }>;
  statements?: {
    /** Top-level statements (the client's round trips) per transfer. */
    round_trips_per_transfer: number;
    /** Execution time of the top-level statements per transfer (nested statements are inside it). */
    toplevel_us_per_transfer: number;
    top: StatementCost[];
  };
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));

export function profileOf(from: DbSnapshot, to: DbSnapshot, transfers: number, top = 25): DbProfile {
  const per = (value: number, digits = 0) => round(value / Math.max(1, transfers), digits);
  const byTable = [...to.relations.values()]
    .map((now) => {
      const before = from.relations.get(now.table);
      return {
        table: now.table,
        tableBytes: now.tableBytes - (before?.tableBytes ?? 0),
        indexBytes: now.indexBytes - (before?.indexBytes ?? 0),
      };
    })
    .filter((row) => row.tableBytes !== 0 || row.indexBytes !== 0)
    .sort((a, b) => b.tableBytes + b.indexBytes - (a.tableBytes + a.indexBytes));
  const byIndex = [...to.indexes.entries()]
    .map(([key, now]) => {
      const before = from.indexes.get(key);
      return { index: key, grown: now.bytes - (before?.bytes ?? 0), scansInWindow: now.scans - (before?.scans ?? 0), scans: now.scans };
    })
    .filter((row) => row.grown !== 0)
    .sort((a, b) => b.grown - a.grown);
  const profile: DbProfile = {
    transfers,
    wal: {
      records_per_transfer: per(to.wal.records - from.wal.records, 1),
      fpi_per_transfer: per(to.wal.fpi - from.wal.fpi, 2),
      bytes_per_transfer: per(to.wal.bytes - from.wal.bytes),
    },
    bytes_per_transfer: {
      tables: per(byTable.reduce((sum, row) => sum + row.tableBytes, 0)),
      indexes: per(byTable.reduce((sum, row) => sum + row.indexBytes, 0)),
      by_table: byTable.map((row) => ({ table: row.table, table_bytes: per(row.tableBytes), index_bytes: per(row.indexBytes) })),
    },
    by_index: byIndex.map((row) => ({ index: row.index, bytes_per_transfer: per(row.grown), scans_in_window: row.scansInWindow })),
    grown_unread_indexes: byIndex
      .filter((row) => row.grown > 0 && row.scans === 0)
      .map((row) => ({ index: row.index, bytes_per_transfer: per(row.grown) })),
  };
  if (from.statements && to.statements) {
    const deltas: Statement[] = [];
    for (const now of to.statements.values()) {
      const before = from.statements.get(now.key);
      const calls = now.calls - (before?.calls ?? 0);
      if (calls <= 0) continue;
      deltas.push({ ...now, calls, totalMs: now.totalMs - (before?.totalMs ?? 0), rows: now.rows - (before?.rows ?? 0) });
    }
    const toplevel = deltas.filter((s) => s.toplevel);
    profile.statements = {
      round_trips_per_transfer: per(
        toplevel.reduce((sum, s) => sum + s.calls, 0),
        2,
      ),
      toplevel_us_per_transfer: per(toplevel.reduce((sum, s) => sum + s.totalMs * 1000, 0)),
      top: deltas
        .sort((a, b) => b.totalMs - a.totalMs)
        .slice(0, top)
        .map((s) => ({
          query: s.query.replace(/\s+/g, ' ').trim(),
          toplevel: s.toplevel,
          us_per_transfer: per(s.totalMs * 1000, 1),
          calls_per_transfer: per(s.calls, 2),
          rows_per_call: round(s.rows / s.calls, 2),
        })),
    };
  }
  return profile;
}

/** Prints a window's profile under `title`. */
export function printProfile(title: string, profile: DbProfile): void {
  console.log(
    `\n[${title}] database per transfer over ${profile.transfers} transfers: WAL ${profile.wal.bytes_per_transfer} B ` +
      `(${profile.wal.records_per_transfer} records, ${profile.wal.fpi_per_transfer} full-page images); ` +
      `tables +${profile.bytes_per_transfer.tables} B, indexes +${profile.bytes_per_transfer.indexes} B`,
  );
  const tables: Record<string, Record<string, number>> = {};
  for (const row of profile.bytes_per_transfer.by_table.slice(0, 15)) {
    tables[row.table] = { 'table B/transfer': row.table_bytes, 'indexes B/transfer': row.index_bytes };
  }
  if (Object.keys(tables).length > 0) console.table(tables);
  const indexes: Record<string, Record<string, string | number>> = {};
  for (const row of profile.by_index.slice(0, 20)) {
    indexes[row.index] = { 'B/transfer': row.bytes_per_transfer, 'scans in window': row.scans_in_window };
  }
  if (Object.keys(indexes).length > 0) console.table(indexes);
  if (profile.grown_unread_indexes.length > 0) {
    console.log(
      `[${title}] indexes written but never read by anything since the database was created (grew, idx_scan = 0; reads outside this workload, e.g. history and back office, are not in the run): ` +
        profile.grown_unread_indexes.map((row) => `${row.index} ${row.bytes_per_transfer} B/transfer`).join(', '),
    );
  }
  if (profile.statements) {
    console.log(
      `[${title}] pg_stat_statements (track = all): ${profile.statements.round_trips_per_transfer} round trips per transfer, ` +
        `${profile.statements.toplevel_us_per_transfer} µs top-level execution per transfer; top statements by total time ` +
        '(nested ones are also inside their caller):',
    );
    const rows: Record<string, Record<string, string | number>> = {};
    profile.statements.top.forEach((s, i) => {
      rows[String(i + 1)] = {
        'µs/transfer': s.us_per_transfer,
        'calls/transfer': s.calls_per_transfer,
        'rows/call': s.rows_per_call,
        level: s.toplevel ? 'top' : 'nested',
        statement: s.query.slice(0, 110),
      };
    });
    console.table(rows);
  }
}
