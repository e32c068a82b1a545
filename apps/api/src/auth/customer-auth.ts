import {
  type AuthenticatedCustomer,
  authenticateSession,
  type KeyRing,
  recordSessionRefused,
  type SessionRefusal,
  type SessionToCheck,
  verifySessionToken,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorHandler, problem, sendProblem } from '../http/errors.ts';
import { cookieOptions, SESSION_COOKIE } from './session-cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireCustomer` for the rest of the request. */
    customer?: AuthenticatedCustomer;
    /**
     * Set by `requireCustomerInStatement`: the token is ours and unexpired, but the database has not
     * yet said whether its session is live; the route's own statement does (see sessionToCheck).
     */
    customerSessionUnchecked?: SessionToCheck;
    /** Set by `sessionToCheck`: the route handed the session to its statement. */
    customerSessionHandedOver?: boolean;
  }
}

export interface CustomerAuthOptions {
  db: Db;
  ring: KeyRing;
  issuer: string;
  idleSeconds: number;
}

/**
 * A preValidation hook for every customer route (before the body is validated, so a stranger learns nothing from a 400): 401 unless the session cookie names a live session of a
 * customer who is neither deleted nor rejected. A refused cookie is cleared and the refusal audited.
 */
export function requireCustomer(options: CustomerAuthOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = request.cookies[SESSION_COOKIE];
    const result = await authenticateSession(options.db, {
      token,
      ring: options.ring,
      issuer: options.issuer,
      idleSeconds: options.idleSeconds,
    });
    if (result.ok) {
      request.customer = result.customer;
      return;
    }
    return refuseSession(options, request, reply, result.reason);
  };
}

/**
 * The rate limiter's headers, set on the reply before a route that checks the session in its
 * statement knows the session is dead: a 401 must not tell a dead token how busy the customer is.
 */
const RATE_LIMIT_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'];

/** Refusals that hold for good: a revoked session stays revoked, and a session id names one session. */
const PERMANENT_REFUSALS: ReadonlySet<SessionRefusal> = new Set(['revoked', 'expired', 'idle_timeout', 'unknown_session']);

/** 401, with the refusal audited and the cookie cleared when there was one. */
async function refuseSession(options: CustomerAuthOptions, request: FastifyRequest, reply: FastifyReply, reason: SessionRefusal) {
  const token = request.cookies[SESSION_COOKIE];
  for (const header of RATE_LIMIT_HEADERS) reply.removeHeader(header);
  if (token) {
    if (PERMANENT_REFUSALS.has(reason)) rememberDeadSession(token, reason);
    await recordSessionRefused(options.db, { reason, path: request.routeOptions.url ?? request.url });
    reply.clearCookie(SESSION_COOKIE, cookieOptions(0));
  }
  return sendProblem(reply, problem(request, 'UNAUTHENTICATED', token ? 'Your session has ended. Sign in again.' : 'Sign in with BankID.'));
}

/**
 * Tokens whose session is revoked (a timed-out session is revoked too) or unknown: revocation is
 * for good (sessions_guard_revocation), so this process refuses them without asking the
 * database. It keeps a dead session's requests away from the customer's rate-limit budget on the
 * routes that check the session in their own statement, after the limiter has counted.
 */
const deadSessions = new Map<string, SessionRefusal>();
const DEAD_SESSIONS_MAX = 10_000;
function rememberDeadSession(token: string, reason: SessionRefusal) {
  if (deadSessions.size >= DEAD_SESSIONS_MAX) deadSessions.delete(deadSessions.keys().next().value as string);
  deadSessions.set(token, reason);
}

/**
 * The guard of the hottest writes (a quote, a transfer): the same answers as `requireCustomer`,
 * one round trip fewer. The hook checks the token here (signature, expiry, key: no database);
 * whether its session is live is asked by the route's own statement, which is given
 * `sessionToCheck(request)` and writes nothing unless it is (customer_session_verdict). Whatever
 * error the route ends in (an invalid body, a 429, the statement's UNAUTHENTICATED, a domain
 * error), the route's error handler asks the database first, as `requireCustomer` would have
 * before anything else, so a stranger with a dead session gets 401 and learns nothing from a 400.
 * Use it only on routes whose every success goes through such a statement: it fails closed, a
 * success whose handler never took `sessionToCheck(request)` becomes a 500 (or a 401). Returns
 * the route options to spread into the route (preValidation, errorHandler, onSend).
 */
export function requireCustomerInStatement(options: CustomerAuthOptions) {
  return {
    preValidation: async (request: FastifyRequest, reply: FastifyReply) => {
      const token = request.cookies[SESSION_COOKIE];
      const claims = token ? await verifySessionToken(options.ring, options.issuer, token) : undefined;
      if (!token || !claims) return refuseSession(options, request, reply, 'invalid_token');
      const dead = deadSessions.get(token);
      if (dead) return refuseSession(options, request, reply, dead);
      request.customer = claims;
      request.customerSessionUnchecked = { sessionId: claims.sessionId, idleSeconds: options.idleSeconds };
    },
    errorHandler: async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (request.customerSessionUnchecked) {
        request.customerSessionUnchecked = undefined;
        const result = await authenticateSession(options.db, {
          token: request.cookies[SESSION_COOKIE],
          ring: options.ring,
          issuer: options.issuer,
          idleSeconds: options.idleSeconds,
        });
        if (!result.ok) return refuseSession(options, request, reply, result.reason);
      }
      return errorHandler(error, request, reply);
    },
    onSend: async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.customerSessionUnchecked && !request.customerSessionHandedOver && reply.statusCode < 400) {
        throw new Error(`${request.routeOptions.url} answered without having its statement check the session`);
      }
    },
  };
}

/** The session a route guarded by `requireCustomerInStatement` must have its statement check. */
export function sessionToCheck(request: FastifyRequest): SessionToCheck {
  if (!request.customerSessionUnchecked) throw new Error('sessionToCheck() on a route without requireCustomerInStatement');
  request.customerSessionHandedOver = true;
  return request.customerSessionUnchecked;
}

/** The authenticated customer of a route guarded by `requireCustomer`. */
export function customerOf(request: FastifyRequest): AuthenticatedCustomer {
  if (!request.customer) throw new Error('customerOf() on a route without requireCustomer');
  return request.customer;
}
