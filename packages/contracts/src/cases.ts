/**
 * AML cases (issue 13): an investigation of one customer that groups their alerts, with a
 * timeline, a status from open through investigating to closed with an outcome, and a due date
 * for the duty to investigate (hvitvaskingsloven § 25). Rows of `aml_cases`; the casework history
 * is `aml_case_events`. The API shapes for the case routes are added here beside the enums.
 */
import { z } from 'zod';
import { idSchema } from './ids.ts';

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
] as const;
export const caseEventKind = z.enum(CASE_EVENT_KINDS);
export type CaseEventKind = z.infer<typeof caseEventKind>;

/** Days from opening a case to its due date, unless the opener sets another. */
export const CASE_DUE_DAYS_DEFAULT = 30;

export const amlCaseParams = z.object({ id: idSchema('case') });
