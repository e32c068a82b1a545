/**
 * Errors with stable codes. Clients and operators key on `code`, never on the message. The HTTP
 * layer maps each code to a status in exactly one place (apps/api/src/http/errors.ts); the codes
 * themselves are part of the API's contract (@drop/contracts).
 */
import type { ErrorCode } from '@drop/contracts';

export { ERROR_CODES, type ErrorCode } from '@drop/contracts';

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
