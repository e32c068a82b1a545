/** Transfers: create (idempotent), list, read with timeline, cancel before paying. */
import {
  type BeforeTransferCommit,
  buildReceipt,
  type Company,
  createTransfer,
  getTransfer,
  type KidSource,
  type KycTier,
  listTransfers,
  type TierLimits,
  type TransferJson,
  transitionTransfer,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';
import { timelineSchema, transferSchema } from './money-schemas.ts';

export interface TransferRouteOptions {
  db: Db;
  limits: Record<KycTier, TierLimits>;
  eddThresholdOre: bigint;
  ledgerShards: number;
  kids: KidSource;
  /** Drop's client account customers pay to (11 digits). */
  payInAccount: string;
  /** The company printed on receipts. */
  company: Company;
  customerAuth: CustomerAuthOptions;
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

type PayInInstructions = { account: string; kid: string; amount: TransferJson['send']; payBy: string | null };

export const transferRoutes: FastifyPluginAsyncZod<TransferRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);
  const payIn = <T extends TransferJson>(transfer: T) => withPayIn(transfer, options.payInAccount);

  app.post(
    '/api/transfers',
    {
      preValidation: guard,
      schema: {
        tags: ['transfers'],
        summary: 'Send money: create a transfer from a quote to a recipient',
        description:
          'Requires an Idempotency-Key header (1–255 visible ASCII characters, e.g. a UUID the client keeps until it has an answer). ' +
          'A retry with the same key and body returns the first response (with Idempotent-Replayed: true); ' +
          'the same key with another body is refused with 422 IDEMPOTENCY_KEY_REUSED. Requests refused with a 4xx store nothing.',
        headers: z.object({ 'idempotency-key': z.string().optional() }),
        body: z.strictObject({ quoteId: z.string().max(40), recipientId: z.string().max(40) }),
        response: { 201: z.object({ data: transferSchema }) },
      },
    },
    async (request, reply) => {
      const result = await createTransfer(options.db, {
        userId: customerOf(request).userId,
        idempotencyKey: request.headers['idempotency-key'] ?? '',
        request: request.body,
        limits: options.limits,
        eddThresholdOre: options.eddThresholdOre,
        ledgerShards: options.ledgerShards,
        kids: options.kids,
        beforeCommit: options.beforeCommit ?? [],
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
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }),
        response: { 200: z.object({ data: z.array(transferSchema) }) },
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
        params: z.object({ id: z.string().max(40) }),
        response: { 200: z.object({ data: transferSchema.extend({ timeline: timelineSchema }) }) },
      },
    },
    async (request) => ({
      data: payIn(await getTransfer(options.db, { userId: customerOf(request).userId, transactionId: request.params.id })),
    }),
  );

  app.post(
    '/api/transfers/:id/cancel',
    {
      preValidation: guard,
      schema: {
        tags: ['transfers'],
        summary: 'Cancel a transfer that is still awaiting my payment',
        params: z.object({ id: z.string().max(40) }),
        response: { 200: z.object({ data: transferSchema.extend({ timeline: timelineSchema }) }) },
      },
    },
    async (request) => {
      const userId = customerOf(request).userId;
      await transitionTransfer(options.db, {
        transactionId: request.params.id,
        to: 'cancelled',
        actor: userId,
        reason: 'cancelled by the customer',
        ownerId: userId,
        onlyFrom: ['awaiting_funds'],
      });
      return { data: payIn(await getTransfer(options.db, { userId, transactionId: request.params.id })) };
    },
  );

  app.get(
    '/api/transfers/:id/receipt.pdf',
    {
      preValidation: guard,
      schema: {
        tags: ['transfers'],
        summary: 'The PDF receipt of one of my transfers, once the recipient has been paid',
        params: z.object({ id: z.string().max(40) }),
        querystring: z.object({ lang: z.enum(['nb', 'en']).optional() }),
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
};
