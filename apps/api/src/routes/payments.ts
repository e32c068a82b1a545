/**
 * Money in, for staff: upload the bank's camt.053/camt.054 files, see what each import did, and
 * work the exceptions queue (match a payment to a transfer by hand, or refund it), and record a
 * customer refund paid by hand.
 */
import {
  bankEntryParams,
  bankFileRecord,
  bankFilesQuery,
  bankImportSummary,
  envelope,
  matchPaymentRequest,
  paymentException,
  paymentExceptionsQuery,
  paymentExceptionTotals,
  paymentMatched,
  paymentRefunded,
  refundPaidParams,
  refundPaidRequest,
  refundPaidResult,
  refundPaymentRequest,
} from '@drop/contracts';
import {
  bankExceptionTotals,
  confirmCustomerRefund,
  DomainError,
  importBankStatement,
  type KidFormat,
  listBankExceptions,
  listBankFiles,
  matchBankEntryByHand,
  refundBankEntry,
} from '@drop/core';
import type { Db } from '@drop/db';
import { camtBankFileParser } from '@drop/integrations';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/staff-access.ts';

export interface PaymentRouteOptions {
  db: Db;
  /** `sepaAccountIban`: Drop's EUR account, whose statements settle SEPA payouts. */
  payIn: { account: string; kid: KidFormat; lateToleranceDays: number; sepaAccountIban?: string | undefined };
}

/** The bank's files are small (a day's bookings); a month of a busy account stays far below this. */
const BANK_FILE_LIMIT_BYTES = 20 * 1024 * 1024;

export const paymentRoutes: FastifyPluginAsyncZod<PaymentRouteOptions> = async (app, { db, payIn }) => {
  // The file is stored by its digest, so it is read as the bank sent it: raw bytes.
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'buffer', bodyLimit: BANK_FILE_LIMIT_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/api/staff/bank-files',
    {
      config: { staffPolicy: { permission: 'payments_manage' } },
      bodyLimit: BANK_FILE_LIMIT_BYTES,
      schema: {
        tags: ['staff'],
        consumes: ['application/xml', 'text/xml'],
        summary: 'Import a bank statement (camt.053) or notification (camt.054) file: funds transfers paid with their KID, queues the rest',
        description:
          'Send the file as the body with Content-Type application/xml, and its name in X-File-Name. A malformed, truncated or ' +
          'foreign-account file is refused whole (422 BANK_FILE_INVALID / BANK_ACCOUNT_MISMATCH). The same file again changes ' +
          'nothing and answers 200 with the first import.',
        headers: z.object({ 'x-file-name': z.string().max(200).optional() }),
        response: { 200: envelope(bankImportSummary), 201: envelope(bankImportSummary) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const summary = await importBankStatement(db, camtBankFileParser, {
        bytes: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
        fileName: request.headers['x-file-name'],
        importedBy: staffOf(request).staffId,
        payIn,
      });
      return reply.status(summary.alreadyImported ? 200 : 201).send({ data: summary });
    },
  );

  app.get(
    '/api/staff/bank-files',
    {
      config: { staffPolicy: { permission: 'payments_view' } },
      schema: {
        tags: ['staff'],
        summary: 'Imported bank files, newest first, with what each import did',
        querystring: bankFilesQuery,
        response: { 200: envelope(z.array(bankFileRecord)) },
      },
    },
    async (request) => ({ data: await listBankFiles(db, request.query) }),
  );

  app.get(
    '/api/staff/payment-exceptions',
    {
      config: { staffPolicy: { permission: 'payments_view' } },
      schema: {
        tags: ['staff'],
        summary: 'Incoming payments that could not fund a transfer by themselves, oldest first',
        querystring: paymentExceptionsQuery,
        response: { 200: envelope(z.array(paymentException)) },
      },
    },
    async (request) => ({ data: await listBankExceptions(db, request.query) }),
  );

  app.get(
    '/api/staff/payment-exceptions/totals',
    {
      config: { staffPolicy: { permission: 'payments_view' } },
      schema: {
        tags: ['staff'],
        summary: 'The money waiting in the exceptions queue: one sum per currency, NOK first',
        response: { 200: envelope(paymentExceptionTotals) },
      },
    },
    async () => ({ data: await bankExceptionTotals(db) }),
  );

  app.post(
    '/api/staff/payment-exceptions/:id/match',
    {
      config: { staffPolicy: { permission: 'payments_manage' } },
      schema: {
        tags: ['staff'],
        summary: 'Fund a transfer from a queued payment (audited); any amount beyond the transfer is refunded to the payer',
        params: bankEntryParams,
        body: matchPaymentRequest,
        response: { 200: envelope(paymentMatched) },
      },
    },
    async (request) => ({
      data: await matchBankEntryByHand(db, { entryId: request.params.id, ...request.body, staffId: staffOf(request).staffId }),
    }),
  );

  app.post(
    '/api/staff/payment-exceptions/:id/refund',
    {
      config: { staffPolicy: { permission: 'payments_manage' } },
      schema: {
        tags: ['staff'],
        summary: 'Send a queued payment back to the payer (audited)',
        params: bankEntryParams,
        body: refundPaymentRequest,
        response: { 200: envelope(paymentRefunded) },
      },
    },
    async (request) => ({
      data: await refundBankEntry(db, { entryId: request.params.id, ...request.body, staffId: staffOf(request).staffId }),
    }),
  );

  app.post(
    '/api/staff/transfers/:id/refund-paid',
    {
      config: { staffPolicy: { permission: 'payments_manage' } },
      schema: {
        tags: ['staff'],
        summary: 'Record that a failed transfer’s refund was paid by hand from the bank (audited); the transfer becomes refunded',
        description:
          'Normally the bank statement confirms a refund by its debit to the paying account. Use this when it was paid another way, ' +
          'with a note saying how. Answers 409 TRANSFER_STATE_INVALID unless the transfer is failed with a refund owed.',
        params: refundPaidParams,
        body: refundPaidRequest,
        response: { 200: envelope(refundPaidResult) },
      },
    },
    async (request) => {
      const outcome = await confirmCustomerRefund(db, {
        transactionId: request.params.id,
        actor: staffOf(request).staffId,
        note: request.body.note,
      });
      if (outcome === 'not_found') throw new DomainError('NOT_FOUND', 'This transfer has no refund owed.');
      return { data: { outcome } };
    },
  );
};
