/**
 * Sign-in with BankID and sign-out. The browser posts to /start and is sent to BankID; BankID
 * sends it back to /callback with a code, which becomes a session cookie. Outcomes that are not a
 * session go back to the app as `?signin=<reason>` so it can explain them.
 */
import {
  consumeAuthAttempt,
  createAuthAttempt,
  DomainError,
  type KeyRing,
  type NationalIdProtector,
  recordAuditEvent,
  revokeSessions,
  signInWithBankId,
  signSessionToken,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { BankIdRelyingParty } from '../auth/bankid-relying-party.ts';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';
import { cookieOptions, SESSION_COOKIE, SIGN_IN_COOKIE } from '../auth/session-cookie.ts';

export interface AuthRouteOptions {
  db: Db;
  bankid: BankIdRelyingParty;
  ring: KeyRing;
  protector: NationalIdProtector;
  publicUrl: string;
  minLoa: number;
  signInRateLimitPerMinute: number;
  sessionLifetimeSeconds: number;
  customerAuth: CustomerAuthOptions;
}

const SIGN_IN_WINDOW_SECONDS = 600;

export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);
  // Keyed by client address (see trustProxy in app.ts), so a forged X-Forwarded-For cannot reset it.
  const signInLimit = { rateLimit: { max: options.signInRateLimitPerMinute, timeWindow: '1 minute' } };

  app.post(
    '/api/auth/bankid/start',
    {
      config: signInLimit,
      schema: {
        tags: ['auth'],
        summary: 'Start a BankID sign-in (browser form post; answers 303 to BankID)',
        // The sign-in button is an HTML form; its (empty) body is read as nothing else.
        consumes: ['application/x-www-form-urlencoded'],
        response: { 303: z.null() },
      },
    },
    async (_request, reply) => {
      const pending = await options.bankid.begin();
      const attempt = await createAuthAttempt(options.db, {
        state: pending.state,
        nonce: pending.nonce,
        codeVerifier: pending.codeVerifier,
      });
      reply.setCookie(SIGN_IN_COOKIE, attempt.id, cookieOptions(SIGN_IN_WINDOW_SECONDS));
      return reply.redirect(pending.url.href, 303);
    },
  );

  app.get(
    '/api/auth/bankid/callback',
    {
      config: {
        ...signInLimit,
        // A callback with text PostgreSQL refuses (`error=%00`) is still a failed sign-in on record
        // (what was sent, with its NUL characters shown as \0); the text guard then answers 400.
        onInvalidText: async (request) => {
          const query = JSON.stringify(request.query ?? {}).replaceAll('\\u0000', '\\0');
          await recordAuditEvent(options.db, {
            action: 'login_failed',
            resourceType: 'auth',
            actor: 'anonymous',
            details: { reason: 'invalid_text', query: query.slice(0, 500) },
          });
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Where BankID returns the browser; sets the session cookie and answers 303 to the app',
        querystring: z.object({ code: z.string().optional(), state: z.string().optional(), error: z.string().optional() }).passthrough(),
        response: { 303: z.null() },
      },
    },
    async (request, reply) => {
      const back = (outcome: string) => reply.redirect(`/?signin=${encodeURIComponent(outcome)}`, 303);
      const attemptId = request.cookies[SIGN_IN_COOKIE];
      reply.clearCookie(SIGN_IN_COOKIE, cookieOptions(0));
      // Single use: a replayed callback, or one from another browser, finds no attempt.
      const attempt = attemptId ? await consumeAuthAttempt(options.db, attemptId) : undefined;
      if (!attempt) return back('expired');
      if (request.query.error) {
        await recordAuditEvent(options.db, {
          action: 'login_failed',
          resourceType: 'auth',
          actor: 'anonymous',
          details: { reason: request.query.error },
        });
        return back(request.query.error === 'access_denied' ? 'cancelled' : 'failed');
      }
      try {
        const identity = await options.bankid.complete(new URL(request.url, options.publicUrl), attempt);
        const session = await signInWithBankId(options.db, {
          identity,
          minLoa: options.minLoa,
          protector: options.protector,
          sessionLifetimeSeconds: options.sessionLifetimeSeconds,
          client: { ip: request.ip, userAgent: request.headers['user-agent'] },
        });
        const token = await signSessionToken(options.ring, options.publicUrl, session);
        reply.setCookie(SESSION_COOKIE, token, cookieOptions(options.sessionLifetimeSeconds));
        return reply.redirect('/home', 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        request.log.warn({ code: error.code }, 'BankID sign-in refused');
        // Under 18: core recorded why; the app explains it on a page of its own (which says
        // whether an account from before the age rule exists).
        if (error.code === 'UNDER_AGE') return reply.redirect(error.details?.existingCustomer ? '/age-limit?account=1' : '/age-limit', 303);
        if (error.code !== 'ACCOUNT_BLOCKED') {
          await recordAuditEvent(options.db, {
            action: 'login_failed',
            resourceType: 'auth',
            actor: 'anonymous',
            details: { reason: error.code },
          });
        }
        return back(error.code.toLowerCase());
      }
    },
  );

  app.post(
    '/api/auth/logout',
    { preValidation: guard, schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } } },
    async (request, reply) => {
      const customer = customerOf(request);
      await revokeSessions(options.db, {
        userId: customer.userId,
        actor: customer.userId,
        which: { sessionId: customer.sessionId },
        reason: 'logout',
      });
      reply.clearCookie(SESSION_COOKIE, cookieOptions(0));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/logout-everywhere',
    {
      preValidation: guard,
      schema: { tags: ['auth'], summary: 'End every session of this customer, on every device', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const customer = customerOf(request);
      await revokeSessions(options.db, { userId: customer.userId, actor: customer.userId, which: 'all', reason: 'logout_everywhere' });
      reply.clearCookie(SESSION_COOKIE, cookieOptions(0));
      return reply.status(204).send(null);
    },
  );
};
