/** The console's data: each route names the permission it needs (see auth/staff-access.ts). */
import {
  getTransferForStaff,
  kycHistory,
  ledgerBalances,
  listKycQueue,
  listOpenAlerts,
  listTransfersForStaff,
  recentAuditLog,
  recordManualKycDecision,
  revokeSessions,
  searchCustomers,
  TRANSFER_LIST_VIEWS,
  TRANSFER_STATUSES,
  verifyLedger,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/staff-access.ts';
import { money, transferSchema } from './money-schemas.ts';

const kycStatus = z.enum(['not_started', 'pending', 'approved', 'rejected', 'retry', 'on_hold']);
const userId = z.string().regex(/^usr_[0-9A-Z]{26}$/);
const transferStatus = z.enum(TRANSFER_STATUSES);
const ledgerPurpose = z.enum(['bank', 'customer_funds', 'fee_revenue', 'fx_position', 'partner_clearing', 'suspense']);

const staffTransferRow = z.object({
  id: z.string(),
  type: z.enum(['transfer', 'refund']),
  status: transferStatus,
  customer: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  send: money.describe('NOK the customer pays, fee included'),
  fee: money,
  receive: money.nullable(),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
});

const ledgerAccount = z.object({
  id: z.string(),
  purpose: ledgerPurpose,
  currency: z.string(),
  shard: z.number().int(),
  userId: z.string().nullable().describe('The customer, for customer_funds'),
});

const staffTransferDetail = z.object({
  transfer: transferSchema.omit({ payIn: true }).extend({
    type: z.enum(['transfer', 'refund']),
    receive: z.object({ amount: z.string().nullable(), currency: z.string().nullable() }),
    rate: z.string().nullable(),
    heldFrom: transferStatus.nullable(),
    ledgerShard: z.number().int(),
  }),
  customer: z.object({
    id: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    kycStatus,
    deletedAt: z.string().nullable(),
  }),
  recipient: z
    .object({
      id: z.string(),
      name: z.string(),
      country: z.string(),
      currency: z.string(),
      rail: z.string(),
      relationship: z.string(),
      display: z.string(),
      details: z.record(z.string(), z.string()).describe('The payout details (IBAN, account number, mobile number …)'),
      deletedAt: z.string().nullable(),
    })
    .nullable(),
  timeline: z.array(
    z.object({
      from: transferStatus.nullable(),
      to: transferStatus,
      at: z.string(),
      actor: z.string().describe("The customer's id, a staff id, 'system:<job>' or a database role"),
      actorKind: z.enum(['customer', 'staff', 'system']),
      actorName: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
  postings: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      kind: z.enum(['pending', 'posted', 'post_pending', 'void_pending']),
      pendingId: z.string().nullable(),
      debit: ledgerAccount,
      credit: ledgerAccount,
      amount: money,
      createdAt: z.string(),
    }),
  ),
  payout: z
    .object({
      partner: z.string(),
      state: z.enum(['sending', 'sent', 'paid', 'failed', 'returned']),
      partnerReference: z.string().nullable(),
      partnerState: z.string().nullable().describe("The partner's own status, as it last reported it"),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
      settledAt: z.string().nullable(),
    })
    .nullable()
    .describe('The payout to the recipient through the partner; null until one is sent'),
  bankEntries: z
    .array(
      z.object({
        reference: z.string().describe("The bank's reference for the booking"),
        amount: money,
        bookingDate: z.string().nullable().describe('YYYY-MM-DD'),
        status: z.enum(['matched', 'exception', 'resolved', 'refunded', 'recorded']),
        debtorName: z.string().nullable(),
        debtorAccount: z.string().nullable().describe('The paying account, masked to its last four characters'),
      }),
    )
    .describe('The bank payments that funded the transfer (by its KID, or matched by hand), oldest first'),
  customerRefund: z
    .object({
      amount: money,
      toAccount: z.string().nullable().describe('Masked to its last four characters; null when the bank did not say who paid'),
      state: z.enum(['pending', 'sent']),
      reason: z.string(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
    })
    .nullable()
    .describe("The customer's money going back after a failed or returned payout; null when none is owed"),
});

export const backOfficeRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/staff/kyc-queue',
    {
      config: { staffPolicy: { permission: 'kyc_queue' } },
      schema: {
        tags: ['staff'],
        summary: 'Customers waiting on KYC, oldest first (overdue after 24 h)',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                email: z.string().nullable(),
                name: z.string().nullable(),
                kycStatus,
                createdAt: z.string(),
                waitingHours: z.number().int(),
                overdue: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ data: await listKycQueue(db) }),
  );

  app.get(
    '/api/staff/kyc/:userId',
    {
      config: { staffPolicy: { permission: 'kyc_queue' } },
      schema: {
        tags: ['staff'],
        summary: "A customer's verification history: provider events and decisions, oldest first",
        params: z.object({ userId: z.string().regex(/^usr_[0-9A-Z]{26}$/) }),
        response: {
          200: z.object({
            data: z.array(
              z.object({ timestamp: z.string(), actor: z.string(), action: z.string(), details: z.record(z.string(), z.unknown()) }),
            ),
          }),
        },
      },
    },
    async (request) => ({ data: await kycHistory(db, request.params.userId) }),
  );

  app.post(
    '/api/staff/kyc/:userId/decision',
    {
      config: { staffPolicy: { permission: 'kyc_decide' } },
      schema: {
        tags: ['staff'],
        summary: "Record a compliance officer's own verification decision, with the reason (audited)",
        params: z.object({ userId: z.string().regex(/^usr_[0-9A-Z]{26}$/) }),
        body: z.object({ decision: z.enum(['approve', 'reject']), note: z.string().min(5).max(2000) }),
        response: { 200: z.object({ data: z.object({ from: z.string(), to: z.string() }) }) },
      },
    },
    async (request) => {
      const result = await recordManualKycDecision(db, {
        userId: request.params.userId,
        ...request.body,
        staffId: staffOf(request).staffId,
      });
      return { data: { from: result.from, to: result.to } };
    },
  );

  app.get(
    '/api/staff/aml-alerts',
    {
      config: { staffPolicy: { permission: 'aml_alerts' } },
      schema: {
        tags: ['staff'],
        summary: 'Open AML alerts, newest first',
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                userId: z.string(),
                email: z.string().nullable(),
                transactionId: z.string().nullable(),
                rule: z.string(),
                severity: z.enum(['low', 'medium', 'high', 'critical']),
                status: z.enum(['open', 'closed']),
                createdAt: z.string(),
                sendAmount: z.string().nullable().describe('NOK, major units'),
                sendCurrency: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ data: await listOpenAlerts(db) }),
  );

  app.get(
    '/api/staff/customers',
    {
      config: { staffPolicy: { permission: 'customers' } },
      schema: {
        tags: ['staff'],
        summary: 'Find customers by id, email or part of the name',
        querystring: z.object({ query: z.string().max(200).default('') }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                email: z.string().nullable(),
                name: z.string().nullable(),
                kycStatus,
                createdAt: z.string(),
                deletedAt: z.string().nullable(),
                liveSessions: z.number().int(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ data: await searchCustomers(db, request.query.query) }),
  );

  app.post(
    '/api/staff/customers/:userId/revoke-sessions',
    {
      config: { staffPolicy: { permission: 'revoke_customer_sessions' } },
      schema: {
        tags: ['staff'],
        summary: "End every session of a customer (runbook 6.2's revocation, from the console)",
        params: z.object({ userId: z.string().regex(/^usr_[0-9A-Z]{26}$/) }),
        response: { 200: z.object({ data: z.object({ sessionsEnded: z.number().int() }) }) },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      const sessionsEnded = await revokeSessions(db, {
        userId: request.params.userId,
        actor: staff.staffId,
        which: 'all',
        reason: 'revoked_by_staff',
      });
      return { data: { sessionsEnded } };
    },
  );

  app.get(
    '/api/staff/audit-log',
    {
      config: { staffPolicy: { permission: 'audit_log' } },
      schema: {
        tags: ['staff'],
        summary: 'The newest audit events',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                seq: z.string(),
                timestamp: z.string(),
                actor: z.string(),
                action: z.string(),
                resourceType: z.string(),
                resourceId: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ data: await recentAuditLog(db, request.query.limit) }),
  );

  app.get(
    '/api/staff/transfers',
    {
      config: { staffPolicy: { permission: 'transfers_view' } },
      schema: {
        tags: ['staff'],
        summary: 'Transfers as the operations runbook (6.3) lists them: the same rows in the same order',
        description:
          'recent: created in the last 24 hours, newest first, at most 50. failed: failed in the last 7 days, newest first. ' +
          'large: over NOK 50 000 in the last 30 days, largest first. held: every held transfer, oldest first. ' +
          'customerId narrows any of them to one customer. Lists the runbook does not cap stop at 500 rows (truncated: true).',
        querystring: z.object({ view: z.enum(TRANSFER_LIST_VIEWS).default('recent'), customerId: userId.optional() }),
        response: {
          200: z.object({
            data: z.object({
              view: z.enum(TRANSFER_LIST_VIEWS),
              customerId: z.string().nullable(),
              limit: z.number().int(),
              truncated: z.boolean(),
              transfers: z.array(staffTransferRow),
            }),
          }),
        },
      },
    },
    async (request) => ({ data: await listTransfersForStaff(db, request.query) }),
  );

  app.get(
    '/api/staff/transfers/:id',
    {
      config: { staffPolicy: { permission: 'transfers_view' } },
      schema: {
        tags: ['staff'],
        summary:
          'One transfer for support and compliance: figures, customer, recipient, timeline with actors, ledger postings, bank payments, payout and refund',
        params: z.object({ id: z.string().regex(/^tx_[0-9A-Z]{26}$/) }),
        response: { 200: z.object({ data: staffTransferDetail }) },
      },
    },
    async (request) => ({ data: await getTransferForStaff(db, { transactionId: request.params.id }) }),
  );

  app.get(
    '/api/staff/ledger',
    {
      config: { staffPolicy: { permission: 'ledger_view' } },
      schema: {
        tags: ['staff'],
        summary: 'The ledger invariants checked now (as `drop ledger verify`), and balances per purpose and currency over all shards',
        response: {
          200: z.object({
            data: z.object({
              report: z.object({
                ok: z.boolean(),
                accounts: z.number().int(),
                postings: z.number().int(),
                transfers: z.number().int(),
                violations: z.array(z.object({ invariant: z.string(), detail: z.record(z.string(), z.unknown()) })),
              }),
              balances: z.array(
                z.object({
                  purpose: ledgerPurpose,
                  currency: z.string(),
                  accounts: z.number().int(),
                  debitsPending: z.string(),
                  debitsPosted: z.string(),
                  creditsPending: z.string(),
                  creditsPosted: z.string(),
                  postedNet: z.string().describe('Posted credits − posted debits, major units'),
                }),
              ),
            }),
          }),
        },
      },
    },
    async () => {
      const report = await verifyLedger(db);
      return { data: { report, balances: await ledgerBalances(db) } };
    },
  );
};
