/** The customer's recipients: add, list, edit, remove. Details are validated per country. */

import { envelope, newRecipient, recipient, resourceParams } from '@drop/contracts';
import { type AmlScreening, addRecipient, editRecipient, listRecipients, removeRecipient } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';
import { CUSTOMER_RATE_LIMITS, customerRateLimit } from '../http/customer-rate-limits.ts';

export interface RecipientRouteOptions {
  db: Db;
  /** CUSTOMER_RATE_LIMIT_MULTIPLIER: scales the per-customer limits (1 in production). */
  rateLimitMultiplier: number;
  customerAuth: CustomerAuthOptions;
  /** Screens each new recipient against the sanctions and PEP lists. */
  screening: AmlScreening;
}

export const recipientRoutes: FastifyPluginAsyncZod<RecipientRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);

  app.get(
    '/api/recipients',
    {
      preValidation: guard,
      schema: { tags: ['recipients'], summary: 'My recipients', response: { 200: envelope(z.array(recipient)) } },
    },
    async (request) => ({ data: await listRecipients(options.db, { userId: customerOf(request).userId }) }),
  );

  app.post(
    '/api/recipients',
    {
      preValidation: guard,
      config: customerRateLimit('recipient', options.rateLimitMultiplier),
      schema: {
        tags: ['recipients'],
        summary: 'Add a recipient',
        description:
          'details holds the fields GET /api/corridors lists for the country (IBAN, sort code and account number, mobile number, …). ' +
          `At most ${CUSTOMER_RATE_LIMITS.recipient.max} a minute per customer (429 RATE_LIMITED with Retry-After).`,
        body: newRecipient,
        response: { 201: envelope(recipient) },
      },
    },
    async (request, reply) => {
      const recipient = await addRecipient(options.db, {
        userId: customerOf(request).userId,
        recipient: request.body,
        screening: options.screening,
      });
      return reply.status(201).send({ data: recipient });
    },
  );

  app.put(
    '/api/recipients/:id',
    {
      preValidation: guard,
      config: customerRateLimit('recipient', options.rateLimitMultiplier),
      schema: {
        tags: ['recipients'],
        summary: 'Change a recipient',
        description:
          'Validated as a new recipient is. The answer is the recipient as it now is, with a new id when anything changed: ' +
          'the old one is retired, and transfers already made keep the details they were paid to. ' +
          '409 RECIPIENT_IN_USE while a transfer to the recipient is on its way. ' +
          `At most ${CUSTOMER_RATE_LIMITS.recipient.max} changes a minute per customer (429 RATE_LIMITED with Retry-After).`,
        params: resourceParams,
        body: newRecipient,
        response: { 200: envelope(recipient) },
      },
    },
    async (request) => ({
      data: await editRecipient(options.db, {
        userId: customerOf(request).userId,
        recipientId: request.params.id,
        recipient: request.body,
        screening: options.screening,
      }),
    }),
  );

  app.delete(
    '/api/recipients/:id',
    {
      preValidation: guard,
      schema: {
        tags: ['recipients'],
        summary: 'Remove a recipient',
        description:
          'Takes the recipient off the list; transfers already made keep it. 409 RECIPIENT_IN_USE while a transfer to the recipient is on its way.',
        params: resourceParams,
      },
    },
    async (request, reply) => {
      await removeRecipient(options.db, { userId: customerOf(request).userId, recipientId: request.params.id });
      return reply.status(204).send();
    },
  );
};
