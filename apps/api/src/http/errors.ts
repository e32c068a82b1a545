/**
 * Every error leaves Drop as `application/problem+json` (RFC 9457) with a stable `code`. This file
 * is the one place where error codes meet HTTP statuses. Unknown errors are masked: the client
 * gets INTERNAL_ERROR and the request id; the log gets the error.
 */

import type { Socket } from 'node:net';
import type { ProblemDocument } from '@drop/contracts';
import { DomainError, type ErrorCode } from '@drop/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  SIGN_IN_FAILED: 400,
  AUTH_LEVEL_TOO_LOW: 403,
  ACCOUNT_BLOCKED: 403,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 403,
  ENROLMENT_INVALID: 404,
  WEAK_PASSWORD: 400,
  KYC_REQUIRED: 403,
  KYC_REJECTED: 403,
  LIMIT_EXCEEDED: 422,
  EDD_REQUIRED: 422,
  AMOUNT_INVALID: 422,
  CURRENCY_UNSUPPORTED: 422,
  CORRIDOR_UNSUPPORTED: 422,
  RATES_UNAVAILABLE: 503,
  QUOTE_NOT_FOUND: 404,
  QUOTE_EXPIRED: 409,
  QUOTE_USED: 409,
  RECIPIENT_NOT_FOUND: 404,
  RECIPIENT_INVALID: 422,
  RECIPIENT_MISMATCH: 422,
  RECIPIENT_IN_USE: 409,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
  TRANSFER_STATE_INVALID: 409,
  INSUFFICIENT_FUNDS: 409,
  LEDGER_INVALID: 409,
  BANK_FILE_INVALID: 422,
  BANK_ACCOUNT_MISMATCH: 422,
  BANK_ENTRY_STATE_INVALID: 409,
  PAYMENT_AMOUNT_MISMATCH: 422,
  WEBHOOK_SIGNATURE_INVALID: 401,
  FORBIDDEN: 403,
  FOUR_EYES_REQUIRED: 403,
  CSRF_REJECTED: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  ALERT_CLOSED: 409,
  CASE_ALREADY_OPEN: 409,
  CASE_CLOSED: 409,
  CASE_STR_UNFILED: 409,
  CASE_STR_NOT_FILED: 409,
  STR_EXPORT_NOT_APPLICABLE: 409,
  STR_ATTACHMENT_INVALID: 422,
  EMAIL_CODE_INVALID: 422,
  EMAIL_CODE_EXPIRED: 410,
  EMAIL_CODE_LOCKED: 429,
  EMAIL_NOT_PENDING: 409,
  EMAIL_IN_USE: 409,
  EMAIL_RESEND_TOO_SOON: 429,
  EMAIL_SEND_FAILED: 502,
  UNDER_AGE: 403,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_TEXT: 400,
  STAFF_SELF_CHANGE: 403,
  LAST_ADMIN: 409,
  STAFF_STATE_INVALID: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

const TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid',
  UNAUTHENTICATED: 'Sign-in required',
  SIGN_IN_FAILED: 'Sign-in with BankID failed',
  AUTH_LEVEL_TOO_LOW: 'A stronger BankID sign-in is required',
  ACCOUNT_BLOCKED: 'This account is blocked',
  INVALID_CREDENTIALS: 'Sign-in failed',
  ACCOUNT_LOCKED: 'The account is locked',
  ENROLMENT_INVALID: 'Enrolment link not valid',
  WEAK_PASSWORD: 'Password too weak',
  KYC_REQUIRED: 'Identity verification required',
  KYC_REJECTED: 'Identity verification declined',
  LIMIT_EXCEEDED: 'Over your limit',
  EDD_REQUIRED: 'Source of funds needed',
  AMOUNT_INVALID: 'Amount not accepted',
  CURRENCY_UNSUPPORTED: 'Currency not supported',
  CORRIDOR_UNSUPPORTED: 'Destination not supported',
  RATES_UNAVAILABLE: 'Exchange rates unavailable',
  QUOTE_NOT_FOUND: 'Quote not found',
  QUOTE_EXPIRED: 'Quote expired',
  QUOTE_USED: 'Quote already used',
  RECIPIENT_NOT_FOUND: 'Recipient not found',
  RECIPIENT_INVALID: 'Recipient details not valid',
  RECIPIENT_MISMATCH: 'Recipient does not match the quote',
  RECIPIENT_IN_USE: 'A transfer to this recipient is on its way',
  IDEMPOTENCY_KEY_REQUIRED: 'Idempotency-Key header required',
  IDEMPOTENCY_KEY_REUSED: 'Idempotency-Key reused with a different request',
  TRANSFER_STATE_INVALID: 'Not possible in the transfer’s current state',
  INSUFFICIENT_FUNDS: 'Insufficient funds',
  LEDGER_INVALID: 'Ledger posting refused',
  BANK_FILE_INVALID: 'Bank file refused',
  BANK_ACCOUNT_MISMATCH: 'Bank file is for another account',
  BANK_ENTRY_STATE_INVALID: 'Bank entry already dealt with',
  PAYMENT_AMOUNT_MISMATCH: 'Payment does not cover the transfer',
  WEBHOOK_SIGNATURE_INVALID: 'Webhook signature not valid',
  FORBIDDEN: 'Not allowed',
  FOUR_EYES_REQUIRED: 'A second person must decide',
  CSRF_REJECTED: 'Cross-site request refused',
  NOT_FOUND: 'Not found',
  ROUTE_NOT_FOUND: 'No such endpoint',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  CONFLICT: 'Conflict',
  ALERT_CLOSED: 'Alert already closed',
  CASE_ALREADY_OPEN: 'The customer has an open case already',
  CASE_CLOSED: 'Case already closed',
  CASE_STR_UNFILED: 'An STR of the case is not filed yet',
  CASE_STR_NOT_FILED: 'No filed STR for this case',
  STR_EXPORT_NOT_APPLICABLE: 'This export does not apply to this report',
  STR_ATTACHMENT_INVALID: 'The file is not what its type says',
  EMAIL_CODE_INVALID: 'Wrong code',
  EMAIL_CODE_EXPIRED: 'Code expired',
  EMAIL_CODE_LOCKED: 'Too many wrong codes',
  EMAIL_NOT_PENDING: 'No email address waits for a code',
  EMAIL_IN_USE: 'Email address already in use',
  EMAIL_RESEND_TOO_SOON: 'Wait before asking for another code',
  EMAIL_SEND_FAILED: 'The email could not be sent',
  UNDER_AGE: 'Drop is for customers aged 18 or over',
  PAYLOAD_TOO_LARGE: 'Request body too large',
  INVALID_TEXT: 'The request contains a character Drop does not accept',
  STAFF_SELF_CHANGE: 'Another admin must make this change to your own account',
  LAST_ADMIN: 'Drop must keep at least one active admin',
  STAFF_STATE_INVALID: 'The staff account is not in a state that allows this',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported content type',
  HEADERS_TOO_LARGE: 'Request line and headers too large',
  REQUEST_TIMEOUT: 'The request did not arrive in time',
  RATE_LIMITED: 'Too many requests',
  INTERNAL_ERROR: 'Something went wrong on our side',
  SERVICE_UNAVAILABLE: 'Service unavailable',
};

