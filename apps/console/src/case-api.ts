/**
 * The AML case routes the console uses (`/api/staff/cases…`, permission `str_reports`), beside
 * staff-api.ts and on the same client: every answer is parsed with the contract's schema.
 */
import {
  type AmlCaseAlert,
  type AmlCaseDetail,
  type AmlCaseStr,
  type AmlCaseSummary,
  type AmlCaseTimelineEntry,
  amlCaseDetail,
  amlCaseSummary,
  CASE_OUTCOMES,
  CASE_STATUSES,
  type CaseOutcome,
  type CaseStatus,
} from '@drop/contracts';
import { type ApiRequest, callApi } from '@drop/web-common';
import { z } from 'zod';
import type { StaffResult } from './staff-api.ts';

export type { AmlCaseAlert, AmlCaseDetail, AmlCaseStr, AmlCaseSummary, AmlCaseTimelineEntry, CaseOutcome, CaseStatus };
export { CASE_OUTCOMES, CASE_STATUSES };

/** Which cases the list shows: one status, the active ones (open or investigating), or all. */
export type CaseListStatus = CaseStatus | 'active' | 'all';

const staff = (request: ApiRequest): ApiRequest => ({ timeoutMs: 10_000, ...request });
const segment = encodeURIComponent;

/** Cases, overdue first then by due date; `overdue` keeps those past their due date (not closed). */
export function fetchAmlCases(status: CaseListStatus, overdue: boolean, signal?: AbortSignal): Promise<StaffResult<AmlCaseSummary[]>> {
  const query = new URLSearchParams({ status, ...(overdue ? { overdue: 'true' } : {}) });
  return callApi(staff({ path: `/api/staff/cases?${query}`, signal }), z.array(amlCaseSummary));
}

/** One case: customer, alerts, STRs and the timeline. */
export function fetchAmlCase(caseId: string, signal?: AbortSignal): Promise<StaffResult<AmlCaseDetail>> {
  return callApi(staff({ path: `/api/staff/cases/${segment(caseId)}`, signal }), amlCaseDetail);
}

/** Opens a case for the customer with these alerts. Errors: CASE_ALREADY_OPEN (details.caseId), NOT_FOUND. */
export function openAmlCase(input: { userId: string; title: string; alertIds?: string[] }): Promise<StaffResult<AmlCaseDetail>> {
  return callApi(staff({ method: 'POST', path: '/api/staff/cases', body: input }), amlCaseDetail);
}

/** Assigns the case to oneself. Errors: CASE_CLOSED. */
export function assignAmlCaseToMe(caseId: string): Promise<StaffResult<AmlCaseDetail>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/cases/${segment(caseId)}/assign`, body: {} }), amlCaseDetail);
}

/** Adds a note to the case's timeline. Errors: CASE_CLOSED, VALIDATION_FAILED. */
export function noteAmlCase(caseId: string, text: string): Promise<StaffResult<AmlCaseDetail>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/cases/${segment(caseId)}/note`, body: { text } }), amlCaseDetail);
}

/** Moves an open case to investigating. Errors: CASE_CLOSED. */
export function investigateAmlCase(caseId: string): Promise<StaffResult<AmlCaseDetail>> {
  return callApi(
    staff({ method: 'POST', path: `/api/staff/cases/${segment(caseId)}/status`, body: { status: 'investigating' } }),
    amlCaseDetail,
  );
}

/** Adds an alert to the case. Errors: CASE_CLOSED, CONFLICT (in another case), NOT_FOUND. */
export function addAlertToAmlCase(caseId: string, alertId: string): Promise<StaffResult<AmlCaseDetail>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/cases/${segment(caseId)}/alerts`, body: { alertId } }), amlCaseDetail);
}

/** Closes the case. Errors: CASE_STR_UNFILED, CASE_STR_NOT_FILED, CASE_CLOSED, VALIDATION_FAILED. */
export function closeAmlCase(caseId: string, input: { outcome: CaseOutcome; notes: string }): Promise<StaffResult<AmlCaseDetail>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/cases/${segment(caseId)}/close`, body: input }), amlCaseDetail);
}
