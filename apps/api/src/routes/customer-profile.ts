/** One customer's profile in the console, and staff notes on it (issue 16). */
import { customerNote, customerNoteRequest, customerProfile, envelope, userParams } from '@drop/contracts';
import { addCustomerNote, getCustomerProfile, type KycTier, type NationalIdProtector, type TierLimits } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { staffOf } from '../auth/staff-access.ts';

export interface CustomerProfileRouteOptions {
  db: Db;
  nationalIds: Pick<NationalIdProtector, 'decrypt'>;
  limits: Record<KycTier, TierLimits>;
}

export const customerProfileRoutes: FastifyPluginAsyncZod<CustomerProfileRouteOptions> = async (app, options) => {
  app.get(
    '/api/staff/customers/:userId',
    {
      config: { staffPolicy: { permission: 'customers' } },
      schema: {
        tags: ['staff'],
        summary:
          'One customer: identity, standing, KYC history, limits and usage, recipients, transfers, sessions and staff notes (the read is audited: customer_profile_viewed)',
        description: "The national id is shown in full only to a role with 'customer_national_id'; others see the birth-date part.",
        params: userParams,
        response: { 200: envelope(customerProfile) },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      return {
        data: await getCustomerProfile(options.db, {
          userId: request.params.userId,
          staffId: staff.staffId,
          showNationalId: staff.permissions.includes('customer_national_id'),
          nationalIds: options.nationalIds,
          limits: options.limits,
        }),
      };
    },
  );

  app.post(
    '/api/staff/customers/:userId/notes',
    {
      config: { staffPolicy: { permission: 'customers' } },
      schema: {
        tags: ['staff'],
        summary: "Add a staff note to a customer's profile (kept as written; audited: customer_note_added)",
        params: userParams,
        body: customerNoteRequest,
        response: { 201: envelope(customerNote) },
      },
    },
    async (request, reply) => {
      const note = await addCustomerNote(options.db, {
        userId: request.params.userId,
        staffId: staffOf(request).staffId,
        body: request.body.body,
      });
      return reply.status(201).send({ data: note });
    },
  );
};
