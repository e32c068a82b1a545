/**
 * Faults under load (issue 17, item 3; reliability anchors §4.4–4.5), on loopback only: Drop's API,
 * its worker and the payout partner's simulator as separate processes on a PostgreSQL cluster of
 * the run's own, the API's database connections through a TCP proxy. While customers create,
 * cancel and pay in transfers (and the worker pays them out, and the partner's webhooks come
 * back), the run injects each fault kind `rounds` times, in a shuffled order per round:
 *
 *   api_kill9                 kill -9 the API, start it again
 *   worker_kill9              kill -9 the worker, start it again
 *   backend_kill9             kill -9 one PostgreSQL backend of the API (the postmaster then
 *                             restarts every backend: all connections break at once)
 *   backend_terminate         pg_terminate_backend on every backend of the API and the worker
 *   postgres_stop_immediate   pg_ctl stop -m immediate, then start (crash recovery)
 *   cut_before_commit         the proxy cuts the next connection that sends COMMIT, unsent
 *   cut_after_commit          … or sends it and cuts before the answer reaches the API
 *
 * After each one it waits until Drop has recovered (health green and a probe customer's transfer
 * created: the recovery time) and checks P1–P11 (./support/checks.ts). At the end the load stops,
 * unanswered requests are retried until answered, the payouts in flight settle (P12: nothing
 * stuck), and everything is checked once more, including that no transfer exists that the client
 * was not told of.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keyRingFromSecret, signSessionToken } from '@drop/core';
import { freePort, newId } from '@drop/db';
import { createLogger } from '@drop/observability';
import { migrateDatabase } from '@drop/worker';
import pg from 'pg';
import { type BenchCustomer, createCustomers } from '../bench/support/customers.ts';
import { enrolStaff, STAFF_PASSWORD, signInCode } from '../test/support/staff.ts';
import { startTcpProxy } from '../test/support/tcp-proxy.ts';
import { type CheckOutcome, checkInvariants, type PartnerPayouts, stuckTransfers } from './support/checks.ts';
import { createChaosCluster } from './support/cluster.ts';
import { type Client, createTransfer, customerLoop, newHistory } from './support/load.ts';
import { type ManagedProcess, managedProcess, ROOT, waitUntil } from './support/processes.ts';

export const FAULT_KINDS = [
  'api_kill9',
  'worker_kill9',
  'backend_kill9',
  'backend_terminate',
  'postgres_stop_immediate',
  'cut_before_commit',
  'cut_after_commit',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ChaosOptions {
  /** Each fault kind is injected this many times. */
  rounds: number;
  /** Load between two faults. */
  intervalSeconds: number;
  customers: number;
  /** After the load stops: how long unanswered requests and payouts in flight may take to settle. */
  drainSeconds: number;
  log: (line: string) => void;
}

export interface FaultRecord {
  kind: FaultKind;
  injected: boolean;
  detail: string;
  recoveryMs: number | null;
  checksPassed: number;
  failed: CheckOutcome[];
}

