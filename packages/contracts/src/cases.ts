/**
 * AML cases (issue 13): an investigation of one customer that groups their alerts, with a
 * timeline, a status from open through investigating to closed with an outcome, and a due date
 * for the duty to investigate (hvitvaskingsloven § 25). Rows of `aml_cases`; the casework history
 * is `aml_case_events`. The API shapes for the case routes are added here beside the enums.
 */
import { z } from 'zod';
import { idSchema } from './ids.ts';
import { kycStatus } from './kyc.ts';
import { strStatus } from './strs.ts';

export const CASE_STATUSES = ['open', 'investigating', 'closed'] as const;
export const caseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof caseStatus>;

/** How a case ended: the suspicion was dispelled, it was reported (an STR filed), or the customer was exited. */
export const CASE_OUTCOMES = ['no_suspicion', 'reported', 'customer_exited'] as const;
export const caseOutcome = z.enum(CASE_OUTCOMES);
export type CaseOutcome = z.infer<typeof caseOutcome>;

/** What happened in a case, in its history (`aml_case_events`). */
export const CASE_EVENT_KINDS = [
  'opened',
  'assigned',
  'status_changed',
  'alert_added',
  'noted',
  'str_drafted',
  'str_submitted',
  'str_returned',
  'str_approved',
  'str_filed',
  'closed',
  // 20261206001400_str-polish.sql: a lead rejected an STR; UD was notified of a sanctions hit.
  'str_rejected',
  'str_mfa_notified',
] as const;
export const caseEventKind = z.enum(CASE_EVENT_KINDS);
export type CaseEventKind = z.infer<typeof caseEventKind>;

/** Days from opening a case to its due date, unless the opener sets another. */
export const CASE_DUE_DAYS_DEFAULT = 30;

export const amlCaseParams = z.object({ id: idSchema('case') });

// --- API shapes (issue 13, cases): /api/staff/cases ---

/**
 * `GET /api/staff/cases`: `status` is one status, `active` (open or investigating: the default)
 * or `all`; `overdue=true` keeps only the cases past their due date that are not closed.
 */
export const amlCaseListQuery = z.object({
  status: z
    .enum([...CASE_STATUSES, 'active', 'all'])
    .default('active')
    .describe('open, investigating, closed, active (open or investigating, the default) or all'),
  overdue: z.enum(['true', 'false']).optional().describe('true: only cases not closed whose due date has passed'),
});
export type AmlCaseListQuery = z.input<typeof amlCaseListQuery>;

const staffRef = z.object({ id: z.string(), name: z.string() });

/** A case in the list: overdue ones first, then by due date. */
export const amlCaseSummary = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string().nullable(),
  customerName: z.string().nullable(),
  title: z.string(),
  escalatedRule: z
    .string()
    .nullable()
    .describe("The rule of the alert whose escalation opened the case: the console titles it in the reader's language"),
  status: caseStatus,
  outcome: caseOutcome.nullable(),
  openedAt: z.string(),
  openedBy: staffRef,
  assignedTo: staffRef.nullable(),
  dueAt: z.string(),
  overdue: z.boolean().describe('Not closed and the due date has passed'),
  daysOverdue: z.number().int().describe('Whole days past the due date; 0 when not overdue'),
  closedAt: z.string().nullable(),
  alertCount: z.number().int(),
});
export type AmlCaseSummary = z.infer<typeof amlCaseSummary>;

/** `POST /api/staff/cases`: open a case for a customer (refused with CASE_ALREADY_OPEN when they have one). */
export const amlCaseOpenRequest = z.object({
  userId: idSchema('usr'),
  title: z.string().trim().min(1).max(200),
  dueAt: z.iso.datetime({ offset: true }).optional().describe('Defaults to 30 days from now (hvitvaskingsloven § 25)'),
  alertIds: z.array(idSchema('alert')).max(100).optional().describe('Alerts to group in the case from the start'),
});
export type AmlCaseOpenRequest = z.infer<typeof amlCaseOpenRequest>;

