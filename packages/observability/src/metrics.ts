import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics Drop exposes on `GET /metrics`. One registry per server instance, so
 * tests can run several servers in one process.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'drop_' });

  const httpRequestDuration = new Histogram({
    name: 'drop_http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: 'drop_http_errors_total',
    help: 'HTTP responses with an error status, by route, status code and stable error code',
    labelNames: ['method', 'route', 'status_code', 'code'] as const,
    registers: [registry],
  });
  const dbLatency = new Histogram({
    name: 'drop_db_roundtrip_seconds',
    help: 'Round-trip time of the database health probe',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
    registers: [registry],
  });
  const dbUp = new Gauge({
    name: 'drop_db_up',
    help: '1 when the last database health probe succeeded, else 0',
    registers: [registry],
  });
  const dbPoolConnections = new Gauge({
    name: 'drop_db_pool_connections',
    help: 'Database pool connections by state (total, idle, waiting requests)',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const jobQueueDepth = new Gauge({
    name: 'drop_job_queue_depth',
    help: 'Jobs in the PostgreSQL job queue by state (ready, scheduled, running, failed)',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const jobsCompleted = new Counter({
    name: 'drop_jobs_completed_total',
    help: 'Jobs run by this process, by task and outcome',
    labelNames: ['task', 'outcome'] as const,
    registers: [registry],
  });
  const opsAlertsSent = new Counter({
    name: 'drop_ops_alerts_total',
    help: 'Operations alerts sent, by kind and delivery outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });

  return {
    registry,
    httpRequestDuration,
    httpErrors,
    dbLatency,
    dbUp,
    dbPoolConnections,
    jobQueueDepth,
    jobsCompleted,
    opsAlertsSent,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
