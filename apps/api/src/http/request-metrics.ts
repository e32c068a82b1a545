import type { ErrorRateMonitor } from '@drop/core';
import type { Logger, Metrics } from '@drop/observability';
import type { FastifyInstance } from 'fastify';

/** Request duration by route template and status, error counts by code, and error-spike alerts. */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics, errorRate: ErrorRateMonitor, logger: Logger): void {
  app.addHook('onResponse', async (request, reply) => {
    // The route template, not the raw URL, keeps label cardinality bounded.
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
    if (reply.statusCode >= 400) {
      metrics.httpErrors.inc({ ...labels, code: request.errorCode ?? 'NONE' });
    }
    errorRate.record(reply.statusCode)?.catch((error: unknown) => logger.error({ err: error }, 'error-spike alert failed'));
  });
}
