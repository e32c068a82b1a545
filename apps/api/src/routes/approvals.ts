/**
 * Holds and four eyes (issue 13). Holding a transfer takes one person ('transfer_hold'); releasing
 * or stopping it, and blocking or unblocking a customer, is proposed by one ('transfer_hold') and
 * approved or rejected by another ('four_eyes_approve'). An approval by the proposer is
 * FOUR_EYES_REQUIRED (403), refused by the database as well.
 */
import {
  approvalListQuery,
  approvalParams,
  decisionRequest,
  envelope,
  type FourEyesKind,
  fourEyesRequest,
  reasonRequest,
  staffTransferParams,
  transferHeld,
  userParams,
} from '@drop/contracts';
import { decideFourEyes, holdTransfer, listFourEyesRequests, proposeFourEyes, withdrawFourEyes } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/staff-access.ts';

export const approvalRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.post(
    '/api/staff/transfers/:id/hold',
    {
      config: { staffPolicy: { permission: 'transfer_hold' } },
      schema: {
        tags: ['staff'],
        summary: 'Hold a transfer whose money has not left Drop, with a reason (one person; audited)',
        params: staffTransferParams,
        body: reasonRequest,
        response: { 200: envelope(transferHeld) },
      },
    },
    async (request) => {
      const result = await holdTransfer(db, {
        transactionId: request.params.id,
        staffId: staffOf(request).staffId,
        reason: request.body.reason,
      });
      return { data: { id: request.params.id, ...result } };
    },
  );

  const propose = (url: string, kind: FourEyesKind, params: typeof staffTransferParams | typeof userParams, summary: string) =>
    app.post(
      url,
      {
        config: { staffPolicy: { permission: 'transfer_hold' } },
        schema: { tags: ['staff'], summary, params, body: reasonRequest, response: { 201: envelope(fourEyesRequest) } },
      },
      async (request, reply) => {
        const subject = request.params as { id?: string; userId?: string };
        const data = await proposeFourEyes(db, {
          kind,
          subjectId: (subject.id ?? subject.userId) as string,
          reason: request.body.reason,
          staffId: staffOf(request).staffId,
        });
        return reply.code(201).send({ data });
      },
    );
  propose(
    '/api/staff/transfers/:id/release-request',
    'release_transfer',
    staffTransferParams,
    'Propose releasing a held transfer (another person approves)',
  );
  propose(
    '/api/staff/transfers/:id/stop-request',
    'stop_transfer',
    staffTransferParams,
    'Propose stopping a held transfer: its money goes back (another person approves)',
  );
  propose(
    '/api/staff/customers/:userId/block-request',
    'block_customer',
    userParams,
    'Propose blocking a customer: their transfers are held (another person approves)',
  );
  propose(
    '/api/staff/customers/:userId/unblock-request',
    'unblock_customer',
    userParams,
    'Propose unblocking a customer (another person approves)',
  );

  app.get(
    '/api/staff/approvals',
    {
      config: { staffPolicy: { permission: 'transfer_hold' } },
      schema: {
        tags: ['staff'],
        summary: 'Proposals waiting for a second person, oldest first (or decided ones, by ?status=)',
        querystring: approvalListQuery,
        response: { 200: envelope(z.array(fourEyesRequest)) },
      },
    },
    async (request) => ({ data: await listFourEyesRequests(db, request.query) }),
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/api/staff/approvals/:id/${decision}`,
      {
        config: { staffPolicy: { permission: 'four_eyes_approve' } },
        schema: {
          tags: ['staff'],
          summary:
            decision === 'approve'
              ? 'Approve another person’s proposal, which is carried out at once (never your own: FOUR_EYES_REQUIRED)'
              : 'Reject another person’s proposal, with a note (never your own: FOUR_EYES_REQUIRED)',
          params: approvalParams,
          body: decisionRequest,
          response: { 200: envelope(fourEyesRequest) },
        },
      },
      async (request) => ({
        data: await decideFourEyes(db, {
          id: request.params.id,
          staffId: staffOf(request).staffId,
          decision,
          note: request.body.note,
        }),
      }),
    );
  }

  // The proposer takes back their own pending proposal; anyone else approves or rejects it instead.
  app.post(
    '/api/staff/approvals/:id/withdraw',
    {
      config: { staffPolicy: { permission: 'transfer_hold' } },
      schema: {
        tags: ['staff'],
        summary: 'Withdraw your own pending proposal, with an optional note (only the proposer: FORBIDDEN for anyone else; audited)',
        params: approvalParams,
        body: decisionRequest,
        response: { 200: envelope(fourEyesRequest) },
      },
    },
    async (request) => ({
      data: await withdrawFourEyes(db, { id: request.params.id, staffId: staffOf(request).staffId, note: request.body.note }),
    }),
  );
};
