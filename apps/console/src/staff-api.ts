/**
 * The staff API the console uses (`/api/staff/*`): sign-in with password and TOTP, enrolment,
 * the signed-in staff member, and the work queues. Same-origin JSON through the shared client;
 * errors are problem documents with a stable `code`. Every answer is parsed with the schema from
 * @drop/contracts that the server serialised it with.
 */
import {
  ALERT_OUTCOMES,
  ALERT_SEVERITIES,
  type AlertOutcome,
  type AlertSeverity,
  type AlertStatus,
  type AmlAlert,
  type AmlAlertDetail,
  type AmlAlertEvent,
  type AuditEntry,
  amlAlert,
  amlAlertDetail,
  auditEntry,
  BANK_ENTRY_STATUSES,
  type BankEntryStatus,
  type BankFileKind,
  type BankFileRecord,
  type BankImportSummary,
  bankFileRecord,
  bankImportSummary,
  type CustomerNote,
  type CustomerProfile,
  type CustomerSummary,
  customerNote,
  customerProfile,
  customerSummary,
  dataRequestAnswerStatuses,
  type Enrolment,
  enrolment,
  type FourEyesRequest,
  fourEyesRequest,
  type KycCase,
  type KycDecision,
  type KycHistoryEntry,
  kycCase,
  kycDecisionResult,
  kycHistoryEntry,
  LEDGER_PURPOSES,
  type LedgerAccount,
  type LedgerBalance,
  type LedgerPurpose,
  type LedgerSummary,
  lastRetentionRun,
  ledgerSummary,
  type Money,
  PAYMENT_EXCEPTION_REASONS,
  PAYOUT_STATES,
  type PaymentException,
  type PaymentExceptionReason,
  type PaymentMatched,
  type PaymentRefunded,
  type PayoutState,
  PERMISSIONS,
  type Permission,
  type Posting,
  type PostingKind,
  paymentException,
  paymentExceptionTotals,
  paymentMatched,
  paymentRefunded,
  retentionRuleStatus,
  STAFF_ROLES,
  type StaffBankEntry,
  type StaffCustomerRefund,
  type StaffDataRequestRecord,
  type StaffMe,
  type StaffMember,
  type StaffMemberChanged,
  type StaffPayout,
  type StaffRole,
  type StaffTimelineEvent,
  type StaffTransferDetail,
  type StaffTransferList,
  type StaffTransferRow,
  type StrAttachment,
  type StrContentInput,
  type StrDetail,
  type StrDraftContext,
  type StrDraftRequest,
  type StrStatus,
  type StrSummary,
  sessionsRevoked,
  staffDataRequest,
  staffMe,
  staffMember,
  staffMemberChanged,
  staffTransferDetail,
  staffTransferList,
  strAttachment,
  strDetail,
  strDraftContext,
  strSummary,
  TRANSFER_LIST_VIEWS,
  TRANSFER_STATUSES,
  type TransferListView,
  type TransferStatus,
  transferHeld,
} from '@drop/contracts';
import { type ApiRequest, type ApiResult, callApi } from '@drop/web-common';
import { z } from 'zod';

// The console's names for the contract's shapes.
export type {
  AlertOutcome,
  AlertSeverity,
  AlertStatus,
  AmlAlert,
  AmlAlertDetail,
  AmlAlertEvent,
  AuditEntry,
  BankEntryStatus,
  BankFileKind,
  BankFileRecord,
  BankImportSummary,
  CustomerSummary,
  Enrolment,
  FourEyesRequest,
  KycCase,
  KycDecision,
  KycHistoryEntry,
  LedgerAccount,
  LedgerBalance,
  LedgerPurpose,
  LedgerSummary,
  Money,
  PaymentException,
  PaymentExceptionReason,
  PayoutState,
  Permission,
  Posting,
  PostingKind,
  StaffMe,
  StaffRole,
  StaffTransferRow,
  TransferStatus,
};
export type BankEntry = StaffBankEntry;
export type CustomerRefund = StaffCustomerRefund;
export type Payout = StaffPayout;
export type TransferDetail = StaffTransferDetail;
export type TransferEvent = StaffTimelineEvent;
export type TransferList = StaffTransferList;
export type TransferView = TransferListView;
export const TRANSFER_VIEWS = TRANSFER_LIST_VIEWS;
export {
  ALERT_OUTCOMES,
  ALERT_SEVERITIES,
  BANK_ENTRY_STATUSES,
  LEDGER_PURPOSES,
  PAYMENT_EXCEPTION_REASONS,
  PAYOUT_STATES,
  PERMISSIONS,
  STAFF_ROLES,
  TRANSFER_STATUSES,
};

