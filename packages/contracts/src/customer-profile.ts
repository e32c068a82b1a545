/** One customer as staff see them on the console's profile page (`GET /api/staff/customers/:userId`). */
import { z } from 'zod';
import { fourEyesRequest } from './approvals.ts';
import { kycHistoryEntry } from './back-office.ts';
import { kycStatus } from './kyc.ts';
import { nokWhole } from './money.ts';
import { staffTransferRow } from './staff-transfers.ts';

/** Who the customer is, as BankID said. Drop keeps no address (BankID gives none): `address` is null until it does. */
export const customerIdentity = z.object({
  customerNumber: z.string().describe('The number the customer reads aloud (8 digits, Luhn)'),
  name: z.string().nullable(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  birthDate: z.string().nullable().describe('YYYY-MM-DD'),
  nationalId: z
    .string()
    .nullable()
    .describe("In full for a role with 'customer_national_id'; otherwise the birth-date part and five asterisks"),
  nationalIdMasked: z.boolean(),
  address: z.string().nullable(),
  email: z.string().nullable(),
  locale: z.enum(['nb', 'en']),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

/** Whether the customer may move money, and what compliance has set on them. */
export const customerStanding = z.object({
  kycStatus,
  kycTier: z.number().int().min(0).max(2),
  blockReason: z.string().nullable().describe('customer_block_reason: deleted, aml_frozen, kyc_…; null when they may send'),
  deletedAt: z.string().nullable(),
  personalDataErasedAt: z.string().nullable(),
  amlFrozenAt: z.string().nullable(),
  amlFrozenReason: z.string().nullable(),
  eddRequiredAt: z.string().nullable(),
  sourceOfFundsDeclaredAt: z.string().nullable(),
  pendingBlockRequest: fourEyesRequest.nullable(),
});

/** The verification at the provider (Sumsub) and its history: provider events and decisions. */
export const customerKyc = z.object({
  applicant: z
    .object({
      levelName: z.string(),
      reviewStatus: z.string(),
      reviewAnswer: z.enum(['GREEN', 'RED']).nullable(),
      rejectType: z.enum(['FINAL', 'RETRY']).nullable(),
      rejectLabels: z.array(z.string()),
      decidedBy: z.string().nullable().describe("'sumsub' or the staff id of a manual decision"),
      decidedByName: z.string().nullable(),
      createdAt: z.string(),
    })
    .nullable(),
  history: z.array(kycHistoryEntry.extend({ actorName: z.string().nullable() })),
});

/** The tier's limits and what counts against them now (the sums create_transfer checks). */
export const customerLimits = z.object({
  tier: z.number().int().min(0).max(2),
  limitsNok: z.object({ perTransfer: nokWhole, thirtyDays: nokWhole, twelveMonths: nokWhole }),
  usedNok: z.object({ thirtyDays: nokWhole, twelveMonths: nokWhole }),
  eddThresholdNok: nokWhole.describe('Linked transfers over 12 months reaching this need source of funds first'),
});

export const customerRecipient = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  currency: z.string(),
  rail: z.string(),
  relationship: z.string(),
  display: z.string().describe('The account or number masked'),
  createdAt: z.string(),
  deletedAt: z.string().nullable(),
  transfers: z.number().int(),
});

export const customerSession = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  live: z.boolean(),
  revokedAt: z.string().nullable(),
  revokedReason: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

export const customerNote = z.object({
  id: z.string(),
  body: z.string(),
  createdAt: z.string(),
  staffId: z.string(),
  staffName: z.string(),
});
export type CustomerNote = z.infer<typeof customerNote>;

/** `GET /api/staff/customers/:userId`: reading it is audited (`customer_profile_viewed`). */
export const customerProfile = z.object({
  id: z.string(),
  identity: customerIdentity,
  standing: customerStanding,
  kyc: customerKyc,
  limits: customerLimits,
  recipients: z.array(customerRecipient),
  transfers: z.object({
    rows: z.array(staffTransferRow),
    total: z.number().int().describe('All the customer’s transfers; `rows` holds the newest'),
  }),
  sessions: z.array(customerSession).describe('Live first, then the most recently ended'),
  notes: z.array(customerNote).describe('Newest first'),
});
export type CustomerProfile = z.infer<typeof customerProfile>;

/** `POST /api/staff/customers/:userId/notes`. */
export const customerNoteRequest = z.object({ body: z.string().trim().min(2).max(2000) });
