import type { ErrorRateMonitor, SlaRecorder } from '@drop/core';
import type { Logger, Metrics } from '@drop/observability';
import type { FastifyInstance } from 'fastify';

/**
 * Request duration by route template and status, error counts by code, and error-spike alerts;
 * and the API's requests (not the health check, which the SLA's probes cover, nor the web apps'
 * files) counted in memory for the SLA report.
 */
export function registerRequestMetrics(
  app: FastifyInstance,
  metrics: Metrics,
  errorRate: ErrorRateMonitor,
  logger: Logger,
  sla?: SlaRecorder,
): void {
  app.addHook('onResponse', (request, reply, done) => {
    // The route template, not the raw URL, keeps label cardinality bounded.
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
    if (reply.statusCode >= 400) {
      metrics.httpErrors.inc({ ...labels, code: request.errorCode ?? 'NONE' });
    }
    if (sla && request.url.startsWith('/api/') && route !== '/api/health') sla.recordRequest(reply.statusCode, reply.elapsedTime);
    errorRate.record(reply.statusCode)?.catch((error: unknown) => logger.error({ err: error }, 'error-spike alert failed'));
    done();
  });
}
