/**
 * The Node floor of a transfer: the CPU that HTTP and one PostgreSQL round trip per request take
 * in a Node process on this machine, with nothing of Drop's in between (no auth, validation,
 * pricing, screening, hooks, logging or metrics). node-floor-server.ts answers POST /api/quotes
 * and POST /api/transfers with the bodies Drop answered, each read from the database with one
 * named statement. The customers' transfers arrive as an open loop at Drop's measured rate, one
 * every 1/rate seconds over at most as many sockets as Drop's load had (open-loop-load.ts): per-
 * request CPU depends on the rate and the arrival pattern (at a higher rate, or in bursts, more
 * work shares each wake-up), so the floor is measured at Drop's rate, evenly paced. Drop's Node
 * CPU per transfer over this floor is what Drop's own code costs; issue 18's 400 µs target is read
 * against it. The server runs with Drop's NODE_OPTIONS (BENCH_DROP_NODE_OPTIONS).
 */
import { type ChildProcess, fork } from 'node:child_process';
import type pg from 'pg';
import { cpuSeconds, sampleCpu } from './cpu.ts';
import type { BenchCustomer } from './customers.ts';
import { startOpenLoopLoad } from './open-loop-load.ts';

export interface NodeFloorResult {
  /** The floor server's CPU (user + system) per quote + create pair, µs. */
  cpuUsPerTransfer: number;
  /** Transfers (both requests answered 201) per second in the measured window. */
  transfersPerSecond: number;
  /** Transfers that failed or were shed in the measured window (the figure is then not used). */
  errors: number;
}

const READY_TIMEOUT_MS = 30_000;

/** Starts the floor server and waits until it listens. */
async function startFloorServer(options: {
  databaseUrl: string;
  port: number;
  poolMax: number;
  nodeOptions: string;
}): Promise<ChildProcess> {
  const server = fork(
    new URL('./node-floor-server.ts', import.meta.url),
    [options.databaseUrl, String(options.port), String(options.poolMax)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
      env: { ...process.env, NODE_OPTIONS: options.nodeOptions },
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the Node floor server did not listen within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      server.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      server.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      server.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the Node floor server exited (${code}) before it listened`));
      });
    });
    return server;
  } catch (error) {
    await stopFloorServer(server);
    throw error;
  }
}

async function stopFloorServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill();
  await exited;
}

export async function runNodeFloor(options: {
  pool: pg.Pool;
  databaseUrl: string;
  port: number;
  poolMax: number;
  /** The customers Drop's load used (their session cookies and recipients go in the requests). */
  customers: readonly BenchCustomer[];
  origin: string;
  /** Drop's answers to a quote and a create, sent back as they are. */
  bodies: { quote: string; transfer: string };
  sockets: number;
  seconds: number;
  warmupSeconds: number;
  /** Drop's transfers per second. */
  transfersPerSecond: number;
  /** NODE_OPTIONS for the server, as Drop had them. */
  nodeOptions: string;
}): Promise<NodeFloorResult> {
  await options.pool.query('CREATE TABLE IF NOT EXISTS bench_node_floor (kind text PRIMARY KEY, body jsonb NOT NULL)');
  let server: ChildProcess | undefined;
  try {
    await options.pool.query(
      `INSERT INTO bench_node_floor (kind, body) VALUES ('quote', $1), ('transfer', $2)
       ON CONFLICT (kind) DO UPDATE SET body = EXCLUDED.body`,
      [options.bodies.quote, options.bodies.transfer],
    );
    server = await startFloorServer(options);
    const pid = server.pid;
    if (pid === undefined) throw new Error('the Node floor server has no pid');
    const load = startOpenLoopLoad({
      url: `http://127.0.0.1:${options.port}`,
      origin: options.origin,
      customers: options.customers,
      rate: options.transfersPerSecond,
      sockets: options.sockets,
      maxInFlight: options.sockets * 4,
      timeoutMs: 10_000,
      keyPrefix: 'bench-floor-',
    });
    let window: ReturnType<typeof load.takeWindow>;
    let from: Awaited<ReturnType<typeof sampleCpu>>;
    let to: Awaited<ReturnType<typeof sampleCpu>>;
    try {
      await new Promise((resolve) => setTimeout(resolve, options.warmupSeconds * 1000));
      load.takeWindow();
      from = await sampleCpu();
      await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
      to = await sampleCpu();
      window = load.takeWindow();
    } finally {
      await load.stop();
    }
    // The server must have lived through the window, or its CPU is missing from the second sample.
    if (!from.processes.has(pid) || !to.processes.has(pid)) throw new Error('the Node floor server exited during the measurement');
    const seconds = (window.to - window.from) / 1000;
    const cpu = cpuSeconds(from, to, (p) => p === pid);
    return {
      cpuUsPerTransfer: window.completed > 0 ? (cpu * 1e6) / window.completed : Number.NaN,
      transfersPerSecond: window.completed / seconds,
      errors: window.errors + window.shed,
    };
  } finally {
    if (server) await stopFloorServer(server);
    await options.pool.query('DROP TABLE IF EXISTS bench_node_floor');
  }
}
