/**
 * `npm run fuzz`: Drop on a fresh database, fuzzed with FUZZ_REQUESTS (10000) requests drawn from
 * FUZZ_SEED (random unless given), one at a time (see run.ts for what is drawn and checked). The
 * database server is DATABASE_URL's when set (a fresh `drop_fuzz_<random>` database is created on
 * it and dropped at the end), otherwise an embedded PostgreSQL under .data/fuzz-postgres.
 * FUZZ_LOG_LEVEL (silent) shows the server's log, e.g. `error` to see a 5xx's stack.
 *
 * Prints the failures found, then one line `RESULT {json}`: requests, counts by status class, by
 * status and by actor, errors without a stable code, 5xx, refused requests that wrote, the seed and
 * the time taken. Exits 1 on any 5xx, error without a code, write by a refused request, or request
 * left unanswered.
 */
import path from 'node:path';
import { startEmbeddedPostgres } from '@drop/db';
import { startDropOnFreePort, stopDropOnFreePort } from '../support/drop-on-port.ts';
import { passed, resultLine, runFuzz } from './run.ts';

const root = path.resolve(import.meta.dirname, '../..');

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return value;
}

const requests = setting('FUZZ_REQUESTS', 10_000);
const seed = setting('FUZZ_SEED', Math.floor(Math.random() * 2 ** 31) + 1);
console.log(`fuzz: ${requests} requests, seed ${seed} (replay with FUZZ_SEED=${seed})`);

let stopEmbedded: (() => Promise<void>) | undefined;
if (process.env.DATABASE_URL) {
  process.env.DROP_TEST_ADMIN_URL = process.env.DATABASE_URL;
} else {
  const embedded = await startEmbeddedPostgres({ dir: path.join(root, '.data/fuzz-postgres'), port: 54332, database: 'postgres' });
  process.env.DROP_TEST_ADMIN_URL = embedded.url;
  stopEmbedded = () => embedded.stop();
}

const started = performance.now();
const running = await startDropOnFreePort({
  // Sign-in is rate limited per address, and every request here comes from one: the limit would
  // answer most sign-in attempts with 429 and keep the fuzzer from signing its actors in again.
  SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000000',
  // Likewise the per-customer limits on quotes, transfers, recipients and KYC starts: the fuzzer's
  // few customers send thousands of requests, which should reach the handlers, not stop at 429.
  CUSTOMER_RATE_LIMIT_MULTIPLIER: '1000000',
  LOG_LEVEL: process.env.FUZZ_LOG_LEVEL ?? 'silent',
});
let ok = false;
try {
  const result = await runFuzz({
    base: running.base,
    pool: running.db.pool,
    requests,
    seed,
    progress: (done) => console.error(`fuzz: ${done} requests sent`),
  });
  for (const failure of result.failures) console.log(`FAIL ${failure.kind} ${failure.status}: ${failure.request}\n  → ${failure.detail}`);
  ok = passed(result);
  console.log(resultLine(result, { seconds: Math.round((performance.now() - started) / 1000) }));
} finally {
  await stopDropOnFreePort(running);
  await stopEmbedded?.();
}
process.exit(ok ? 0 : 1);
