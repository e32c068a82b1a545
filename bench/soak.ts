/**
 * `npm run soak`: Drop for SOAK_SECONDS (600) under an open-loop transfer load at SOAK_LOAD_PERCENT
 * (80) of the capacity it showed in a closed-loop run just before, sampled every
 * SOAK_SAMPLE_SECONDS (10); memory, p99 and errors must stay flat (see FLAT in
 * bench/support/soak.ts for the thresholds and why). The ledger and the audit chain are verified
 * afterwards. The last line is `RESULT {json}`; the exit code is 1 when the run is not flat, not
 * verified, or could not complete.
 *
 * Settings: SOAK_ADMIN_URL (a PostgreSQL server to create drop_bench_<random> on; without it an
 * embedded PostgreSQL is started), SOAK_SECONDS (600), SOAK_SAMPLE_SECONDS (10),
 * SOAK_WARMUP_SECONDS (60: left out of slopes and drift), SOAK_LOAD_PERCENT (80),
 * SOAK_CAPACITY_SECONDS (20) after SOAK_CAPACITY_WARMUP_SECONDS (8),
 * SOAK_CONNECTIONS (8: the capacity run's connections, as bench:transfers),
 * SOAK_CUSTOMERS (1000: the open loop takes them in turn, so one customer's transfers seldom overlap),
 * SOAK_POOL (10: Drop's DATABASE_POOL_MAX), SOAK_LEDGER_SHARDS (16), SOAK_WORKER_MODE (inline: the
 * production default, so the worker's schedules run in the soaked process too).
 */
import path from 'node:path';
import { openBenchDatabase } from './support/database.ts';
import { freePort, stopAllDrops } from './support/drop-server.ts';
import { runSoak } from './support/soak.ts';
import { withBenchWorkDir } from './support/work-dir.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function setting(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, not ${raw}`);
  return value;
}

const workerMode = process.env.SOAK_WORKER_MODE || 'inline';
if (workerMode !== 'inline' && workerMode !== 'off') throw new Error(`SOAK_WORKER_MODE must be inline or off, not ${workerMode}`);
const options = {
  seconds: setting('SOAK_SECONDS', 600),
  sampleSeconds: setting('SOAK_SAMPLE_SECONDS', 10),
  warmupSeconds: setting('SOAK_WARMUP_SECONDS', 60, 0),
  loadFraction: setting('SOAK_LOAD_PERCENT', 80) / 100,
  capacitySeconds: setting('SOAK_CAPACITY_SECONDS', 20),
  capacityWarmupSeconds: setting('SOAK_CAPACITY_WARMUP_SECONDS', 8, 0),
  connections: setting('SOAK_CONNECTIONS', 8),
  customers: setting('SOAK_CUSTOMERS', 1000),
  dropPool: setting('SOAK_POOL', 10),
  ledgerShards: setting('SOAK_LEDGER_SHARDS', 16),
  workerMode: workerMode as 'inline' | 'off',
};
const ADMIN_URL = process.env.SOAK_ADMIN_URL || undefined;

await withBenchWorkDir({ name: 'soak', prefix: 'drop-soak-' }, async (work, atCleanUp) => {
  atCleanUp('stop Drop', stopAllDrops);
  const db = await openBenchDatabase({ adminUrl: ADMIN_URL, workDir: work, port: await freePort() });
  atCleanUp('remove the soak database', () => db.drop());
  console.log(`database ${db.name} on ${db.server}: ${db.settings.postgres.split(' on ')[0]}; Node ${process.version}`);
  const result = await runSoak({ ...options, root: ROOT, workDir: work, databaseUrl: db.url, pool: db.pool, log: console.log });
  console.log(
    result.flat
      ? `flat: ${JSON.stringify(result.slopes_per_minute)} per minute, drift ${JSON.stringify(result.drift)}`
      : `NOT flat: ${result.not_flat_because.join('; ')}`,
  );
  console.log(
    `RESULT ${JSON.stringify({ ...result, database: ADMIN_URL ? 'SOAK_ADMIN_URL' : 'embedded', postgres: db.settings.postgres.split(' on ')[0] })}`,
  );
  return result.flat ? 0 : 1;
});
