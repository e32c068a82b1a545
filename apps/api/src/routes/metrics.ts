import { timingSafeEqual } from 'node:crypto';
import type { Db } from '@drop/db';
import type { Metrics } from '@drop/observability';
import { queueDepth } from '@drop/worker';
import type { FastifyPluginAsync } from 'fastify';
import { problem, sendProblem } from '../http/errors.ts';

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.catch(() => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `GET /metrics` in the Prometheus text format. Pool and queue gauges are read at scrape time. */
export const metricsRoutes: FastifyPluginAsync<{ db: Db; metrics: Metrics; token: string | undefined }> = async (app, options) => {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (options.token && !tokenMatches(request.headers.authorization, options.token)) {
      return sendProblem(reply, problem(request, 'UNAUTHENTICATED', 'A metrics token is required.'));
    }
    const { metrics, db } = options;
    metrics.dbPoolConnections.set({ state: 'total' }, db.totalCount);
    metrics.dbPoolConnections.set({ state: 'idle' }, db.idleCount);
    metrics.dbPoolConnections.set({ state: 'waiting' }, db.waitingCount);
    // A scrape must answer even while the database is down: queue depth is skipped then.
    const depth = await withDeadline(queueDepth(db), 1000);
    if (depth) for (const [state, count] of Object.entries(depth)) metrics.jobQueueDepth.set({ state }, count);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
};
