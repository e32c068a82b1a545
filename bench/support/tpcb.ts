/**
 * The standard baseline: pgbench's built-in TPC-B-like script (`pgbench -b tpcb-like`) on a
 * database of its own, `drop_bench_tpcb_<random>`, on the same server as the bench database,
 * initialised at scale TPCB_SCALE (`pgbench -i -s 10`: 1,000,000 accounts, 100 tellers, 10
 * branches). Commits are durable like everything else in the run (the tables are logged; nothing
 * touches fsync or synchronous_commit).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchDatabase } from './database.ts';
import { type PgbenchResult, pgEnvironment, runPgbench } from './pgbench.ts';

export const TPCB_SCALE = 10;

export interface TpcbDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates and initialises the TPC-B database next to `db` (db.drop() removes it too). */
export async function createTpcbDatabase(db: BenchDatabase, scale = TPCB_SCALE): Promise<TpcbDatabase> {
  const tpcb = await db.createSibling('drop_bench_tpcb_');
  const started = performance.now();
  try {
    await promisify(execFile)('/usr/bin/pgbench', ['-i', '-s', String(scale), '-q'], {
      env: pgEnvironment(tpcb.url),
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    await tpcb.drop().catch(() => undefined);
    throw error;
  }
  console.log(`TPC-B database ${tpcb.name}: pgbench -i -s ${scale} in ${Math.round((performance.now() - started) / 1000)} s`);
  return tpcb;
}

/** One TPC-B run: `clients` connections, prepared statements, `seconds` long. */
export function runTpcb(options: { tpcb: TpcbDatabase; workDir: string; clients: number; seconds: number }): Promise<PgbenchResult> {
  return runPgbench({
    databaseUrl: options.tpcb.url,
    workDir: options.workDir,
    clients: options.clients,
    seconds: options.seconds,
    workload: { builtin: 'tpcb-like' },
  });
}
