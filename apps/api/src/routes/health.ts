import { envelope, healthReport } from '@drop/contracts';
import { checkHealth, type HealthReport } from '@drop/core';
import type { Db } from '@drop/db';
import type { Metrics } from '@drop/observability';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const healthResponse = envelope(healthReport);

export interface HealthRouteOptions {
  db: Db;
  metrics: Metrics;
  version: string;
  startedAt: number;
  timeoutMs: number;
}

/** Records one probe's outcome in the metrics (shared by the route and the background monitor). */
export function observeHealth(metrics: Metrics, report: HealthReport): void {
  metrics.dbUp.set(report.checks.db.status === 'ok' ? 1 : 0);
  if (report.checks.db.latencyMs !== null) metrics.dbLatency.observe(report.checks.db.latencyMs / 1000);
}

/** `GET /api/health`, in the shape the runbooks read with jq. 200 when healthy, 503 when not. */
export const healthRoutes: FastifyPluginAsyncZod<HealthRouteOptions> = async (app, options) => {
  app.get(
    '/api/health',
    {
      // Polled every few seconds (load balancer, container HEALTHCHECK, the console's Operations
      // page): its requests are not logged at info; a failure is still logged as an error.
      logLevel: 'warn',
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database health',
        response: { 200: healthResponse, 503: healthResponse },
      },
    },
    async (_request, reply) => {
      const report = await checkHealth(options.db, {
        version: options.version,
        startedAt: options.startedAt,
        timeoutMs: options.timeoutMs,
      });
      observeHealth(options.metrics, report);
      return reply.status(report.status === 'ok' ? 200 : 503).send({ data: report });
    },
  );
};
