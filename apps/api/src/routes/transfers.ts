/** Transfers: create (idempotent), list, read with timeline, cancel before paying. */

import {
  acceptRequoteRequest,
  createTransferRequest,
  envelope,
  latePaymentRefund,
  type PayInInstructions,
  quote,
  receiptQuery,
  resourceParams,
  transfer,
  transferDetail,
  transferListQuery,
} from '@drop/contracts';
import {
  acceptRequote,
  type BeforeTransferCommit,
  buildReceipt,
  type Company,
  type Corridor,
  cancelTransfer,
  createTransfer,
  getTransfer,
  type KidSource,
  type KycTier,
  latePaymentFor,
  listTransfers,
  type RateBook,
  refundLatePayment,
  requoteLatePayment,
  type TierLimits,
  type TransferJson,
  type TransferScreening,
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

export interface TransferRouteOptions {
  db: Db;
  /** CUSTOMER_RATE_LIMIT_MULTIPLIER: scales the per-customer limits (1 in production). */
  rateLimitMultiplier: number;
  limits: Record<KycTier, TierLimits>;
  eddThresholdOre: bigint;
  ledgerShards: number;
  kids: KidSource;
  /** Drop's client account customers pay to (11 digits). */
  payInAccount: string;
  /** The company printed on receipts. */
  company: Company;
  /** For a fresh quote when a payment came after its quote expired. */
  rates: RateBook;
  corridors: readonly Corridor[];
  quoteTtlSeconds: number;
  customerAuth: CustomerAuthOptions;
  /** Screens both parties of a new transfer (from the cache) for create_transfer's AML decision. */
  screening: TransferScreening;
  /** Checks that run inside the creating transaction before commit (AML screening plugs in here). */
  beforeCommit?: readonly BeforeTransferCommit[];
}

/**
 * How to pay for a transfer that awaits funds: a bank payment of exactly the amount, to Drop's
 * client account, with the KID. Built here rather than stored, so a stored first response and a
 * later read give the same instructions.
 */
export function withPayIn<T extends TransferJson>(transfer: T, account: string): T & { payIn: PayInInstructions | null } {
  const payIn =
    transfer.status === 'awaiting_funds' && transfer.kid
      ? {
          account: `${account.slice(0, 4)}.${account.slice(4, 6)}.${account.slice(6)}`,
          kid: transfer.kid,
          amount: transfer.send,
          payBy: transfer.payBy,
        }
      : null;
  return { ...transfer, payIn };
}

export const transferRoutes: FastifyPluginAsyncZod<TransferRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);
  // POST /api/transfers checks the session in create_transfer: one round trip.
  const inStatement = requireCustomerInStatement(options.customerAuth);
  const payIn = <T extends TransferJson>(transfer: T) => withPayIn(transfer, options.payInAccount);
  const detail = async (userId: string, transactionId: string) => {
    const transfer = payIn(await getTransfer(options.db, { userId, transactionId }));
    return { ...transfer, latePayment: await latePaymentFor(options.db, { userId, transactionId }) };
  };

  app.post(
    '/api/transfers',
    {
      ...inStatement,
      config: customerRateLimit('transfer', options.rateLimitMultiplier),
      schema: {
        tags: ['transfers'],
        summary: 'Send money: create a transfer from a quote to a recipient',
        description:
          'Requires an Idempotency-Key header (1–255 visible ASCII characters, e.g. a UUID the client keeps until it has an answer). ' +
          'A retry with the same key and body returns the first response (with Idempotent-Replayed: true); ' +
          'the same key with another body is refused with 422 IDEMPOTENCY_KEY_REUSED. Requests refused with a 4xx store nothing. ' +
          `At most ${CUSTOMER_RATE_LIMITS.transfer.max} requests a minute per customer, retries included (429 RATE_LIMITED with Retry-After).`,
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: createTransferRequest,
        response: { 201: envelope(transfer) },
      },
    },
    async (request, reply) => {
      const { userId } = customerOf(request);
      const screening = await options.screening.partiesOf(options.db, userId, request.body.recipientId);
      const result = await createTransfer(options.db, {
        userId,
        screening,
        idempotencyKey: request.headers['idempotency-key'] ?? '',
        request: request.body,
        limits: options.limits,
        eddThresholdOre: options.eddThresholdOre,
        ledgerShards: options.ledgerShards,
        kids: options.kids,
        beforeCommit: options.beforeCommit ?? [],
        session: sessionToCheck(request),
      });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send({ data: payIn(result.body.data) });
    },
  );

  app.get(
    '/api/transfers',
    {
      preValidation: guard,
      schema: {
        tags: ['transfers'],
        summary: 'My transfers, newest first',
        querystring: transferListQuery,
        response: { 200: envelope(z.array(transfer)) },
      },
    },
    async (request) => ({
      data: (await listTransfers(options.db, { userId: customerOf(request).userId, limit: request.query.limit })).map(payIn),
    }),
  );

  app.get(
    '/api/transfers/:id',
    {
      preValidation: guard,
      schema: {
        tags: ['transfers'],
        summary: 'One of my transfers with its timeline',
        params: resourceParams,
        response: { 200: envelope(transferDetail) },
      },
    },
    async (request) => ({ data: await detail(customerOf(request).userId, request.params.id) }),
  );

  app.post(
    '/api/transfers/:id/cancel',
    {
      preValidation: guard,
      schema: {
        tags: ['transfers'],
        summary: 'Cancel a transfer before its money is converted',
        description:
          'While it awaits my payment it is cancelled at once. After the payment arrived but before the money was converted, ' +
          'the payout is stopped and the money is owed back to the paying account: the transfer becomes refunded when the ' +
          'refund has left the bank. Later: 409 TRANSFER_STATE_INVALID.',
        params: resourceParams,
        response: { 200: envelope(transferDetail) },
      },
    },
    async (request) => {
      const userId = customerOf(request).userId;
      await cancelTransfer(options.db, { userId, transactionId: request.params.id });
      return { data: await detail(userId, request.params.id) };
    },
  );

  app.get(
    '/api/transfers/:id/receipt.pdf',
    {
      preValidation: guard,
      schema: {
        tags: ['transfers'],
        summary: 'The PDF receipt of one of my transfers, once the recipient has been paid',
        params: resourceParams,
        querystring: receiptQuery,
      },
    },
    async (request, reply) => {
      const receipt = await buildReceipt(options.db, {
        userId: customerOf(request).userId,
        transactionId: request.params.id,
        company: options.company,
        ...(request.query.lang ? { locale: request.query.lang } : {}),
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${receipt.fileName}"`)
        .send(Buffer.from(receipt.pdf));
    },
  );

  app.post(
    '/api/transfers/:id/late-payment/quote',
    {
      preValidation: guard,
      schema: {
        tags: ['transfers'],
        summary: 'My payment came after the quote expired: a new quote at today’s rate for the same amount',
        params: resourceParams,
        response: { 201: envelope(quote) },
      },
    },
    async (request, reply) => {
      const quote = await requoteLatePayment(options.db, {
        userId: customerOf(request).userId,
        transactionId: request.params.id,
        corridors: options.corridors,
        rates: options.rates,
        ttlSeconds: options.quoteTtlSeconds,
      });
      return reply.status(201).send({ data: quote });
    },
  );

  app.post(
    '/api/transfers/:id/late-payment/accept',
    {
      preValidation: guard,
      schema: {
        tags: ['transfers'],
        summary: 'Accept the new quote: this transfer is cancelled and a new one, paid by the late payment, replaces it',
        params: resourceParams,
        body: acceptRequoteRequest,
        response: { 201: envelope(transfer) },
      },
    },
    async (request, reply) => {
      const transfer = await acceptRequote(options.db, {
        userId: customerOf(request).userId,
        transactionId: request.params.id,
        quoteId: request.body.quoteId,
        kids: options.kids,
        limits: options.limits,
        eddThresholdOre: options.eddThresholdOre,
        ledgerShards: options.ledgerShards,
        beforeCommit: options.beforeCommit ?? [],
      });
      return reply.status(201).send({ data: payIn(transfer) });
    },
  );

  app.post(
    '/api/transfers/:id/late-payment/refund',
    {
      preValidation: guard,
      schema: {
        tags: ['transfers'],
        summary: 'Decline a new rate: this transfer is cancelled and the late payment goes back to the account it came from',
        params: resourceParams,
        response: { 200: envelope(latePaymentRefund) },
      },
    },
    async (request) => ({
      data: await refundLatePayment(options.db, { userId: customerOf(request).userId, transactionId: request.params.id }),
    }),
  );
};
