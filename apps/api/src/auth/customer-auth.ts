import { type AuthenticatedCustomer, authenticateSession, type KeyRing, recordSessionRefused } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '../http/errors.ts';
import { cookieOptions, SESSION_COOKIE } from './session-cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireCustomer` for the rest of the request. */
    customer?: AuthenticatedCustomer;
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
    if (token) {
      await recordSessionRefused(options.db, { reason: result.reason, path: request.routeOptions.url ?? request.url });
      reply.clearCookie(SESSION_COOKIE, cookieOptions(0));
    }
    return sendProblem(
      reply,
      problem(request, 'UNAUTHENTICATED', token ? 'Your session has ended. Sign in again.' : 'Sign in with BankID.'),
    );
  };
}

/** The authenticated customer of a route guarded by `requireCustomer`. */
export function customerOf(request: FastifyRequest): AuthenticatedCustomer {
  if (!request.customer) throw new Error('customerOf() on a route without requireCustomer');
  return request.customer;
}
