import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '@drop/config';
import { ErrorRateMonitor, keyRingFromSecret, RateBook } from '@drop/core';
import { createLogger, LogOnlyNotifier } from '@drop/observability';
import { buildServices } from '@drop/services';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { buildApp } from '../src/app.ts';

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

// The exact shape the runbooks read with jq; strict, so an extra or missing field fails.
const healthShape = z.strictObject({
  data: z.strictObject({
    status: z.enum(['ok', 'down']),
    version: z.string(),
    uptime: z.number().int().nonnegative(),
    checks: z.strictObject({
      db: z.strictObject({ status: z.enum(['ok', 'down']), latencyMs: z.number().nullable(), error: z.string().optional() }),
    }),
  }),
});

const problemShape = z.object({
  type: z.string().startsWith('urn:drop:error:'),
  title: z.string(),
  status: z.number().int(),
  code: z.string().regex(/^[A-Z_]+$/),
  instance: z.string(),
  requestId: z.string().min(8),
});

function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination: stream }) };
}

async function makeApp(databaseUrl: string, env: Record<string, string> = {}) {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, ...env });
  const logs = captureLogs();
  const notifier = new LogOnlyNotifier(logs.logger);
  const services = await buildServices(config, { applicationName: 'test', logger: logs.logger, notifier });
  const errorRate = new ErrorRateMonitor({ notifier, windowSeconds: 60, threshold: 0.5, minCount: 100 });
  const keyRing = keyRingFromSecret(config.auth.jwtSecret);
  const app = await buildApp({
    ...services,
    errorRate,
    keyRing,
    // These tests do not quote; a rate book that has never loaded refuses quotes with 503.
    rates: new RateBook({ source: { name: 'none', fetchLatest: () => Promise.reject(new Error('no rates here')) }, currencies: [] }),
    startedAt: Date.now() - 5000,
  });
  return { app, db: services.db, logs };
}