/**
 * The outcome of a staff API call: the data; "nobody is signed in" (401 on a signed-in call, so
 * the console shows its login page); or a failure with the HTTP status, the problem's `code`
 * (`NETWORK_ERROR`/`TIMEOUT` with status 0, `INVALID_RESPONSE` when the answer has the wrong
 * shape) and, when the server sent them, `Retry-After` in seconds and the problem's `detail` and `details`.
 */
export type StaffResult<T> = ApiResult<T>;

const TIMEOUT_MS = 10_000;
/** A bank file may be a few megabytes on a slow line. */
const UPLOAD_TIMEOUT_MS = 60_000;

const staff = (request: ApiRequest): ApiRequest => ({ timeoutMs: TIMEOUT_MS, ...request });
const segment = encodeURIComponent;

/** `GET /api/staff/me`: the signed-in staff member, or `unauthenticated`. */
export function fetchStaffMe(signal?: AbortSignal): Promise<StaffResult<StaffMe>> {
  return callApi(staff({ path: '/api/staff/me', signal }), staffMe);
}

/** `POST /api/staff/login`: sets the `__Host-drop_staff` cookie. Errors: INVALID_CREDENTIALS, ACCOUNT_LOCKED, RATE_LIMITED. */
export function staffLogin(input: { email: string; password: string; totp: string }): Promise<StaffResult<void>> {
  return callApi(staff({ method: 'POST', path: '/api/staff/login', body: input, credentials: true }));
}

/** `POST /api/staff/logout`: ends this staff session. */
export function staffLogout(): Promise<StaffResult<void>> {
  return callApi(staff({ method: 'POST', path: '/api/staff/logout', body: {} }));
}

/** `GET /api/staff/enrolment/:token`: the account behind an enrolment link (ENROLMENT_INVALID when used or expired). */
export function fetchEnrolment(token: string, signal?: AbortSignal): Promise<StaffResult<Enrolment>> {
  return callApi(staff({ path: `/api/staff/enrolment/${segment(token)}`, signal, credentials: true }), enrolment);
}

/** `POST /api/staff/enrolment`: sets the password; the first code proves the authenticator app works. */
export function completeEnrolment(input: { token: string; password: string; totp: string }): Promise<StaffResult<void>> {
  return callApi(staff({ method: 'POST', path: '/api/staff/enrolment', body: input, credentials: true }));
}

export function fetchKycQueue(signal?: AbortSignal): Promise<StaffResult<KycCase[]>> {
  return callApi(staff({ path: '/api/staff/kyc-queue', signal }), z.array(kycCase));
}

/** A customer's verification history: provider events and decisions, oldest first (permission `kyc_queue`). */
export function fetchKycHistory(userId: string, signal?: AbortSignal): Promise<StaffResult<KycHistoryEntry[]>> {
  return callApi(staff({ path: `/api/staff/kyc/${segment(userId)}`, signal }), z.array(kycHistoryEntry));
}

/**
 * Records a compliance officer's own decision with the reason (permission `kyc_decide`). Errors:
 * NOT_FOUND (the customer has not started verification), VALIDATION_FAILED (note of 5–2000 characters).
 */
