/**
 * `npm run bench:health`: throughput and latency of GET /api/health under load, and the cold-start
 * time of `npm start` to a healthy /api/health. Every figure is printed next to a baseline measured
 * in the same run on the same machine:
 *   - load: a bare node:http server doing the same `SELECT 1` through the same pg pool size;
 *   - start: the same bare server's time from spawn to its first answer; Drop is started with
 *     `npm start` on the embedded default, as on a fresh machine (prestart build, PostgreSQL start,
 *     migration check, worker, HTTP).
 * The load generator (autocannon) shares the machine's cores with the server, as in the anchors.
 * Settings: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@drop/db';
import autocannon from 'autocannon';
import { freePort } from './support/drop-server.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

const BASELINE_SERVER = `
import http from 'node:http';
import pg from 'pg';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
http.createServer(async (req, res) => {
  const started = performance.now();
  try { await pool.query('SELECT 1'); res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { status: 'ok', checks: { db: { status: 'ok', latencyMs: performance.now() - started } } } })); }
  catch { res.writeHead(503); res.end(); }
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

async function waitForHealthy(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(url).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`${url} not healthy after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Each server runs in its own process group: `npm start` is npm → sh → node, and a signal to npm
// alone would leave the server running (and answering the next measurement).
function spawnServer(command: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
}

async function stop(child: ChildProcess, port: number): Promise<void> {
  if (child.exitCode === null && child.pid) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  // The port must be free before the next measurement, or it would time the old server.
  for (;;) {
    const free = await fetch(`http://127.0.0.1:${port}/`).then(
      () => false,
      () => true,
    );
    if (free) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function load(url: string) {
  // Warm up (JIT, pool connections), then measure.
  await autocannon({ url, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total };
}

const work = await mkdtemp(path.join(tmpdir(), 'drop-bench-'));
await chmod(work, 0o755);
const pgPort = await freePort();
const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dir: path.join(work, 'pg'), port: pgPort });
const databaseUrl = process.env.DATABASE_URL || (embedded?.url as string);
const baselineFile = path.join(ROOT, 'bench', '.baseline-server.mjs');
await writeFile(baselineFile, BASELINE_SERVER);

try {
  // 1. Start-up: the bare server, then Drop started by `npm start` (installed, database initialised).
  const basePort = await freePort();
  const baseline = spawnServer(process.execPath, [baselineFile], { DATABASE_URL: databaseUrl, PORT: String(basePort) });
  const baselineStartMs = await waitForHealthy(`http://127.0.0.1:${basePort}/`, baseline);

  // `npm start` as on a fresh machine: no DATABASE_URL, so Drop starts its embedded PostgreSQL.
  // The first start creates the cluster and applies migrations; the second is the everyday cold
  // start (installed, initialised, nothing running).
  const startPort = await freePort();
  const startEnv = {
    DATABASE_URL: '',
    PORT: String(startPort),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    EMBEDDED_PG_DIR: path.join(work, 'start-pg'),
    EMBEDDED_PG_PORT: String(await freePort()),
  };
  let drop = spawnServer('npm', ['start', '--silent'], startEnv);
  const dropFirstStartMs = await waitForHealthy(`http://127.0.0.1:${startPort}/api/health`, drop);
  await stop(drop, startPort);
  drop = spawnServer('npm', ['start', '--silent'], startEnv);
  const dropStartMs = await waitForHealthy(`http://127.0.0.1:${startPort}/api/health`, drop);
  await stop(drop, startPort);

  const dropPort = await freePort();
  const dropEnv = { DATABASE_URL: databaseUrl, PORT: String(dropPort), LOG_LEVEL: 'warn', NODE_ENV: 'development' };
  // Migrate the load-test database once before measuring.
  drop = spawnServer(process.execPath, ['apps/api/src/main.ts'], dropEnv);
  await waitForHealthy(`http://127.0.0.1:${dropPort}/api/health`, drop);
  await stop(drop, dropPort);

  // 2. Load on GET /api/health, baseline first, each server alone on the machine.
  const baselineLoad = await load(`http://127.0.0.1:${basePort}/`);
  await stop(baseline, basePort);
  drop = spawnServer(process.execPath, ['apps/api/src/main.ts'], dropEnv);
  await waitForHealthy(`http://127.0.0.1:${dropPort}/api/health`, drop);
  const dropLoad = await load(`http://127.0.0.1:${dropPort}/api/health`);
  await stop(drop, dropPort);

  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log(
    `\nGET /api/health, ${CONNECTIONS} connections, ${SECONDS} s, Node ${process.version}, 1 round trip to PostgreSQL per request`,
  );
  console.table({
    'baseline (node:http + pg)': { 'req/s': Math.round(baselineLoad.rps), 'p50 ms': baselineLoad.p50, 'p99 ms': baselineLoad.p99 },
    'Drop /api/health': { 'req/s': Math.round(dropLoad.rps), 'p50 ms': dropLoad.p50, 'p99 ms': dropLoad.p99 },
  });
  console.log(`throughput ratio Drop/baseline: ${ratio(dropLoad.rps, baselineLoad.rps)}`);
  console.log(`p99 ratio Drop/baseline: ${ratio(dropLoad.p99, baselineLoad.p99)} (Drop p99 ${dropLoad.p99} ms)`);
  console.log('\nstart to first healthy answer (spawn → 200):');
  console.table({
    'baseline (node:http + pg, database up)': { ms: Math.round(baselineStartMs), ratio: '1.00' },
    'npm start, embedded PostgreSQL, cold': { ms: Math.round(dropStartMs), ratio: ratio(dropStartMs, baselineStartMs) },
    'npm start, first ever (initdb + migrations)': { ms: Math.round(dropFirstStartMs), ratio: ratio(dropFirstStartMs, baselineStartMs) },
  });
} finally {
  await rm(baselineFile, { force: true });
  await embedded?.stop();
  await rm(work, { recursive: true, force: true });
}
