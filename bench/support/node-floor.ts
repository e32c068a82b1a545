/**
 * The Node floor of a transfer: the CPU that HTTP and one PostgreSQL round trip per request take
 * in a Node process on this machine, with nothing of Drop's in between (no auth, validation,
 * pricing, screening, hooks, logging or metrics). node-floor-server.ts answers POST /api/quotes
 * and POST /api/transfers with the bodies Drop answered, each read from the database with one
 * named statement that first sleeps as long as Drop took to answer (its median per endpoint).
 * Drop's own load runs against it (transfer-load.ts: the same customers, connections, requests
 * and closed loop), so requests arrive, overlap and wait on the database as they did with Drop,
 * at about Drop's rate: per-request CPU depends on that (at a higher rate, or in bursts, more
 * work shares each wake-up of the event loop; evenly paced, each request pays for its own). Drop's
 * Node CPU per transfer over this floor is what Drop's own code costs; issue 18's 400 µs target
 * is read against it. The server runs with Drop's NODE_OPTIONS (BENCH_DROP_NODE_OPTIONS).
 */
import path from 'node:path';
import type pg from 'pg';
import { cpuSeconds, sampleCpu } from './cpu.ts';
import type { BenchCustomer } from './customers.ts';
import { type DropProcess, startDrop, waitFor } from './drop-server.ts';
import { runTransferLoad } from './transfer-load.ts';

export interface NodeFloorResult {
  /** The floor server's CPU (user + system) per quote + create pair, µs. */
  cpuUsPerTransfer: number;
  /** Transfers (both requests answered 201) per second in the measured window. */
  transfersPerSecond: number;
  /** Requests that failed in the measured window (the figure is then not used). */
  errors: number;
}

export async function runNodeFloor(options: {
  root: string;
  logFile: string;
  pool: pg.Pool;
  databaseUrl: string;
  port: number;
  poolMax: number;
  /** The customers Drop's load used (their session cookies and recipients go in the requests). */
  customers: readonly BenchCustomer[];
  origin: string;
  /** Drop's answers to a quote and a create, sent back as they are. */
  bodies: { quote: string; transfer: string };
  /** How long Drop took to answer each (median, ms): each floor answer waits as long in the database. */
  delaysMs: { quote: number; create: number };
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** NODE_OPTIONS for the server, as Drop had them. */
  nodeOptions: string;
}): Promise<NodeFloorResult> {
  await options.pool.query('CREATE TABLE IF NOT EXISTS bench_node_floor (kind text PRIMARY KEY, body jsonb NOT NULL)');
  let server: DropProcess | undefined;
  try {
    await options.pool.query(
      `INSERT INTO bench_node_floor (kind, body) VALUES ('quote', $1), ('transfer', $2)
       ON CONFLICT (kind) DO UPDATE SET body = EXCLUDED.body`,
      [options.bodies.quote, options.bodies.transfer],
    );
    // Started and stopped as Drop is (its own process group, its log, stopped on interruption).
    server = await startDrop({
      root: options.root,
      port: options.port,
      logFile: options.logFile,
      entry: path.join('bench', 'support', 'node-floor-server.ts'),
      env: {
        NODE_OPTIONS: options.nodeOptions,
        PORT: String(options.port),
        NODE_FLOOR_DATABASE_URL: options.databaseUrl,
        NODE_FLOOR_POOL: String(options.poolMax),
        NODE_FLOOR_QUOTE_DELAY: String(options.delaysMs.quote / 1000),
        NODE_FLOOR_CREATE_DELAY: String(options.delaysMs.create / 1000),
      },
    });
    const url = `http://127.0.0.1:${options.port}`;
    // Listening: any HTTP answer (a GET it has no route for is a 404).
    await waitFor('the Node floor server', server, () => fetch(`${url}/`).then(() => true));
    const pid = server.pid;
    const loadOptions = { url, origin: options.origin, customers: options.customers, connections: options.connections };
    if (options.warmupSeconds > 0) await runTransferLoad({ ...loadOptions, seconds: options.warmupSeconds });
    const from = await sampleCpu();
    const load = await runTransferLoad({ ...loadOptions, seconds: options.seconds });
    const to = await sampleCpu();
    // The server must have lived through the window, or its CPU is missing from the second sample.
    if (!from.processes.has(pid) || !to.processes.has(pid)) throw new Error('the Node floor server exited during the measurement');
    const cpu = cpuSeconds(from, to, (p) => p === pid);
    return {
      cpuUsPerTransfer: load.transfersAccepted > 0 ? (cpu * 1e6) / load.transfersAccepted : Number.NaN,
      transfersPerSecond: load.transfersAccepted / load.seconds,
      errors: load.non2xx + load.socketErrors,
    };
  } finally {
    if (server) await server.stop();
    await options.pool.query('DROP TABLE IF EXISTS bench_node_floor');
  }
}