export function decideKyc(
  userId: string,
  input: { decision: KycDecision; note: string },
): Promise<StaffResult<{ from: string; to: string }>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/kyc/${segment(userId)}/decision`, body: input }), kycDecisionResult);
}

export function fetchAmlAlerts(status: AlertStatus | 'all', signal?: AbortSignal): Promise<StaffResult<AmlAlert[]>> {
  return callApi(staff({ path: `/api/staff/aml-alerts?status=${segment(status)}`, signal }), z.array(amlAlert));
}

/** Assigns an open alert to oneself, or to `staffId` (permission `aml_review`). Errors: ALERT_CLOSED, NOT_FOUND, FORBIDDEN. */
export function assignAmlAlert(alertId: string, staffId?: string): Promise<StaffResult<AmlAlertDetail>> {
  return callApi(
    staff({ method: 'POST', path: `/api/staff/aml-alerts/${segment(alertId)}/assign`, body: staffId ? { staffId } : {} }),
    amlAlertDetail,
  );
}

/** Adds a comment to an alert's history (permission `aml_review`). */
export function commentAmlAlert(alertId: string, text: string): Promise<StaffResult<AmlAlertDetail>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/aml-alerts/${segment(alertId)}/comment`, body: { text } }), amlAlertDetail);
}

/** Closes an open alert with an outcome and notes (permission `aml_review`). Errors: ALERT_CLOSED, VALIDATION_FAILED, FORBIDDEN. */
export function closeAmlAlert(alertId: string, input: { outcome: AlertOutcome; notes: string }): Promise<StaffResult<AmlAlertDetail>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/aml-alerts/${segment(alertId)}/close`, body: input }), amlAlertDetail);
}

/** One alert and why it fired (rule facts; for a name match the two names, feature scores and list record). */
export function fetchAmlAlert(alertId: string, signal?: AbortSignal): Promise<StaffResult<AmlAlertDetail>> {
  return callApi(staff({ path: `/api/staff/aml-alerts/${segment(alertId)}`, signal }), amlAlertDetail);
}

export function searchCustomers(query: string, signal?: AbortSignal): Promise<StaffResult<CustomerSummary[]>> {
  return callApi(staff({ path: `/api/staff/customers?query=${segment(query)}`, signal }), z.array(customerSummary));
}

/** Ends every live session of a customer (permission `revoke_customer_sessions`: support and admin; others get FORBIDDEN). */
export function revokeCustomerSessions(customerId: string): Promise<StaffResult<{ sessionsEnded: number }>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/customers/${segment(customerId)}/revoke-sessions`, body: {} }), sessionsRevoked);
}

export function fetchAuditLog(limit = 50, signal?: AbortSignal): Promise<StaffResult<AuditEntry[]>> {
  return callApi(staff({ path: `/api/staff/audit-log?limit=${limit}`, signal }), z.array(auditEntry));
}

/** One of the runbook's transfer lists (permission `transfers_view`), optionally for one customer. */
/** One of the runbook's lists, or with `search` every transfer with that reference, id, KID or customer number. */
export function fetchTransfers(
  view: TransferView,
  customerId: string,
  signal?: AbortSignal,
  search = '',
): Promise<StaffResult<TransferList>> {
  const query = new URLSearchParams({ view, ...(customerId ? { customerId } : {}), ...(search ? { query: search } : {}) });
  return callApi(staff({ path: `/api/staff/transfers?${query}`, signal }), staffTransferList);
}

/** One transfer with customer, recipient, timeline and ledger postings (NOT_FOUND when there is none). */
export function fetchTransfer(id: string, signal?: AbortSignal): Promise<StaffResult<TransferDetail>> {
  return callApi(staff({ path: `/api/staff/transfers/${segment(id)}`, signal }), staffTransferDetail);
}

/** The ledger check and balances (permission `ledger_view`: admins). */
export function fetchLedger(signal?: AbortSignal): Promise<StaffResult<LedgerSummary>> {
  return callApi(staff({ path: '/api/staff/ledger', signal }), ledgerSummary);
}

/** Payments that could not fund a transfer by themselves, oldest first (permission `payments_view`). */
export function fetchPaymentExceptions(limit: number, signal?: AbortSignal): Promise<StaffResult<PaymentException[]>> {
  return callApi(staff({ path: `/api/staff/payment-exceptions?limit=${limit}`, signal }), z.array(paymentException));
}

/** The money waiting in the whole exceptions queue, one sum per currency, NOK first (permission `payments_view`). */
export function fetchPaymentExceptionTotals(signal?: AbortSignal): Promise<StaffResult<Money[]>> {
  return callApi(staff({ path: '/api/staff/payment-exceptions/totals', signal }), paymentExceptionTotals);
}

