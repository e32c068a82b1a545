/** The console's data: each route names the permission it needs (see auth/staff-access.ts). */
import {
  auditEntry,
  auditLogQuery,
  customerSearchQuery,
  customerSummary,
  envelope,
  kycCase,
  kycDecisionRequest,
  kycDecisionResult,
  kycHistoryEntry,
  ledgerSummary,
  sessionsRevoked,
  staffTransferDetail,
  staffTransferList,
  staffTransferListQuery,
  staffTransferParams,
  userParams,
} from '@drop/contracts';
import {
  type CustomerScreening,
  getTransferForStaff,
  kycHistory,
  ledgerBalances,
  listKycQueue,
  listTransfersForStaff,
  recentAuditLog,
  recordManualKycDecision,
  revokeSessions,
  searchCustomers,
  verifyLedger,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/staff-access.ts';

export interface BackOfficeRouteOptions {
  db: Db;
  /** Screens a customer a compliance officer approves. */
  screening: CustomerScreening;
}

export const backOfficeRoutes: FastifyPluginAsyncZod<BackOfficeRouteOptions> = async (app, options) => {
  const { db } = options;
  app.get(
    '/api/staff/kyc-queue',
    {
      config: { staffPolicy: { permission: 'kyc_queue' } },
      schema: {
        tags: ['staff'],
        summary: 'Customers waiting on KYC, oldest first (overdue after 24 h)',
        response: { 200: envelope(z.array(kycCase)) },
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
        params: userParams,
        response: { 200: envelope(z.array(kycHistoryEntry)) },
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
        params: userParams,
        body: kycDecisionRequest,
        response: { 200: envelope(kycDecisionResult) },
      },
    },
    async (request) => {
      const result = await recordManualKycDecision(db, {
        userId: request.params.userId,
        ...request.body,
        staffId: staffOf(request).staffId,
        screening: options.screening,
      });
      return { data: { from: result.from, to: result.to } };
    },
  );

  app.get(
    '/api/staff/customers',
    {
      config: { staffPolicy: { permission: 'customers' } },
      schema: {
        tags: ['staff'],
        summary: 'Find customers by id, email, part of the name or customer number (spaces and dashes ignored)',
        querystring: customerSearchQuery,
        response: { 200: envelope(z.array(customerSummary)) },
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
        params: userParams,
        response: { 200: envelope(sessionsRevoked) },
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
        querystring: auditLogQuery,
        response: { 200: envelope(z.array(auditEntry)) },
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
        querystring: staffTransferListQuery,
        response: { 200: envelope(staffTransferList) },
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
        params: staffTransferParams,
        response: { 200: envelope(staffTransferDetail) },
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
        response: { 200: envelope(ledgerSummary) },
      },
    },
    async () => {
      const report = await verifyLedger(db);
      return { data: { report, balances: await ledgerBalances(db) } };
    },
  );
};
