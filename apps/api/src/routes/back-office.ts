/** The console's data: each route names the permission it needs (see auth/staff-access.ts). */
import {
  kycHistory,
  listKycQueue,
  listOpenAlerts,
  recentAuditLog,
  recordManualKycDecision,
  revokeSessions,
  searchCustomers,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/staff-access.ts';

const kycStatus = z.enum(['not_started', 'pending', 'approved', 'rejected', 'retry', 'on_hold']);

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
};
