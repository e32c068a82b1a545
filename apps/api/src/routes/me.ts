import { envelope, me, myLanguageRequest, mySession, noContent, sessionParams } from '@drop/contracts';
import { listSessions, revokeSessions, setCustomerLanguage } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';

/** The signed-in customer: who they are, and their sessions. */
export const meRoutes: FastifyPluginAsyncZod<{ db: Db; customerAuth: CustomerAuthOptions }> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);

  app.get(
    '/api/me',
    { preValidation: guard, schema: { tags: ['customer'], summary: 'The signed-in customer', response: { 200: envelope(me) } } },
    async (request) => {
      const { userId } = customerOf(request);
      const { rows } = await options.db.query(
        `SELECT id, customer_number, locale, full_name, given_name, family_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, email,
                kyc_status, created_at
         FROM users WHERE id = $1`,
        [userId],
      );
      const user = rows[0];
      return {
        data: {
          id: user.id,
          customerNumber: user.customer_number,
          language: user.locale,
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

  app.put(
    '/api/me/language',
    {
      preValidation: guard,
      schema: {
        tags: ['customer'],
        summary: 'Keep the language the app was switched to, for my emails and receipts',
        body: myLanguageRequest,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await setCustomerLanguage(options.db, { userId: customerOf(request).userId, language: request.body.language });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me/sessions',
    { preValidation: guard, schema: { tags: ['customer'], summary: 'My live sessions', response: { 200: envelope(z.array(mySession)) } } },
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
        params: sessionParams,
        response: { 204: noContent },
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
