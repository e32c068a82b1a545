/** The customer's recipients: add, list, remove. Details are validated per country. */
import { addRecipient, listRecipients, removeRecipient } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';
import { recipientSchema } from './money-schemas.ts';

export interface RecipientRouteOptions {
  db: Db;
  customerAuth: CustomerAuthOptions;
}

export const recipientRoutes: FastifyPluginAsyncZod<RecipientRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);

  app.get(
    '/api/recipients',
    {
      preValidation: guard,
      schema: { tags: ['recipients'], summary: 'My recipients', response: { 200: z.object({ data: z.array(recipientSchema) }) } },
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
        body: z.strictObject({
          name: z.string().max(200),
          country: z.string().max(2),
          currency: z.string().max(3),
          relationship: z.string().max(20),
          details: z.record(z.string().max(40), z.string().max(80)),
        }),
        response: { 201: z.object({ data: recipientSchema }) },
      },
    },
    async (request, reply) => {
      const recipient = await addRecipient(options.db, { userId: customerOf(request).userId, recipient: request.body });
      return reply.status(201).send({ data: recipient });
    },
  );

  app.delete(
    '/api/recipients/:id',
    {
      preValidation: guard,
      schema: { tags: ['recipients'], summary: 'Remove a recipient', params: z.object({ id: z.string().max(40) }) },
    },
    async (request, reply) => {
      await removeRecipient(options.db, { userId: customerOf(request).userId, recipientId: request.params.id });
      return reply.status(204).send();
    },
  );
};
