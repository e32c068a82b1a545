/** The customer's recipients: add, list, remove. Details are validated per country. */

import { envelope, newRecipient, recipient, resourceParams } from '@drop/contracts';
import { type AmlScreening, addRecipient, listRecipients, removeRecipient } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';

export interface RecipientRouteOptions {
  db: Db;
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
      schema: {
        tags: ['recipients'],
        summary: 'Add a recipient',
        description:
          'details holds the fields GET /api/corridors lists for the country (IBAN, sort code and account number, mobile number, …).',
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

  app.delete(
    '/api/recipients/:id',
    {
      preValidation: guard,
      schema: { tags: ['recipients'], summary: 'Remove a recipient', params: resourceParams },
    },
    async (request, reply) => {
      await removeRecipient(options.db, { userId: customerOf(request).userId, recipientId: request.params.id });
      return reply.status(204).send();
    },
  );
};
