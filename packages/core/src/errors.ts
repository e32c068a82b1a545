/**
 * Errors with stable codes. Clients and operators key on `code`, never on the message. The HTTP
 * layer maps each code to a status in exactly one place (apps/api/src/http/errors.ts).
 */
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
  'CSRF_REJECTED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}