export interface ChaosResult {
  ok: boolean;
  seconds: number;
  faults: { injected: Record<string, number>; notInjected: Record<string, number> };
  acknowledged: { total: number; create: number; cancel: number; payin: number; afterUnknownOutcome: number };
  lost: number;
  duplicated: number;
  unanswered: number;
  retries: number;
  retryable: Record<string, number>;
  refused: Record<string, number>;
  internalErrors: number;
  recoveryMs: Record<string, { min: number; max: number }>;
  invariantChecks: { passed: number; failed: number };
  failures: Array<{ after: string; name: string; detail?: unknown }>;
  stuck: Array<{ id: string; status: string }>;
  transfers: Record<string, number>;
  partner: { transfers: number; paid: number };
  unexpectedExits: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A customer sends a few hundred kroner many times a run: the period limits are checked on every
// transfer but never reached (as in bench:transfers).
const TIER_LIMITS_JSON = JSON.stringify({
  1: { perTransferNok: 50_000, thirtyDaysNok: 100_000, twelveMonthsNok: 300_000 },
  2: { perTransferNok: 250_000, thirtyDaysNok: 1_000_000_000, twelveMonthsNok: 1_000_000_000 },
});

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = performance.now();
  const log = options.log;
  const workDir = await mkdtemp(path.join(tmpdir(), 'drop-chaos-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const cluster = await createChaosCluster();
    cleanups.push(() => cluster.remove());
    log(`PostgreSQL on 127.0.0.1:${cluster.port} (${cluster.dataDir})`);
    const pool = new pg.Pool({ connectionString: cluster.url, max: 4, connectionTimeoutMillis: 5000 });
    // The harness's own connections break with every database fault; a broken idle one is dropped.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    cleanups.push(() => pool.end());
    await migrateDatabase(pool, createLogger({ level: 'silent' }));

    const apiPort = await freePort();
    const simPort = await freePort();
    const base = `http://127.0.0.1:${apiPort}`;
    const origin = `http://localhost:${apiPort}`;
    const jwtSecret = randomBytes(32).toString('hex');
    const everyone = await createCustomers(pool, { count: options.customers + 1, jwtSecret, issuer: origin });
    const probeCustomer = everyone.at(-1) as BenchCustomer;
    const customers = everyone.slice(0, -1);
    const customerIds = everyone.map((customer) => customer.userId);

    // P11: a second session of the first customer, signed out before any fault.
    const revokedSessionId = newId('ses');
    const revokedExpiry = (
      await pool.query<{ expires_at: Date }>(
        `INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day') RETURNING expires_at`,
        [revokedSessionId, customers[0]?.userId],
      )
    ).rows[0]?.expires_at as Date;
    const revokedToken = await signSessionToken(keyRingFromSecret(jwtSecret), origin, {
      userId: customers[0]?.userId ?? '',
      sessionId: revokedSessionId,
      expiresAt: revokedExpiry,
    });
    const revokedSessionAnswer = async () =>
      (await fetch(`${base}/api/me`, { headers: { cookie: `__Host-drop_session=${revokedToken}` }, signal: AbortSignal.timeout(10_000) }))
        .status;

    const proxy = await startTcpProxy({ host: '127.0.0.1', port: cluster.port });
    cleanups.push(() => proxy.close());
    const viaProxy = `postgres://postgres@127.0.0.1:${proxy.port}/drop`;

    const keyFile = path.join(workDir, 'wise-webhook-key.pem');
    const partner = managedProcess({
      name: 'partner',
      args: [path.join('chaos', 'support', 'wise-simulator-server.ts'), String(simPort), `${base}/api/webhooks/wise`, keyFile, '1000'],
      env: {},
      logFile: path.join(workDir, 'partner.log'),
      ready: () =>
        waitUntil('the payout simulator', async () => existsSync(keyFile) && (await fetch(`http://127.0.0.1:${simPort}/chaos/payouts`)).ok),
    });
    await partner.start();
    cleanups.push(() => partner.stop());
    const partnerPayouts = async (): Promise<PartnerPayouts> =>
      (await (await fetch(`http://127.0.0.1:${simPort}/chaos/payouts`)).json()) as PartnerPayouts;

    const env: Record<string, string> = {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      PUBLIC_URL: origin,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      JWT_SECRET: jwtSecret,
      SESSION_IDLE_TIMEOUT_SECONDS: String(30 * 24 * 3600),
      KYC_TIER_LIMITS: TIER_LIMITS_JSON,
      QUOTE_TTL_SECONDS: '1800',
      // The load generator's few customers create transfers far faster than a person: no per-customer cap.
      CUSTOMER_RATE_LIMIT_MULTIPLIER: '1000000',
      SANCTIONS_SHIPPED_LISTS: 'false',
      PAYOUT_SIMULATOR_ENABLED: 'false',
      WISE_API_URL: `http://127.0.0.1:${simPort}/wise-sim`,
      WISE_API_TOKEN: 'simulator-token',
      WISE_WEBHOOK_PUBLIC_KEY: await readFile(keyFile, 'utf8'),
      NODE_COMPILE_CACHE: path.join(ROOT, 'node_modules', '.cache', 'node-compile-cache'),
    };
    const quoteAs = (customer: BenchCustomer) =>
      fetch(`${base}/api/quotes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `__Host-drop_session=${customer.token}`, origin },
        body: JSON.stringify({ country: 'DE', currency: 'EUR', sendAmount: '500' }),
        signal: AbortSignal.timeout(5000),
      });
    const api = managedProcess({
      name: 'api',
      args: [path.join('apps', 'api', 'src', 'main.ts')],
      env: { ...env, DATABASE_URL: viaProxy, WORKER_MODE: 'off' },
      logFile: path.join(workDir, 'api.log'),
      ready: () => waitUntil('the API to answer a quote', async () => (await quoteAs(probeCustomer)).status === 201, 180_000),
    });
    const worker = managedProcess({
      name: 'worker',
      args: [path.join('apps', 'cli', 'src', 'main.ts'), 'worker'],
      env: { ...env, DATABASE_URL: cluster.url },
      logFile: path.join(workDir, 'worker.log'),
      ready: () =>
        waitUntil(
          'the worker',
          async () => (await readFile(path.join(workDir, 'worker.log'), 'utf8')).split('Worker running').length > workerStarts,
          180_000,
        ),
    });
    let workerStarts = 1;
    const startWorker = async () => {
      await worker.start();
      workerStarts++;
    };
    await api.start();
    cleanups.push(() => api.stop());
    await startWorker();
    cleanups.push(() => worker.stop());
    log(`API on ${base} (pid ${api.pid()}), worker (pid ${worker.pid()}), payout simulator on ${simPort}`);

    // Sign out the revoked session through the API, and sign in the staff member who uploads bank files.
    const logout = await fetch(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `__Host-drop_session=${revokedToken}`, origin },
    });
    if (logout.status >= 300) throw new Error(`logout answered ${logout.status}`);
    if ((await revokedSessionAnswer()) !== 401) throw new Error('the signed-out session is still accepted before any fault');
    const staffCookie = await signInStaff(pool, base, origin);

    const history = newHistory();
    let stopping = false;
    let deadline = Number.POSITIVE_INFINITY;
    const client: Client = { base, origin, staffCookie, history, deadline: () => deadline };
    const loops = customers.map((customer) => customerLoop(client, customer, () => stopping));
    const processes: ManagedProcess[] = [api, worker, partner];

    const faults: FaultRecord[] = [];
    const failures: ChaosResult['failures'] = [];
    let checksPassed = 0;
    let lost = 0;
    let duplicated = 0;
    const runChecks = async (after: string, final: boolean): Promise<CheckOutcome[]> => {
      const checked = await checkInvariants({ pool, history, customerIds, partnerPayouts, revokedSessionAnswer, final });
      const outcomes = checked.outcomes;
      // Writes lost or duplicated at any check stay counted (a later check may no longer see them the same way).
      lost = Math.max(lost, checked.lost);
      duplicated = Math.max(duplicated, checked.duplicated);
      for (const outcome of outcomes) {
        if (outcome.ok) checksPassed++;
        else failures.push({ after, name: outcome.name, detail: outcome.detail });
      }
      return outcomes;
    };

    /** Health green and the probe customer's transfer created: how long after `since`. */
    const recovered = async (since: number): Promise<number> => {
      await waitUntil(
        'health to be green',
        async () => (await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) })).status === 200,
        180_000,
        50,
      );
      const probe = await createTransfer(client, probeCustomer, '150');
      if (!probe) throw new Error('the probe transfer was refused after a fault');
      return Math.round(performance.now() - since);
    };

    const inject = async (kind: FaultKind): Promise<{ injected: boolean; detail: string }> => {
      switch (kind) {
        case 'api_kill9': {
          const pid = api.pid();
          await api.kill9();
          await api.start();
          return { injected: true, detail: `killed pid ${pid}` };
        }
        case 'worker_kill9': {
          const pid = worker.pid();
          await worker.kill9();
          await startWorker();
          return { injected: true, detail: `killed pid ${pid}` };
        }
        case 'backend_kill9': {
          const pid = (await cluster.backendPid('drop-api')) ?? (await cluster.backendPid());
          if (!pid) return { injected: false, detail: 'no backend' };
          process.kill(pid, 'SIGKILL');
          return { injected: true, detail: `killed backend ${pid}` };
        }
        case 'backend_terminate': {
          const ended = (await cluster.terminateBackends('drop-api')) + (await cluster.terminateBackends('drop-cli'));
          return { injected: ended > 0, detail: `${ended} backends terminated` };
        }
        case 'postgres_stop_immediate': {
          await cluster.stopImmediately();
          await sleep(1000);
          await cluster.start();
          return { injected: true, detail: 'stopped -m immediate, down 1 s' };
        }
        case 'cut_before_commit':
        case 'cut_after_commit': {
          const armed = proxy.cutAtCommit(kind === 'cut_before_commit' ? 'before' : 'after');
          const cut = await Promise.race([armed.cut.then(() => true), sleep(30_000).then(() => false)]);
          if (!cut) armed.cancel();
          return { injected: cut, detail: cut ? 'one connection cut at COMMIT' : 'no COMMIT within 30 s' };
        }
      }
    };

    const schedule = Array.from({ length: options.rounds }, () => shuffled(FAULT_KINDS)).flat();
    for (const [index, kind] of schedule.entries()) {
      await sleep(options.intervalSeconds * 1000);
      const at = performance.now();
      const { injected, detail } = await inject(kind);
      const recoveryMs = injected ? await recovered(at) : null;
      const outcomes = await runChecks(`${kind} #${index + 1}`, false);
      const failed = outcomes.filter((outcome) => !outcome.ok);
      faults.push({ kind, injected, detail, recoveryMs, checksPassed: outcomes.length - failed.length, failed });
      log(
        `fault ${index + 1}/${schedule.length} ${kind}: ${detail}; recovered in ${recoveryMs ?? '-'} ms; ` +
          `${outcomes.length - failed.length}/${outcomes.length} checks passed${failed.length ? `: FAILED ${failed.map((f) => f.name).join(', ')}` : ''}; ` +
          `${history.acknowledged.length} writes acknowledged`,
      );
    }

    // The end: stop the load, let unanswered requests and payouts in flight settle, check everything.
    stopping = true;
    deadline = Date.now() + options.drainSeconds * 1000;
    await Promise.all(loops);
    log(`load stopped: ${history.acknowledged.length} writes acknowledged, ${history.unanswered.length} unanswered`);
    let stuck = await stuckTransfers(pool, customerIds);
    const settleBy = Date.now() + options.drainSeconds * 1000;
    while (stuck.length > 0 && Date.now() < settleBy) {
      await sleep(1000);
      stuck = await stuckTransfers(pool, customerIds);
    }
    await runChecks('the end', true);
    if (stuck.length > 0)
      failures.push({ after: 'the end', name: 'P12 no transfer stuck in funds_received or processing', detail: stuck.slice(0, 10) });

    const statusCounts = await pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM transactions WHERE user_id = ANY($1::text[]) GROUP BY status ORDER BY status`,
      [customerIds],
    );
    const partnerState = await partnerPayouts();
    const unexpectedExits = Object.fromEntries(processes.map((p) => [p.name, p.unexpectedExits()]));
    for (const p of processes) {
      if (p.unexpectedExits() > 0) log(`${p.name} exited on its own ${p.unexpectedExits()} times; last lines:\n${await p.logTail(15)}`);
    }

    const count = (kinds: FaultRecord[]) =>
      Object.fromEntries(FAULT_KINDS.map((kind) => [kind, kinds.filter((fault) => fault.kind === kind).length]));
    const recoveryMs: ChaosResult['recoveryMs'] = {};
    for (const kind of FAULT_KINDS) {
      const times = faults.filter((fault) => fault.kind === kind && fault.recoveryMs !== null).map((fault) => fault.recoveryMs as number);
      if (times.length > 0) recoveryMs[kind] = { min: Math.min(...times), max: Math.max(...times) };
    }
    const injected = count(faults.filter((fault) => fault.injected));
    const everyKindTwice = FAULT_KINDS.every((kind) => (injected[kind] ?? 0) >= options.rounds);
    if (!everyKindTwice) failures.push({ after: 'the end', name: `every fault kind injected ${options.rounds} times`, detail: injected });
    const acked = history.acknowledged;
    const result: ChaosResult = {
      ok: failures.length === 0,
      seconds: Math.round((performance.now() - started) / 1000),
      faults: { injected, notInjected: count(faults.filter((fault) => !fault.injected)) },
      acknowledged: {
        total: acked.length,
        create: acked.filter((write) => write.kind === 'create').length,
        cancel: acked.filter((write) => write.kind === 'cancel').length,
        payin: acked.filter((write) => write.kind === 'payin').length,
        afterUnknownOutcome: acked.filter((write) => write.afterUnknownOutcome).length,
      },
      lost,
      duplicated,
      unanswered: history.unanswered.length,
      retries: history.retries,
      retryable: history.retryable,
      refused: history.refused,
      internalErrors: history.internalErrors.length,
      recoveryMs,
      invariantChecks: { passed: checksPassed, failed: failures.length },
      failures: failures.slice(0, 30),
      stuck,
      transfers: Object.fromEntries(statusCounts.rows.map((row) => [row.status, row.n])),
      partner: { transfers: partnerState.transfers.length, paid: partnerState.transfers.filter((t) => t.payments > 0).length },
      unexpectedExits,
    };
    return result;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: Error) => log(`cleanup: ${error.message}`));
    if (!process.env.CHAOS_KEEP_LOGS) await rm(workDir, { recursive: true, force: true });
    else log(`logs kept in ${workDir}`);
  }
}

/** Enrols an admin (who may upload bank files) and signs them in over HTTP; the session cookie. */
async function signInStaff(pool: pg.Pool, base: string, origin: string): Promise<string> {
  const email = `chaos.${randomUUID().slice(0, 8)}@drop.no`;
  const totp = await enrolStaff(pool, { email, role: 'admin' });
  const response = await fetch(`${base}/api/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password: STAFF_PASSWORD, totp: signInCode(totp) }),
  });
  if (response.status !== 204) throw new Error(`staff sign-in answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((header) => header.startsWith('__Host-drop_staff='));
  if (!cookie) throw new Error('no staff session cookie');
  return cookie.split(';')[0] ?? '';
}