/** `POST /api/staff/cases/:id/assign`: to a staff member who works cases, or (no staffId) to oneself. */
export const amlCaseAssignRequest = z.object({
  staffId: idSchema('stf').optional().describe('The staff member to assign; yourself when left out'),
});
/** `POST /api/staff/cases/:id/note`. */
export const amlCaseNoteRequest = z.object({ text: z.string().trim().min(1).max(4000) });
/** `POST /api/staff/cases/:id/status`: from open to investigating (closing has its own route). */
export const amlCaseStatusRequest = z.object({ status: z.literal('investigating') });
/** `POST /api/staff/cases/:id/alerts`: add an alert, also another customer's (a network). */
export const amlCaseAddAlertRequest = z.object({ alertId: idSchema('alert') });
/** `POST /api/staff/cases/:id/close`: `reported` needs a filed STR of the case; none may be unfiled. */
export const amlCaseCloseRequest = z.object({
  outcome: caseOutcome,
  notes: z.string().trim().min(1).max(4000),
});
export type AmlCaseCloseRequest = z.infer<typeof amlCaseCloseRequest>;

/** Where a timeline entry comes from: the casework itself, or the customer's own records. */
export const CASE_TIMELINE_SOURCES = ['case', 'transfer', 'screening', 'kyc', 'alert', 'recipient', 'str'] as const;
export const caseTimelineSource = z.enum(CASE_TIMELINE_SOURCES);
export type CaseTimelineSource = z.infer<typeof caseTimelineSource>;

/**
 * One entry of a case's timeline. `kind` is the source's own word (a case event kind, a transfer
 * status, `raised`/`closed` for an alert, …); `subjectId` the row it is about (a transfer, an
 * alert, a recipient, an STR); `details` the few facts the console shows beside it.
 */
export const amlCaseTimelineEntry = z.object({
  at: z.string(),
  source: caseTimelineSource,
  kind: z.string(),
  subjectId: z.string().nullable(),
  actor: z.string().nullable(),
  actorName: z.string().nullable(),
  text: z.string().nullable(),
  details: z.record(z.string(), z.string().nullable()),
});
export type AmlCaseTimelineEntry = z.infer<typeof amlCaseTimelineEntry>;

/** An alert grouped in a case. */
export const amlCaseAlert = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string().nullable(),
  rule: z.string(),
  severity: z.string(),
  status: z.string(),
  outcome: z.string().nullable(),
  summary: z.string().nullable(),
  transactionId: z.string().nullable(),
  createdAt: z.string(),
});
export type AmlCaseAlert = z.infer<typeof amlCaseAlert>;

/** An STR drafted from the case (`str_reports.case_id`). */
export const amlCaseStr = z.object({
  id: z.string().describe('The str_reports uuid'),
  reference: z.string(),
  status: strStatus,
  createdAt: z.string(),
  filedAt: z.string().nullable(),
});
export type AmlCaseStr = z.infer<typeof amlCaseStr>;

/** `GET /api/staff/cases/:id`: the case, its customer, alerts, STRs and timeline (oldest first). */
export const amlCaseDetail = amlCaseSummary.extend({
  closedBy: staffRef.nullable(),
  closingNotes: z.string().nullable(),
  customer: z.object({
    id: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    kycStatus,
    blocked: z.boolean().describe('Blocked by any rule (KYC not approved, deleted, frozen): customer_block_reason'),
    blockReason: z.string().nullable(),
    amlFrozenAt: z.string().nullable(),
    deletedAt: z.string().nullable(),
  }),
  alerts: z.array(amlCaseAlert),
  strs: z.array(amlCaseStr),
  timeline: z.array(amlCaseTimelineEntry).describe('Oldest first'),
});
export type AmlCaseDetail = z.infer<typeof amlCaseDetail>;
