/**
 * AML alerts as staff see them in the console: the list (`GET /api/staff/aml-alerts`) and one
 * alert with why it fired (`GET /api/staff/aml-alerts/:id`): the rule's facts and, for a name
 * match, the name screened beside the listed name it matched, the per-feature scores and the list
 * record. Alerts are rows of `aml_alerts` (the runbooks' table): `details` holds
 * `{ facts, action, summary }` as the rules engine writes it.
 */
import { z } from 'zod';
import { idSchema } from './ids.ts';
import { kycStatus } from './kyc.ts';
import { transferStatus } from './transfers.ts';

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The runbook's statuses: open until reviewed, then closed. */
export const ALERT_STATUSES = ['open', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Whom an alert is about: the customer, or one of their recipients. */
export const ALERT_SUBJECT_TYPES = ['customer', 'recipient'] as const;
export type AlertSubjectType = (typeof ALERT_SUBJECT_TYPES)[number];

/** What the rule did to the transfer: raised the alert only, or also held the transfer. */
export const ALERT_ACTIONS = ['alert', 'hold'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** How a reviewer closed an alert: a false positive, legitimate activity, or escalated to a case. */
export const ALERT_OUTCOMES = ['false_positive', 'legitimate', 'escalated'] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

/** What happened to an alert, in its history (`aml_alert_events`). */
export const ALERT_EVENT_KINDS = ['assigned', 'commented', 'closed'] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

export const amlAlertParams = z.object({ id: idSchema('alert') });

/** `POST /api/staff/aml-alerts/:id/assign`: to another compliance staff member, or (no staffId) to oneself. */
export const amlAlertAssignRequest = z.object({
  staffId: idSchema('stf').optional().describe('The staff member to assign; yourself when left out'),
});
/** `POST /api/staff/aml-alerts/:id/comment`. */
export const amlAlertCommentRequest = z.object({ text: z.string().trim().min(1).max(4000) });
/** `POST /api/staff/aml-alerts/:id/close`: the runbook's close, with an outcome. */
export const amlAlertCloseRequest = z.object({
  outcome: z.enum(ALERT_OUTCOMES),
  notes: z.string().trim().min(1).max(4000).describe("Kept in aml_alerts.reviewer_notes, as the runbook's UPDATE writes it"),
});
export type AmlAlertCloseRequest = z.infer<typeof amlAlertCloseRequest>;
export const amlAlertListQuery = z.object({
  status: z
    .enum([...ALERT_STATUSES, 'all'])
    .default('open')
    .describe('open (the default, runbook 7.1), closed, or all'),
});

/** An alert in the list, newest first. */
export const amlAlert = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string().nullable(),
  customerName: z.string().nullable(),
  transactionId: z.string().nullable(),
  transferStatus: transferStatus.nullable(),
  rule: z.string(),
  ruleVersion: z.number().int().nullable(),
  severity: z.enum(ALERT_SEVERITIES),
  status: z.enum(ALERT_STATUSES),
  action: z.enum(ALERT_ACTIONS).nullable(),
  summary: z.string().nullable().describe("The rule's one-line explanation, when it wrote one"),
  subjectType: z.enum(ALERT_SUBJECT_TYPES).nullable(),
  subjectId: z.string().nullable(),
  screeningMatchId: z.string().nullable(),
  createdAt: z.string(),
  sendAmount: z.string().nullable().describe('NOK, major units'),
  sendCurrency: z.string().nullable(),
});
export type AmlAlert = z.infer<typeof amlAlert>;

/** One name of a list record, as the publisher gives it. */
export const listRecordName = z.object({
  full: z.string(),
  quality: z.enum(['primary', 'strong', 'weak']),
  lang: z.string().nullable(),
});

