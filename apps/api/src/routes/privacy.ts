/**
 * Privacy (issue 14): the signed-in customer's data export (the runbook's `GET /api/user/data-export`,
 * as JSON or as a ZIP with receipts), their privacy requests, and the console's data requests.
 */
import {
  customerDataRequests,
  dataExport,
  dataRequestParams,
  dataRequestStatusChange,
  envelope,
  staffDataRequest,
  staffDataRequestRecord,
  staffDataRequests,
} from '@drop/contracts';
import {
  type Company,
  exportCustomerData,
  type KycTier,
  listCustomerDataRequests,
  listStaffDataRequests,
  recordDataRequestStatus,
  recordStaffDataRequest,
  streamDataExportZip,
  type TierLimits,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';
import { staffOf } from '../auth/staff-access.ts';
import { CUSTOMER_RATE_LIMITS, customerRateLimit } from '../http/customer-rate-limits.ts';

export interface PrivacyRouteOptions {
  db: Db;
  /** CUSTOMER_RATE_LIMIT_MULTIPLIER: scales the per-customer limits (1 in production). */
  rateLimitMultiplier: number;
  customerAuth: CustomerAuthOptions;
  /** The KYC overview in the export shows the customer's limits, as GET /api/kyc does. */
  limits: Record<KycTier, TierLimits>;
  /** The company printed on the receipts in the ZIP export. */
  company: Company;
}

const dataExportQuery = z.object({
  format: z.enum(['json', 'zip']).default('json').describe('zip: data.json and the PDF receipt of each paid-out transfer'),
});

export const privacyRoutes: FastifyPluginAsyncZod<PrivacyRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);

  app.get(
    '/api/user/data-export',
    {
      preValidation: guard,
      config: customerRateLimit('dataExport', options.rateLimitMultiplier),
      schema: {
        tags: ['customer'],
        summary: 'Everything Drop holds about me, as JSON (GDPR articles 15 and 20)',
        description:
          'Profile, verification status and limits, sessions, recipients (removed ones too), quotes, transfers with their ' +
          'timelines, payments and refunds. Each export is recorded as a completed request in data_access_requests. ' +
          `At most ${CUSTOMER_RATE_LIMITS.dataExport.max} an hour per customer (429 after that).`,
        querystring: dataExportQuery,
        // format=zip answers application/zip (a stream, which Fastify sends without serializing).
        response: { 200: envelope(dataExport) },
      },
    },
    async (request, reply) => {
      const userId = customerOf(request).userId;
      const data = await exportCustomerData(options.db, { userId, limits: options.limits });
      const day = data.exportedAt.slice(0, 10);
      if (request.query.format === 'zip') {
        // Streamed: receipts are rendered while the archive goes out (see streamDataExportZip).
        return reply
          .type('application/zip')
          .header('content-disposition', `attachment; filename="drop-data-export-${day}.zip"`)
          .send(
            // The response schema types the JSON answer; a stream is sent as it is, unserialized.
            streamDataExportZip(options.db, { data, userId, company: options.company }) as unknown as { data: typeof data },
          );
      }
      // A download: the browser saves it under a name that says what and when.
      reply.header('content-disposition', `attachment; filename="drop-data-export-${day}.json"`);
      return { data };
    },
  );

  app.get(
    '/api/user/data-requests',
    {
      preValidation: guard,
      schema: {
        tags: ['customer'],
        summary: 'My privacy requests (exports, erasure…): type, status, received, due and completed dates',
        response: { 200: envelope(customerDataRequests) },
      },
    },
    async (request) => ({ data: await listCustomerDataRequests(options.db, { userId: customerOf(request).userId }) }),
  );
};

/** The console's "Data requests" page (permission data_requests: support, compliance lead, admin). */
export const privacyStaffRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/staff/data-requests',
    {
      config: { staffPolicy: { permission: 'data_requests' } },
      schema: {
        tags: ['staff'],
        summary: 'Every privacy request with its legal due date, overdue ones first (GDPR article 12(3): one month)',
        response: { 200: envelope(staffDataRequests) },
      },
    },
    async () => ({ data: await listStaffDataRequests(db) }),
  );

  app.post(
    '/api/staff/data-requests',
    {
      config: { staffPolicy: { permission: 'data_requests' } },
      schema: {
        tags: ['staff'],
        summary: 'Record a request that came by letter, e-mail or phone (due a month after receipt; an erasure restricts at once; audited)',
        body: staffDataRequestRecord,
        response: { 200: envelope(staffDataRequest), 201: envelope(staffDataRequest) },
      },
    },
    async (request, reply) => {
      const recorded = await recordStaffDataRequest(db, { ...request.body, staffId: staffOf(request).staffId });
      // 200: an open erasure request already existed and is answered instead of a second one.
      return reply.code(recorded.created ? 201 : 200).send({ data: recorded.request });
    },
  );

  app.post(
    '/api/staff/data-requests/:id/status',
    {
      config: { staffPolicy: { permission: 'data_requests' } },
      schema: {
        tags: ['staff'],
        summary: 'Record the answer to a privacy request: in progress, completed or rejected, with a note (audited)',
        params: dataRequestParams,
        body: dataRequestStatusChange,
        response: { 200: envelope(staffDataRequest) },
      },
    },
    async (request) => ({
      data: await recordDataRequestStatus(db, {
        requestId: request.params.id,
        status: request.body.status,
        note: request.body.note,
        staffId: staffOf(request).staffId,
      }),
    }),
  );
};
