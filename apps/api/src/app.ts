/**
 * The HTTP application: Fastify with zod contracts. Transport only: parse, authorize, call the core,
 * serialize. Built without listening so tests can inject requests or listen on a free port.
 */
import { randomUUID } from 'node:crypto';
import type { DropConfig } from '@drop/config';
import type { ErrorRateMonitor } from '@drop/core';
import type { Db } from '@drop/db';
import type { Logger, Metrics } from '@drop/observability';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { errorHandler } from './http/errors.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerRequestMetrics } from './http/request-metrics.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { registerWebApps } from './http/web-apps.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';

export interface AppDependencies {
  config: DropConfig;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  errorRate: ErrorRateMonitor;
  startedAt: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Accept a caller's request id (from a load balancer) only when it is well-formed.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 256 * 1024,
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // While shutting down, answer the requests in flight and then close their connections: a
  // keep-alive connection that was busy when close() began would otherwise hold the server open
  // until its keep-alive timeout.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining) reply.header('connection', 'close');
    return payload;
  });

  await registerSecurityHeaders(app);
  registerRequestMetrics(app, deps.metrics, deps.errorRate, deps.logger);
  await registerOpenApi(app, { version: deps.config.version, publicUrl: deps.config.http.publicUrl });

  await app.register(healthRoutes, {
    db: deps.db,
    metrics: deps.metrics,
    version: deps.config.version,
    startedAt: deps.startedAt,
    timeoutMs: deps.config.health.checkTimeoutMs,
  });
  await app.register(metricsRoutes, { db: deps.db, metrics: deps.metrics, token: deps.config.metrics.token });
  await registerWebApps(app);
  return app;
}