/** The list record a name matched, from the stored version of the list. */
export const listRecordView = z.object({
  list: z.string(),
  key: z.string(),
  schema: z.string(),
  topics: z.array(z.string()),
  programmes: z.array(z.string()),
  names: z.array(listRecordName),
  birthDates: z.array(z.string()).describe("'YYYY[-MM[-DD]]', or a range of years 'YYYY–YYYY'"),
  countries: z.array(z.string()),
  listedOn: z.string().nullable(),
  remarks: z.string().nullable(),
  version: z.number().int().describe('The list version the record was read from (the current one when it still holds the key)'),
  current: z.boolean().describe('The version read is the current one'),
  sameAsMatched: z.boolean().describe('The record is unchanged since it matched (same record hash)'),
});
export type ListRecordView = z.infer<typeof listRecordView>;

/** A name match: the name screened beside the listed name, how each feature scored, the record. */
export const screeningMatchView = z.object({
  id: z.string(),
  status: z.enum(['open', 'cleared', 'confirmed']),
  subjectType: z.enum(ALERT_SUBJECT_TYPES),
  subjectId: z.string(),
  list: z.string(),
  key: z.string(),
  score: z.number().describe('0..1'),
  topics: z.array(z.string()),
  queryName: z.string().describe('The name Drop screened (customer or recipient)'),
  matchedName: z.string().describe("The record's name (or alias) that matched best"),
  recordName: z.string().describe("The record's primary name"),
  features: z
    .array(z.object({ name: z.string(), score: z.number() }))
    .describe("The matcher's per-feature scores, 0..1, as it explained them"),
  notes: z.array(z.string()),
  recordHash: z.string(),
  createdAt: z.string(),
  record: listRecordView.nullable().describe('Null when the lists are not stored in this database or no stored version holds the key'),
});
export type ScreeningMatchView = z.infer<typeof screeningMatchView>;

/** One entry of an alert's history: who did what, and when. */
export const amlAlertEvent = z.object({
  kind: z.enum(ALERT_EVENT_KINDS),
  actor: z.string().describe("A staff id (stf_…), the CLI's operator (cli:…), or db:<role> for a change made in psql"),
  actorName: z.string().nullable().describe("The staff member's name when the actor is one"),
  assignedTo: z.string().nullable(),
  assignedToName: z.string().nullable(),
  outcome: z.enum(ALERT_OUTCOMES).nullable(),
  text: z.string().nullable().describe('The comment, or the notes it was closed with'),
  createdAt: z.string(),
});
export type AmlAlertEvent = z.infer<typeof amlAlertEvent>;

/** One alert in full (`GET /api/staff/aml-alerts/:id`). */
export const amlAlertDetail = amlAlert.extend({
  outcome: z.enum(ALERT_OUTCOMES).nullable().describe('Null while open, and for an alert closed in SQL without one'),
  assignedTo: z.object({ id: z.string(), name: z.string() }).nullable(),
  assignedAt: z.string().nullable(),
  history: z.array(amlAlertEvent).describe('Oldest first'),
  facts: z.record(z.string(), z.unknown()).describe('What fired the rule (amounts, counts, windows, thresholds)'),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedByName: z.string().nullable().describe('The name of the staff member who closed it'),
  reviewerNotes: z.string().nullable(),
  customer: z.object({
    id: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    birthDate: z.string().nullable(),
    kycStatus,
    amlFrozenAt: z.string().nullable(),
    deletedAt: z.string().nullable(),
  }),
  transfer: z
    .object({
      id: z.string(),
      status: transferStatus,
      sendAmount: z.string(),
      receiveAmount: z.string().nullable(),
      receiveCurrency: z.string().nullable(),
      createdAt: z.string(),
    })
    .nullable(),
  recipient: z
    .object({ id: z.string(), name: z.string(), country: z.string() })
    .nullable()
    .describe("The alert's subject when it is a recipient, else the transfer's recipient"),
  screeningMatch: screeningMatchView.nullable(),
  caseId: z.string().nullable().describe('The case the alert belongs to (closed as escalated, or added to a case); null when in none'),
});
export type AmlAlertDetail = z.infer<typeof amlAlertDetail>;
