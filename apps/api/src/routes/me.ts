import { listSessions, revokeSessions } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';

const meResponse = z.object({
  data: z.object({
    id: z.string(),
    name: z.string().nullable(),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    birthDate: z.string().nullable().describe('YYYY-MM-DD'),
    email: z.string().nullable(),
    kycStatus: z.enum(['not_started', 'pending', 'approved', 'rejected', 'retry', 'on_hold']),
    createdAt: z.string(),
  }),
});

const sessionsResponse = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      current: z.boolean(),
      createdAt: z.string(),
      lastSeenAt: z.string(),
      expiresAt: z.string(),
      userAgent: z.string().nullable(),
      acr: z.string().nullable(),
    }),
  ),
});

/** The signed-in customer: who they are, and their sessions. */
export const meRoutes: FastifyPluginAsyncZod<{ db: Db; customerAuth: CustomerAuthOptions }> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);

  app.get(
    '/api/me',
    { preValidation: guard, schema: { tags: ['customer'], summary: 'The signed-in customer', response: { 200: meResponse } } },
    async (request) => {
      const { userId } = customerOf(request);
      const { rows } = await options.db.query(
        `SELECT id, full_name, given_name, family_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, email, kyc_status, created_at
         FROM users WHERE id = $1`,
        [userId],
      );
      const user = rows[0];
      return {
        data: {
          id: user.id,
          name: user.full_name,
          givenName: user.given_name,
          familyName: user.family_name,
          birthDate: user.birth_date,
          email: user.email,
          kycStatus: user.kyc_status,
          createdAt: user.created_at.toISOString(),
        },
      };
    },
  );

  app.get(
    '/api/me/sessions',
    { preValidation: guard, schema: { tags: ['customer'], summary: 'My live sessions', response: { 200: sessionsResponse } } },
    async (request) => {
      const sessions = await listSessions(options.db, customerOf(request));
      return {
        data: sessions.map((session) => ({
          ...session,
          createdAt: session.createdAt.toISOString(),
          lastSeenAt: session.lastSeenAt.toISOString(),
          expiresAt: session.expiresAt.toISOString(),
        })),
      };
    },
  );

  app.delete(
    '/api/me/sessions/:sessionId',
    {
      preValidation: guard,
      schema: {
        tags: ['customer'],
        summary: 'End one of my sessions',
        params: z.object({ sessionId: z.string().regex(/^ses_[0-9A-Z]{26}$/) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const customer = customerOf(request);
      await revokeSessions(options.db, {
        userId: customer.userId,
        actor: customer.userId,
        which: { sessionId: request.params.sessionId },
        reason: 'ended_by_customer',
      });
      return reply.status(204).send(null);
    },
  );
};