describe('HTTP platform', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let closeDb: () => Promise<void>;
  let logs: string[];

  before(async () => {
    database = await createTestDatabase();
    const made = await makeApp(database.url);
    app = made.app;
    logs = made.logs.lines;
    // A route that fails the way a bug would, to prove unknown errors are masked.
    app.get('/api/test/explode', async () => {
      throw new Error('secret internal detail: connection string postgres://user:pw@host');
    });
    await app.ready();
    closeDb = () => made.db.end();
  });
  after(async () => {
    await app.close();
    await closeDb();
    await database.drop();
  });

  it('answers GET /api/health in the runbook shape with a real database round trip', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/json/);
    const body = healthShape.parse(response.json());
    assert.equal(body.data.status, 'ok');
    assert.equal(body.data.version, version);
    assert.ok(body.data.uptime >= 5, 'uptime counts from the process start');
    assert.equal(body.data.checks.db.status, 'ok');
    assert.ok((body.data.checks.db.latencyMs ?? 0) > 0);
  });

  it('sets the security headers on API, error and page responses', async () => {
    for (const url of ['/api/health', '/api/does-not-exist', '/']) {
      const response = await app.inject({ method: 'GET', url });
      const headers = response.headers;
      assert.match(String(headers['strict-transport-security']), /max-age=31536000; includeSubDomains/, url);
      assert.match(String(headers['content-security-policy']), /frame-ancestors 'none'/, url);
      assert.match(String(headers['content-security-policy']), /default-src 'self'/, url);
      assert.equal(headers['x-content-type-options'], 'nosniff', url);
      assert.equal(headers['referrer-policy'], 'same-origin', url);
      assert.equal(headers['x-frame-options'], 'DENY', url);
      assert.ok(headers['x-request-id'], url);
      if (url.startsWith('/api/')) assert.equal(headers['cache-control'], 'no-store', url);
    }
  });

  it('answers unknown API routes with a problem document and a stable code', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/transfers-that-do-not-exist', payload: {} });
    assert.equal(response.statusCode, 404);
    assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
    const body = problemShape.parse(response.json());
    assert.equal(body.code, 'ROUTE_NOT_FOUND');
    assert.equal(body.instance, '/api/transfers-that-do-not-exist');
    assert.equal(body.requestId, response.headers['x-request-id']);
  });

  it('does not log health polls at info; other requests are logged with their status', async () => {
    const requestLines = () =>
      logs
        .map((line) => JSON.parse(line) as { msg?: string; reqId?: string; req?: { url?: string } })
        .filter((entry) => entry.msg === 'incoming request' || entry.msg === 'request completed');
    const health = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'req-health-poll-1' } });
    assert.equal(health.statusCode, 200);
    const other = await app.inject({ method: 'GET', url: '/api/nothing-here', headers: { 'x-request-id': 'req-other-00001' } });
    assert.equal(other.statusCode, 404);
    const lines = requestLines();
    assert.equal(lines.filter((entry) => entry.reqId === 'req-health-poll-1').length, 0, 'the health poll is quiet');
    assert.deepEqual(
      lines.filter((entry) => entry.reqId === 'req-other-00001').map((entry) => entry.msg),
      ['incoming request', 'request completed'],
      'another request is logged at info',
    );
  });

  it('masks unknown errors and logs them with the request id', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/test/explode', headers: { 'x-request-id': 'req-test-12345678' } });
    assert.equal(response.statusCode, 500);
    const body = problemShape.parse(response.json());
    assert.equal(body.code, 'INTERNAL_ERROR');
    assert.equal(body.requestId, 'req-test-12345678');
    assert.doesNotMatch(response.body, /secret internal detail|postgres:\/\//);
    const logged = logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'unhandled error');
    assert.ok(logged, 'the error is logged');
    assert.equal(logged.reqId, 'req-test-12345678');
    assert.match(logged.err.message, /secret internal detail/);
  });

  it('ignores a malformed incoming request id', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'bad id with spaces <script>' } });
    assert.match(String(response.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics: request durations by route, errors by code, pool and queue depth', async () => {
    await app.inject({ method: 'GET', url: '/api/health' });
    await app.inject({ method: 'GET', url: '/api/nope' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^text\/plain/);
    const text = response.body;
    assert.match(text, /drop_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/api\/health",status_code="200"\}/);
    assert.match(text, /drop_http_errors_total\{method="GET",route="unmatched",status_code="404",code="ROUTE_NOT_FOUND"\} [1-9]/);
    assert.match(text, /drop_db_pool_connections\{state="total"\} \d+/);
    assert.match(text, /drop_db_roundtrip_seconds_count [1-9]/);
    assert.match(text, /drop_db_up 1/);
    assert.match(text, /drop_job_queue_depth\{state="ready"\} 0/);
    assert.match(text, /drop_process_cpu_seconds_total/);
  });

  it('serves an OpenAPI document generated from the route schemas, and its reference page', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.equal(spec.openapi, '3.1.0');
    assert.equal(spec.info.version, version);
    const health = spec.paths['/api/health'].get;
    assert.ok(health.responses['200'] && health.responses['503']);
    assert.deepEqual(Object.keys(health.responses['200'].content['application/json'].schema.properties), ['data']);
    const page = await app.inject({ method: 'GET', url: '/api/docs' });
    const finalPage = page.statusCode === 302 ? await app.inject({ method: 'GET', url: String(page.headers.location) }) : page;
    assert.equal(finalPage.statusCode, 200);
    assert.match(finalPage.body, /swagger-ui/i);
  });

  it("lets the verification page load Sumsub's real WebSDK when the simulator is off, and nothing else", async () => {
    const real = await makeApp(database.url, { SUMSUB_SIMULATOR_ENABLED: 'false' });
    try {
      const csp = String((await real.app.inject({ method: 'GET', url: '/kyc' })).headers['content-security-policy']);
      const directive = (name: string) => csp.split(';').find((part) => part.startsWith(`${name} `)) ?? '';
      assert.equal(directive('script-src'), "script-src 'self' https://static.sumsub.com");
      assert.equal(directive('frame-src'), "frame-src 'self' https://static.sumsub.com https://api.sumsub.com https://in.sumsub.com");
      assert.match(directive('connect-src'), /https:\/\/api\.sumsub\.com/);
      assert.match(directive('frame-ancestors'), /'none'/);
    } finally {
      await real.app.close();
      await real.db.end();
    }
    const simulated = String((await app.inject({ method: 'GET', url: '/kyc' })).headers['content-security-policy']);
    assert.match(simulated, /script-src 'self';/, 'with the simulator, scripts come from Drop only');
  });

  it('requires the metrics token when one is configured', async () => {
    const guarded = await makeApp(database.url, { METRICS_TOKEN: 'metrics-token-0123456789' });
    try {
      const denied = await guarded.app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(denied.statusCode, 401);
      assert.equal(denied.json().code, 'UNAUTHENTICATED');
      const wrong = await guarded.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer metrics-token-0123456780' },
      });
      assert.equal(wrong.statusCode, 401);
      const allowed = await guarded.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer metrics-token-0123456789' },
      });
      assert.equal(allowed.statusCode, 200);
    } finally {
      await guarded.app.close();
      await guarded.db.end();
    }
  });

  it('reports 503 with the failing check when the database cannot be reached', async () => {
    const unreachable = await makeApp('postgres://nobody@127.0.0.1:1/none');
    try {
      const response = await unreachable.app.inject({ method: 'GET', url: '/api/health' });
      assert.equal(response.statusCode, 503);
      const body = healthShape.parse(response.json());
      assert.equal(body.data.status, 'down');
      assert.deepEqual(body.data.checks.db, { status: 'down', latencyMs: null, error: 'connection refused' });
    } finally {
      await unreachable.app.close();
      await unreachable.db.end();
    }
  });
});
