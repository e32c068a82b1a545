/**
 * The Node floor of a transfer: the CPU that HTTP and one PostgreSQL round trip per request take
 * in a Node process on this machine, with nothing of Drop's in between (no auth, validation,
 * pricing, screening, hooks, logging or metrics). node-floor-server.ts answers POST /api/quotes
 * and POST /api/transfers with the bodies Drop answered, each read from the database with one
 * named statement; autocannon sends the same requests over the same number of connections at
 * Drop's measured request rate (per-request CPU depends on the rate: at a higher one, more work
 * shares each wake-up). Drop's Node CPU per transfer over this floor is what Drop's own code
 * costs; issue 18's 400 µs target is read against it.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type pg from 'pg';
import { cpuSeconds, sampleCpu } from './cpu.ts';

export interface NodeFloorResult {
  /** The floor server's CPU (user + system) per quote + create pair, µs. */
  cpuUsPerTransfer: number;
  /** Quote + create pairs answered per second (the rate asked for, if the floor kept up). */
  transfersPerSecond: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
}

export async function runNodeFloor(options: {
  pool: pg.Pool;
  databaseUrl: string;
  port: number;
  poolMax: number;
  /** A bench customer's session token and Drop's origin: the requests carry Drop's headers. */
  sessionToken: string;
  origin: string;
  /** Drop's answers to a quote and a create, sent back as they are. */
  bodies: { quote: string; transfer: string };
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Requests per second over all connections (two per transfer). */
  requestsPerSecond: number;
}): Promise<NodeFloorResult> {
  await options.pool.query('CREATE TABLE IF NOT EXISTS bench_node_floor (kind text PRIMARY KEY, body jsonb NOT NULL)');
  await options.pool.query(
    `INSERT INTO bench_node_floor (kind, body) VALUES ('quote', $1), ('transfer', $2)
     ON CONFLICT (kind) DO UPDATE SET body = EXCLUDED.body`,
    [options.bodies.quote, options.bodies.transfer],
  );
  const server = fork(
    new URL('./node-floor-server.ts', import.meta.url),
    [options.databaseUrl, String(options.port), String(options.poolMax)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('message', () => resolve());
      server.once('exit', (code) => reject(new Error(`the Node floor server exited (${code}) before it listened`)));
    });
    const pid = server.pid;
    if (pid === undefined) throw new Error('the Node floor server has no pid');
    // The requests Drop's load sends: the same headers and bodies (a quote, then a create).
    const headers = { 'content-type': 'application/json', cookie: `__Host-drop_session=${options.sessionToken}`, origin: options.origin };
    const load = (seconds: number) =>
      autocannon({
        url: `http://127.0.0.1:${options.port}`,
        connections: options.connections,
        duration: seconds,
        overallRate: Math.max(1, Math.round(options.requestsPerSecond)),
        requests: [
          { method: 'POST', path: '/api/quotes', headers, body: JSON.stringify({ country: 'DE', currency: 'EUR', sendAmount: '500' }) },
          {
            method: 'POST',
            path: '/api/transfers',
            setupRequest: (request) => ({
              ...request,
              headers: { ...headers, 'idempotency-key': randomUUID() },
              body: JSON.stringify({ quoteId: 'qt_01KBX3Z8Q7S1M2N3P4R5T6V7W8', recipientId: 'rcp_01KBX3Z8Q7S1M2N3P4R5T6V7W8' }),
            }),
          },
        ],
      });
    if (options.warmupSeconds > 0) await load(options.warmupSeconds);
    const from = await sampleCpu();
    const result = await load(options.seconds);
    const to = await sampleCpu();
    const cpu = cpuSeconds(from, to, (p) => p === pid);
    const transfers = result.requests.total / 2;
    return {
      cpuUsPerTransfer: transfers > 0 ? (cpu * 1e6) / transfers : Number.NaN,
      transfersPerSecond: transfers / options.seconds,
      requestsPerSecond: result.requests.total / options.seconds,
      non2xx: result.non2xx,
      errors: result.errors,
    };
  } finally {
    server.kill();
    await options.pool.query('DROP TABLE IF EXISTS bench_node_floor');
  }
}
