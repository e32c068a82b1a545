/**
 * Erasure (issue 14): the customer asks to be forgotten (`POST /api/user/erasure-request`), or
 * support records a request made by letter or phone. Either restricts the customer at once; the
 * retention job erases the personal data when the retention period ends (retention_rules), which
 * staff can read here too.
 */
import {
  envelope,
  erasureRequest,
  lastRetentionRun,
  retentionRuleStatus,
  staffErasureRequest,
  staffErasureRequestBody,
  userParams,
} from '@drop/contracts';
import { lastRetentionRun as readLastRetentionRun, requestErasure, retentionStatus } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';
import { staffOf } from '../auth/staff-access.ts';

export interface ErasureRouteOptions {
  db: Db;
  customerAuth: CustomerAuthOptions;
}

export const erasureRoutes: FastifyPluginAsyncZod<ErasureRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);

  app.post(
    '/api/user/erasure-request',
    {
      preValidation: guard,
      schema: {
        tags: ['customer'],
        summary: 'Ask Drop to forget me (GDPR art. 17)',
        description:
          'Signs the customer out everywhere and closes the account at once; transfers not yet paid out are cancelled or ' +
          'refunded. What the anti-money-laundering act requires is kept for five years after the account closes, then ' +
          'deleted. 201 with the new request; 200 with the open one if the customer already asked.',
        response: { 200: envelope(erasureRequest), 201: envelope(erasureRequest) },
      },
    },
    async (request, reply) => {
      const userId = customerOf(request).userId;
      // What happened to each transfer is staff's to see; the customer's answer is the request itself.
      const { transfers: _transfers, ...data } = await requestErasure(options.db, {
        userId,
        actor: userId,
        note: 'asked by the customer in the app (POST /api/user/erasure-request)',
      });
      return reply.code(data.created ? 201 : 200).send({ data });
    },
  );

  app.post(
    '/api/staff/customers/:userId/erasure-request',
    {
      config: { staffPolicy: { permission: 'data_requests' } },
      schema: {
        tags: ['staff'],
        summary: 'Record a customer’s erasure request (restricts them at once; audited)',
        params: userParams,
        body: staffErasureRequestBody,
        response: { 200: envelope(staffErasureRequest), 201: envelope(staffErasureRequest) },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const data = await requestErasure(options.db, {
        userId: request.params.userId,
        actor: staff.staffId,
        note: `recorded by staff: ${request.body.reason}`,
      });
      return reply.code(data.created ? 201 : 200).send({ data });
    },
  );

  app.get(
    '/api/staff/privacy/retention',
    {
      config: { staffPolicy: { permission: 'data_requests' } },
      schema: {
        tags: ['staff'],
        summary: 'The retention rules, and what each would remove now',
        response: { 200: envelope(z.array(retentionRuleStatus)) },
      },
    },
    async () => ({ data: await retentionStatus(options.db, new Date()) }),
  );

  app.get(
    '/api/staff/privacy/retention/last-run',
    {
      config: { staffPolicy: { permission: 'data_requests' } },
      schema: {
        tags: ['staff'],
        summary: 'When the retention job last ran and what it removed (null before its first run)',
        response: { 200: envelope(lastRetentionRun) },
      },
    },
    async () => ({ data: await readLastRetentionRun(options.db) }),
  );
};
