/** Quotes: a locked price for sending to one country and currency. */
import {
  type Corridor,
  createQuote,
  formatAmount,
  getQuote,
  RATE_DECIMALS,
  type RateBook,
  RECIPIENT_RULES,
  type RecipientCountry,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';
import { amountInput, quoteSchema } from './money-schemas.ts';

export interface QuoteRouteOptions {
  db: Db;
  rates: RateBook;
  corridors: readonly Corridor[];
  quoteTtlSeconds: number;
  customerAuth: CustomerAuthOptions;
}

const nok = (ore: bigint) => formatAmount(ore, 'NOK');

export const quoteRoutes: FastifyPluginAsyncZod<QuoteRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);

  app.get(
    '/api/corridors',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Where Drop sends: countries, currencies, fees and the recipient fields each needs',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                country: z.string(),
                currency: z.string(),
                rail: z.string(),
                fee: z.object({ fixedNok: z.string(), percent: z.string(), minimumNok: z.string(), maximumNok: z.string().nullable() }),
                minSendNok: z.string(),
                maxSendNok: z.string(),
                rateDecimals: z.number(),
                recipientFields: z.array(
                  z.object({
                    name: z.string(),
                    required: z.boolean(),
                    example: z.string(),
                    label: z.object({ en: z.string(), nb: z.string() }),
                    hint: z.object({ en: z.string(), nb: z.string() }).optional(),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async () => ({
      data: options.corridors.map((c) => ({
        country: c.country,
        currency: c.currency,
        rail: c.rail,
        fee: {
          fixedNok: nok(c.fee.fixedOre),
          percent: (c.fee.percentBps / 100).toFixed(2),
          minimumNok: nok(c.fee.minimumOre),
          maximumNok: c.fee.maximumOre === undefined ? null : nok(c.fee.maximumOre),
        },
        minSendNok: nok(c.minSendOre),
        maxSendNok: nok(c.maxSendOre),
        rateDecimals: RATE_DECIMALS,
        recipientFields: [...(RECIPIENT_RULES[c.country as RecipientCountry]?.fields ?? [])],
      })),
    }),
  );

  app.post(
    '/api/quotes',
    {
      preValidation: guard,
      schema: {
        tags: ['quotes'],
        summary: 'Get a quote: rate, fee and receive amount locked until expiresAt',
        description: 'Give exactly one of sendAmount (NOK, fee included) or receiveAmount (in the destination currency).',
        body: z
          .strictObject({
            country: z.string().regex(/^[A-Za-z]{2}$/),
            currency: z.string().regex(/^[A-Za-z]{3}$/),
            sendAmount: amountInput.optional(),
            receiveAmount: amountInput.optional(),
          })
          .refine((b) => (b.sendAmount === undefined) !== (b.receiveAmount === undefined), {
            message: 'Give exactly one of sendAmount and receiveAmount',
            path: ['sendAmount'],
          }),
        response: { 201: z.object({ data: quoteSchema }) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const quote = await createQuote(options.db, {
        userId: customerOf(request).userId,
        by: body.sendAmount !== undefined ? 'send' : 'receive',
        amount: (body.sendAmount ?? body.receiveAmount) as string,
        country: body.country,
        currency: body.currency,
        corridors: options.corridors,
        rates: options.rates,
        ttlSeconds: options.quoteTtlSeconds,
      });
      return reply.status(201).send({ data: quote });
    },
  );

  app.get(
    '/api/quotes/:id',
    {
      preValidation: guard,
      schema: {
        tags: ['quotes'],
        summary: 'One of my quotes',
        params: z.object({ id: z.string().max(40) }),
        response: { 200: z.object({ data: quoteSchema }) },
      },
    },
    async (request) => ({ data: await getQuote(options.db, { userId: customerOf(request).userId, quoteId: request.params.id }) }),
  );
};
