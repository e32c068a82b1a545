/**
 * Errors: every refusal is application/problem+json with a stable `code`. Clients and operators
 * key on `code`, never on the message; the HTTP status of each code is set in one place
 * (apps/api/src/http/errors.ts).
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'UNAUTHENTICATED',
  'SIGN_IN_FAILED',
  'AUTH_LEVEL_TOO_LOW',
  'ACCOUNT_BLOCKED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'ENROLMENT_INVALID',
  'WEAK_PASSWORD',
  'KYC_REQUIRED',
  'KYC_REJECTED',
  'LIMIT_EXCEEDED',
  'EDD_REQUIRED',
  'AMOUNT_INVALID',
  'CURRENCY_UNSUPPORTED',
  'CORRIDOR_UNSUPPORTED',
  'RATES_UNAVAILABLE',
  'QUOTE_NOT_FOUND',
  'QUOTE_EXPIRED',
  'QUOTE_USED',
  'RECIPIENT_NOT_FOUND',
  'RECIPIENT_INVALID',
  'RECIPIENT_MISMATCH',
  // A transfer to the recipient is on its way: it cannot be edited or removed until it has arrived
  'RECIPIENT_IN_USE',
  'IDEMPOTENCY_KEY_REQUIRED',
  'IDEMPOTENCY_KEY_REUSED',
  'TRANSFER_STATE_INVALID',
  'INSUFFICIENT_FUNDS',
  'LEDGER_INVALID',
  'BANK_FILE_INVALID',
  'BANK_ACCOUNT_MISMATCH',
  'BANK_ENTRY_STATE_INVALID',
  'PAYMENT_AMOUNT_MISMATCH',
  'WEBHOOK_SIGNATURE_INVALID',
  'FORBIDDEN',
  'FOUR_EYES_REQUIRED',
  'CSRF_REJECTED',
  'CONFLICT',
  'ALERT_CLOSED',
  // AML cases (issue 13)
  'CASE_ALREADY_OPEN',
  'CASE_CLOSED',
  'CASE_STR_UNFILED',
  'CASE_STR_NOT_FILED',
  'STR_EXPORT_NOT_APPLICABLE',
  // STR attachments: the content is not what its type says (magic bytes), or empty
  'STR_ATTACHMENT_INVALID',
  // Customer email (issue 16): the code is wrong, expired or out of tries; nothing waits for a
  // code; another customer has the address; a new code too soon; the mail server refused
  'EMAIL_CODE_INVALID',
  'EMAIL_CODE_EXPIRED',
  'EMAIL_CODE_LOCKED',
  'EMAIL_NOT_PENDING',
  'EMAIL_IN_USE',
  'EMAIL_RESEND_TOO_SOON',
  'EMAIL_SEND_FAILED',
  // BankID says the person is under 18: no account, no KYC, no transfer (issue 16)
  'UNDER_AGE',
  'PAYLOAD_TOO_LARGE',
  // Text PostgreSQL cannot store (a NUL character) in a body, path, query or header (issue 17)
  'INVALID_TEXT',
  'UNSUPPORTED_MEDIA_TYPE',
  // HTTP a request never got past (issue 17): its request line and headers too large, or not sent in time
  'HEADERS_TOO_LARGE',
  'REQUEST_TIMEOUT',
  // Staff administration (issue 16): an admin may not disable, demote or reset themselves; Drop keeps one active admin
  'STAFF_SELF_CHANGE',
  'LAST_ADMIN',
  'STAFF_STATE_INVALID',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The problem document (RFC 9457) as clients read it. `code` is kept a string: a newer server may
 * send a code this client does not know yet, and the client still shows it.
 */
export const problemDocument = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().int().optional(),
  code: z.string(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  details: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("A domain error's machine-readable particulars (which field, which limit, …)"),
});
export type ProblemDocument = z.infer<typeof problemDocument>;
