/** Privacy: the signed-in customer's data export (the runbook's `GET /api/user/data-export`). */
import { dataExport, envelope } from '@drop/contracts';
import { exportCustomerData, type KycTier, type TierLimits } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';

export interface PrivacyRouteOptions {
  db: Db;
  customerAuth: CustomerAuthOptions;
  /** The KYC overview in the export shows the customer's limits, as GET /api/kyc does. */
  limits: Record<KycTier, TierLimits>;
}

/**
 * An export reads every table about the customer and records a request, so it is limited per
 * customer (keyed after sign-in, in preHandler, not by address): enough to retry a download, not
 * enough to use it as a polling API or to load the database.
 */
export const DATA_EXPORTS_PER_HOUR = 10;

export const privacyRoutes: FastifyPluginAsyncZod<PrivacyRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);

  app.get(
    '/api/user/data-export',
    {
      preValidation: guard,
      config: {
        rateLimit: {
          max: DATA_EXPORTS_PER_HOUR,
          timeWindow: '1 hour',
          hook: 'preHandler',
          keyGenerator: (request) => `data-export:${customerOf(request).userId}`,
        },
      },
      schema: {
        tags: ['customer'],
        summary: 'Everything Drop holds about me, as JSON (GDPR articles 15 and 20)',
        description:
          'Profile, verification status and limits, sessions, recipients (removed ones too), quotes, transfers with their ' +
          'timelines, payments and refunds. Each export is recorded as a completed request in data_access_requests. ' +
          `At most ${DATA_EXPORTS_PER_HOUR} an hour per customer (429 after that).`,
        response: { 200: envelope(dataExport) },
      },
    },
    async (request, reply) => {
      const data = await exportCustomerData(options.db, { userId: customerOf(request).userId, limits: options.limits });
      // A download: the browser saves it under a name that says what and when.
      reply.header('content-disposition', `attachment; filename="drop-data-export-${data.exportedAt.slice(0, 10)}.json"`);
      return { data };
    },
  );
};
