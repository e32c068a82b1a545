/** Quotes: a locked price for sending to one country and currency. */

import { corridor, envelope, quote, quotePreview, quoteRequest, resourceParams } from '@drop/contracts';
import {
  type Corridor,
  createQuote,
  formatAmount,
  getQuote,
  previewQuote,
  RATE_DECIMALS,
  type RateBook,
  RECIPIENT_RULES,
  type RecipientCountry,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type CustomerAuthOptions,
  customerOf,
  requireCustomer,
  requireCustomerInStatement,
  sessionToCheck,
} from '../auth/customer-auth.ts';
import { CUSTOMER_RATE_LIMITS, customerRateLimit } from '../http/customer-rate-limits.ts';

export interface QuoteRouteOptions {
  db: Db;
  /** CUSTOMER_RATE_LIMIT_MULTIPLIER: scales the per-customer limits (1 in production). */
  rateLimitMultiplier: number;
  rates: RateBook;
  corridors: readonly Corridor[];
  quoteTtlSeconds: number;
  customerAuth: CustomerAuthOptions;
}

const nok = (ore: bigint) => formatAmount(ore, 'NOK');

/** Public price previews per visitor (IP address) a minute: a calculator's worth, not a scraper's. */
export const QUOTE_PREVIEWS_PER_MINUTE = 60;

export const quoteRoutes: FastifyPluginAsyncZod<QuoteRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);
  // POST /api/quotes checks the session in its INSERT: one round trip.
  const inStatement = requireCustomerInStatement(options.customerAuth);

  app.get(
    '/api/corridors',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Where Drop sends: countries, currencies, fees and the recipient fields each needs',
        response: { 200: envelope(z.array(corridor)) },
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

  app.get(
    '/api/quotes/preview',
    {
      config: {
        rateLimit: { max: QUOTE_PREVIEWS_PER_MINUTE, timeWindow: '1 minute', keyGenerator: (request) => `quote-preview:${request.ip}` },
      },
      schema: {
        tags: ['quotes'],
        summary: "Today's price for a visitor (public): not stored, not locked",
        description:
          'The same pricing as POST /api/quotes, without signing in. Give exactly one of sendAmount and receiveAmount. ' +
          `Nothing is stored and the price is not locked; at most ${QUOTE_PREVIEWS_PER_MINUTE} a minute per address (429 after that).`,
        querystring: quoteRequest,
        response: { 200: envelope(quotePreview) },
      },
    },
    async (request) => {
      const query = request.query;
      return {
        data: previewQuote({
          by: query.sendAmount !== undefined ? 'send' : 'receive',
          amount: (query.sendAmount ?? query.receiveAmount) as string,
          country: query.country,
          currency: query.currency,
          corridors: options.corridors,
          rates: options.rates,
        }),
      };
    },
  );

  app.post(
    '/api/quotes',
    {
      ...inStatement,
      config: customerRateLimit('quote', options.rateLimitMultiplier),
      schema: {
        tags: ['quotes'],
        summary: 'Get a quote: rate, fee and receive amount locked until expiresAt',
        description:
          'Give exactly one of sendAmount (NOK, fee included) or receiveAmount (in the destination currency). ' +
          `At most ${CUSTOMER_RATE_LIMITS.quote.max} a minute per customer (429 RATE_LIMITED with Retry-After).`,
        body: quoteRequest,
        response: { 201: envelope(quote) },
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
        session: sessionToCheck(request),
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
        params: resourceParams,
        response: { 200: envelope(quote) },
      },
    },
    async (request) => ({ data: await getQuote(options.db, { userId: customerOf(request).userId, quoteId: request.params.id }) }),
  );
};