/** Imported bank files, newest first, with what each import did (permission `payments_view`). */
export function fetchBankFiles(limit: number, signal?: AbortSignal): Promise<StaffResult<BankFileRecord[]>> {
  return callApi(staff({ path: `/api/staff/bank-files?limit=${limit}`, signal }), z.array(bankFileRecord));
}

/** A header value fetch accepts (Latin-1 only): other characters become `_`, at most 200 of them. */
function headerSafe(name: string): string {
  return name.replace(/[^\x20-\x7e\xa0-\xff]/g, '_').slice(0, 200);
}

/**
 * Imports a camt.053 statement or camt.054 notification, sent as the file's bytes (permission
 * `payments_manage`). The same file twice answers with the first import (`alreadyImported`). Errors:
 * BANK_FILE_INVALID (malformed or truncated) and BANK_ACCOUNT_MISMATCH (another account), with a
 * `detail` naming the problem; nothing of a refused file is imported.
 */
export function uploadBankFile(file: Blob, fileName: string): Promise<StaffResult<BankImportSummary>> {
  return callApi(
    {
      method: 'POST',
      path: '/api/staff/bank-files',
      upload: { bytes: file, contentType: 'application/xml' },
      headers: { 'x-file-name': headerSafe(fileName) },
      timeoutMs: UPLOAD_TIMEOUT_MS,
    },
    bankImportSummary,
  );
}

/**
 * Funds a transfer from a queued payment; any amount beyond the transfer goes back to the payer
 * (permission `payments_manage`). Errors: PAYMENT_AMOUNT_MISMATCH, BANK_ENTRY_STATE_INVALID,
 * TRANSFER_STATE_INVALID, VALIDATION_FAILED (`details.field` 'refundTo'), NOT_FOUND.
 */
export function matchPayment(
  entryId: string,
  input: { transactionId: string; note: string; refundExcessTo?: string },
): Promise<StaffResult<PaymentMatched>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/payment-exceptions/${segment(entryId)}/match`, body: input }), paymentMatched);
}

/** Sends a queued payment back to the payer (permission `payments_manage`); by default to the account that paid. */
export function refundPayment(entryId: string, input: { note: string; refundTo?: string }): Promise<StaffResult<PaymentRefunded>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/payment-exceptions/${segment(entryId)}/refund`, body: input }), paymentRefunded);
}

/** Holds the transfer at once, with a reason (one person). */
export function holdTransfer(id: string, reason: string) {
  return callApi(staff({ method: 'POST', path: `/api/staff/transfers/${segment(id)}/hold`, body: { reason } }), transferHeld);
}

/** Proposes releasing or stopping a held transfer; another person approves. */
export function proposeTransferDecision(id: string, action: 'release' | 'stop', reason: string): Promise<StaffResult<FourEyesRequest>> {
  return callApi(
    staff({ method: 'POST', path: `/api/staff/transfers/${segment(id)}/${action}-request`, body: { reason } }),
    fourEyesRequest,
  );
}

/** Proposals waiting for a second person; for one transfer or customer when `subjectId` is given. */
export function fetchApprovals(subjectId?: string, signal?: AbortSignal): Promise<StaffResult<FourEyesRequest[]>> {
  const query = subjectId ? `?${new URLSearchParams({ subjectId })}` : '';
  return callApi(staff({ method: 'GET', path: `/api/staff/approvals${query}`, signal }), z.array(fourEyesRequest));
}

/** Approves (and so carries out) or rejects another person's proposal. */
export function decideApproval(id: string, decision: 'approve' | 'reject', note: string): Promise<StaffResult<FourEyesRequest>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/approvals/${segment(id)}/${decision}`, body: { note } }), fourEyesRequest);
}

/** Proposes blocking or unblocking a customer, with a reason; another person approves. */
export function proposeCustomerBlock(userId: string, action: 'block' | 'unblock', reason: string): Promise<StaffResult<FourEyesRequest>> {
  return callApi(
    staff({ method: 'POST', path: `/api/staff/customers/${segment(userId)}/${action}-request`, body: { reason } }),
    fourEyesRequest,
  );
}

/** Withdraws my own pending proposal (only the proposer may). */
export function withdrawApproval(id: string, note: string): Promise<StaffResult<FourEyesRequest>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/approvals/${segment(id)}/withdraw`, body: { note } }), fourEyesRequest);
}

