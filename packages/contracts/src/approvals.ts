/**
 * Holds and four eyes (issue 13): staff hold a transfer at once; releasing or stopping a held
 * transfer, and blocking or unblocking a customer, is proposed by one person and approved by
 * another (the database refuses an approval by the proposer: FOUR_EYES_REQUIRED).
 */
import { z } from 'zod';
import { idSchema } from './ids.ts';

export const FOUR_EYES_KINDS = ['release_transfer', 'stop_transfer', 'block_customer', 'unblock_customer'] as const;
export const fourEyesKind = z.enum(FOUR_EYES_KINDS);
export type FourEyesKind = z.infer<typeof fourEyesKind>;

export const FOUR_EYES_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export const fourEyesStatus = z.enum(FOUR_EYES_STATUSES);
export type FourEyesStatus = z.infer<typeof fourEyesStatus>;

/** Why: a hold, a proposal. Kept in the audit log and shown to the approver. */
export const reasonRequest = z.object({ reason: z.string().trim().min(1).max(2000) });
export type ReasonRequest = z.infer<typeof reasonRequest>;

/** The approver's (or rejecter's) note. */
export const decisionRequest = z.object({ note: z.string().trim().max(2000).default('') });
export type DecisionRequest = z.infer<typeof decisionRequest>;

export const approvalParams = z.object({ id: idSchema('fer') });

/** `POST /api/staff/transfers/:id/hold`. */
export const transferHeld = z.object({ id: z.string(), from: z.string(), to: z.literal('held') });
export type TransferHeld = z.infer<typeof transferHeld>;

/** One proposal, as the approvals page and the CLI show it. */
export const fourEyesRequest = z.object({
  id: z.string(),
  kind: fourEyesKind,
  subjectId: z.string().describe('tx_… for a release or stop, usr_… for a block or unblock'),
  reason: z.string(),
  proposedBy: z.string(),
  proposedByName: z.string(),
  proposedAt: z.string(),
  status: fourEyesStatus,
  decidedBy: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  subjectName: z.string().nullable().describe('The customer a block or unblock is about (name, else e-mail); null for a transfer'),
});
export type FourEyesRequest = z.infer<typeof fourEyesRequest>;

/** `GET /api/staff/approvals`: pending unless ?status= says otherwise; ?subjectId= narrows to one transfer or customer. */
export const approvalListQuery = z.object({
  status: fourEyesStatus.default('pending'),
  subjectId: z.string().max(40).optional(),
});
export type ApprovalListQuery = z.infer<typeof approvalListQuery>;