/** The contract's problem document, with what the server always sends. */
export type Problem = ProblemDocument & {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  instance: string;
  requestId: string;
};

export function problem(request: FastifyRequest, code: ErrorCode, detail?: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `urn:drop:error:${code.toLowerCase()}`,
    title: TITLES[code],
    status: STATUS_BY_CODE[code],
    code,
    ...(detail ? { detail } : {}),
    instance: request.url.split('?')[0] ?? request.url,
    requestId: String(request.id),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  reply.request.errorCode = body.code;
  return reply.status(body.status).type('application/problem+json; charset=utf-8').send(body);
}

/** Fastify's own 4xx errors (bad JSON, wrong content type, body too large) mapped to our codes. */
function fastifyClientErrorCode(error: FastifyError): ErrorCode | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'PAYLOAD_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'UNSUPPORTED_MEDIA_TYPE';
    default:
      if (error.statusCode === 429) return 'RATE_LIMITED';
      if (error.statusCode === 404) return 'NOT_FOUND';
      if (error.statusCode === 405) return 'METHOD_NOT_ALLOWED';
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return 'VALIDATION_FAILED';
      return undefined;
  }
}

/**
 * The database could not be reached, or the connection was lost mid-request (refused, reset,
 * the server shutting down or restarting, or node-postgres's own "connection terminated"): an
 * outage to retry, not a bug. SQLSTATE class 08 is a connection exception; 57P01–57P03 are the
 * server's admin shutdown, crash shutdown and "cannot connect now".
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03'].includes(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  return typeof message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect)/.test(message);
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      path: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
      message: issue.message ?? 'invalid',
    }));
    return sendProblem(reply, problem(request, 'VALIDATION_FAILED', 'One or more fields are invalid.', { errors }));
  }
  if (error instanceof DomainError) {
    if (STATUS_BY_CODE[error.code] >= 500) request.log.error({ err: error }, 'domain error');
    return sendProblem(reply, problem(request, error.code, error.message, error.details ? { details: error.details } : {}));
  }
  if (!isResponseSerializationError(error)) {
    const code = fastifyClientErrorCode(error);
    if (code) return sendProblem(reply, problem(request, code, error.message));
  }
  // Anything else is a bug or an outage: log it whole, tell the client nothing but the request id.
  request.log.error({ err: error }, 'unhandled error');
  if (isDatabaseUnavailable(error)) {
    // The client may retry with the same idempotency key: nothing was acknowledged.
    reply.header('retry-after', '1');
    return sendProblem(reply, problem(request, 'SERVICE_UNAVAILABLE'));
  }
  return sendProblem(reply, problem(request, 'INTERNAL_ERROR'));
}

/**
 * Errors Fastify meets before a route runs and answers itself unless told otherwise (a path that
 * is not valid percent-encoding, a path parameter over the router's length limit): through the
 * same handler, so they are problem documents with a code too (VALIDATION_FAILED).
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return errorHandler(error, request, reply);
}

/**
 * HTTP that Node's parser refuses before there is a request (a malformed request line or header,
 * headers over the size limit, a client too slow to send them): answered on the socket as a
 * problem document, then the connection is closed, as Fastify's own handler does.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'HEADERS_TOO_LARGE'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'REQUEST_TIMEOUT'
        : 'VALIDATION_FAILED';
  const status = STATUS_BY_CODE[code];
  const body = JSON.stringify({
    type: `urn:drop:error:${code.toLowerCase()}`,
    title: TITLES[code],
    status,
    code,
    detail: code === 'VALIDATION_FAILED' ? 'The request is not valid HTTP.' : undefined,
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

declare module 'fastify' {
  interface FastifyRequest {
    /** The stable error code of the response, for metrics and logs. */
    errorCode?: ErrorCode;
  }
}
