/**
 * The monthly SLA report for staff (issue 15 item 8, runbook 3.3): uptime, error rate and p99
 * latency against their targets, per day, and the incidents that cost them. Admins (operations).
 */
import { envelope, slaQuery, slaReport } from '@drop/contracts';
import { computeSlaReport, type ErrorSpikeRule } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export interface SlaRouteOptions {
  db: Db;
  /** The error-rate monitor's rule (ALERT_ERROR_RATE_THRESHOLD, ALERT_ERROR_MIN_COUNT), to find error spikes again. */
  errorSpike: ErrorSpikeRule;
}

export const slaRoutes: FastifyPluginAsyncZod<SlaRouteOptions> = async (app, options) => {
  app.get(
    '/api/staff/ops/sla',
    {
      config: { staffPolicy: { permission: 'operations' } },
      schema: {
        tags: ['staff'],
        summary: 'The SLA of a calendar month (UTC): uptime, error rate and p99 against their targets, per day, and the incidents',
        querystring: slaQuery,
        response: { 200: envelope(slaReport) },
      },
    },
    async (request) => ({ data: await computeSlaReport(options.db, { month: request.query.month, errorSpike: options.errorSpike }) }),
  );
};