export type { StrAttachment, StrDocument } from '@drop/contracts';
// Suspicious-transaction reports (issue 13).
export type { StrContentInput, StrDetail, StrDraftContext, StrDraftRequest, StrStatus, StrSummary };

/** STRs: one status, or those awaiting my approval (awaiting approval, drafted by someone else). */
export function fetchStrs(
  filter: { status?: StrStatus; awaitingMyApproval?: boolean },
  signal?: AbortSignal,
): Promise<StaffResult<StrSummary[]>> {
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.awaitingMyApproval) query.set('awaitingMyApproval', 'true');
  return callApi(staff({ path: `/api/staff/strs?${query}`, signal }), z.array(strSummary));
}

export function fetchStr(id: string, signal?: AbortSignal): Promise<StaffResult<StrDetail>> {
  return callApi(staff({ path: `/api/staff/strs/${segment(id)}`, signal }), strDetail);
}

export function fetchStrDraftContext(caseId: string, signal?: AbortSignal): Promise<StaffResult<StrDraftContext>> {
  return callApi(staff({ path: `/api/staff/strs/draft-context?caseId=${segment(caseId)}`, signal }), strDraftContext);
}

export function draftStr(input: StrDraftRequest): Promise<StaffResult<StrDetail>> {
  return callApi(staff({ method: 'POST', path: '/api/staff/strs', body: input }), strDetail);
}

/** The drafter edits their draft: the document is built again from this. */
export function editStr(id: string, input: StrContentInput): Promise<StaffResult<StrDetail>> {
  return callApi(staff({ method: 'PUT', path: `/api/staff/strs/${segment(id)}`, body: input }), strDetail);
}

/** A step of an STR: submit (the drafter), approve, return with a note, reject with a reason, file with Altinn's receipt (a lead), UD notified. */
export function strStep(
  id: string,
  step: 'submit' | 'approve' | 'return' | 'reject' | 'file' | 'mfa-notified',
  body: Record<string, string> = {},
): Promise<StaffResult<StrDetail>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/strs/${segment(id)}/${step}`, body }), strDetail);
}

/** What an STR attachment may be: the server checks the bytes too (STR_ATTACHMENT_INVALID). */
export const STR_ATTACHMENT_ACCEPT = 'application/pdf,image/png,image/jpeg,text/csv,text/plain,.pdf,.png,.jpg,.jpeg,.csv,.txt';
export const STR_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The type to send for a file the browser gave no type (a .csv on some systems): from its extension. */
function attachmentTypeOf(file: File): string {
  if (file.type) return file.type;
  const extension = file.name.toLowerCase().split('.').at(-1) ?? '';
  const byExtension: Record<string, string> = {
    pdf: 'application/pdf',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    csv: 'text/csv',
    txt: 'text/plain',
  };
  return byExtension[extension] ?? 'application/octet-stream';
}

/**
 * The drafter attaches a file to their draft STR, sent as its bytes with its type and name.
 * Errors: STR_ATTACHMENT_INVALID (content not its type), UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE,
 * CONFLICT (no longer a draft), FORBIDDEN (not the drafter).
 */
export function uploadStrAttachment(strId: string, file: File): Promise<StaffResult<StrAttachment>> {
  return callApi(
    {
      method: 'POST',
      path: `/api/staff/strs/${segment(strId)}/attachments?fileName=${encodeURIComponent(file.name)}`,
      upload: { bytes: file, contentType: attachmentTypeOf(file) },
      timeoutMs: UPLOAD_TIMEOUT_MS,
    },
    strAttachment,
  );
}

/** The drafter removes an attachment from their draft. */
export function removeStrAttachment(strId: string, attachmentId: string): Promise<StaffResult<void>> {
  return callApi(staff({ method: 'DELETE', path: `/api/staff/strs/${segment(strId)}/attachments/${segment(attachmentId)}` }));
}

/** Where an attachment downloads from (a plain link: the staff cookie goes with it). */
export function strAttachmentUrl(strId: string, attachmentId: string): string {
  return `/api/staff/strs/${encodeURIComponent(strId)}/attachments/${encodeURIComponent(attachmentId)}`;
}
// Privacy requests (issue 14).
export type StaffDataRequest = z.infer<typeof staffDataRequest>;
export type DataRequestAnswer = (typeof dataRequestAnswerStatuses)[number];
export const DATA_REQUEST_ANSWERS = dataRequestAnswerStatuses;

/** Every privacy request, overdue ones first. */
export function fetchDataRequests(signal?: AbortSignal): Promise<StaffResult<StaffDataRequest[]>> {
  return callApi(staff({ path: '/api/staff/data-requests', signal }), z.array(staffDataRequest));
}

/** Records the answer to a privacy request: in progress, completed or rejected, with a note. */
export function recordDataRequestStatus(id: string, status: DataRequestAnswer, note: string): Promise<StaffResult<StaffDataRequest>> {
  return callApi(
    staff({ method: 'POST', path: `/api/staff/data-requests/${segment(id)}/status`, body: { status, note } }),
    staffDataRequest,
  );
}

// Requests recorded by staff, and the retention rules (issue 14).
export type RetentionRule = z.infer<typeof retentionRuleStatus>;
export type { StaffDataRequestRecord };

/** Records a request that came by letter, e-mail or phone (an erasure restricts the customer at once). */
export function recordStaffDataRequest(body: StaffDataRequestRecord): Promise<StaffResult<StaffDataRequest>> {
  return callApi(staff({ method: 'POST', path: '/api/staff/data-requests', body }), staffDataRequest);
}

/** The retention rules, and how many subjects each would remove now. */
export function fetchRetentionRules(signal?: AbortSignal): Promise<StaffResult<RetentionRule[]>> {
  return callApi(staff({ path: '/api/staff/privacy/retention', signal }), z.array(retentionRuleStatus));
}

/** When the retention job last ran (null before its first run). */
export function fetchLastRetentionRun(signal?: AbortSignal): Promise<StaffResult<z.infer<typeof lastRetentionRun>>> {
  return callApi(staff({ path: '/api/staff/privacy/retention/last-run', signal }), lastRetentionRun);
}

// The customer profile and staff administration (issue 16).
export type { CustomerNote, CustomerProfile, StaffMember, StaffMemberChanged } from '@drop/contracts';

/** One customer's profile (permission `customers`; the read is audited). NOT_FOUND for an unknown customer. */
export function fetchCustomerProfile(userId: string, signal?: AbortSignal): Promise<StaffResult<CustomerProfile>> {
  return callApi(staff({ path: `/api/staff/customers/${segment(userId)}`, signal }), customerProfile);
}

/** Adds a note to a customer's profile (2–2000 characters; kept as written). */
export function addCustomerNote(userId: string, body: string): Promise<StaffResult<CustomerNote>> {
  return callApi(staff({ method: 'POST', path: `/api/staff/customers/${segment(userId)}/notes`, body: { body } }), customerNote);
}

/** Every staff account (permission `staff_admin`: admins). */
export function fetchStaffMembers(signal?: AbortSignal): Promise<StaffResult<StaffMember[]>> {
  return callApi(staff({ path: '/api/staff/members', signal }), z.array(staffMember));
}

/**
 * An admin's change to a staff account, with the reason. Errors: STAFF_SELF_CHANGE (one's own
 * account), LAST_ADMIN, STAFF_STATE_INVALID (already so), NOT_FOUND, VALIDATION_FAILED.
 */
export function changeStaffMember(
  staffId: string,
  change: { kind: 'disable' | 'enable' | 'reset-totp'; reason: string } | { kind: 'role'; role: StaffRole; reason: string },
): Promise<StaffResult<StaffMemberChanged>> {
  const body = change.kind === 'role' ? { role: change.role, reason: change.reason } : { reason: change.reason };
  return callApi(staff({ method: 'POST', path: `/api/staff/members/${segment(staffId)}/${change.kind}`, body }), staffMemberChanged);
}
