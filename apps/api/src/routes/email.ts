/**
 * The customer's email address and email choices (issue 16): give an address and get a code,
 * ask for a new code, enter it, withdraw an address still waiting, and choose the optional emails.
 * Every answer is the whole state (`emailSettings`), so the app shows what the server has.
 */
import { emailChangeRequest, emailSettings, emailVerifyRequest, envelope, notificationPreferences } from '@drop/contracts';
import {
  cancelEmailChange,
  DomainError,
  type EmailCodeHasher,
  getEmailSettings,
  type Mailer,
  requestEmailChange,
  resendEmailCode,
  setNotificationPreferences,
  verifyEmail,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';

export interface EmailRouteOptions {
  db: Db;
  customerAuth: CustomerAuthOptions;
  mailer: Mailer | undefined;
  codes: EmailCodeHasher;
}

const answer = { 200: envelope(emailSettings) };

export const emailRoutes: FastifyPluginAsyncZod<EmailRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);
  // Per client address, on top of the per-customer limits in core: a code costs a mail to a stranger's inbox.
  const sendLimit = { rateLimit: { max: 30, timeWindow: '1 minute' } };
  const mailer = (): Mailer => {
    if (!options.mailer) throw new DomainError('SERVICE_UNAVAILABLE', 'Email is not configured on this server.');
    return options.mailer;
  };

  app.get(
    '/api/me/email',
    { preValidation: guard, schema: { tags: ['customer'], summary: 'My email address and which emails I get', response: answer } },
    async (request) => ({ data: await getEmailSettings(options.db, customerOf(request).userId) }),
  );

  app.post(
    '/api/me/email',
    {
      preValidation: guard,
      config: sendLimit,
      schema: {
        tags: ['customer'],
        summary: 'Use this email address: a six-digit code is sent there (valid 15 minutes)',
        description:
          'Until the code is entered the address is not used, and a verified address keeps getting mail. ' +
          'Errors: 409 CONFLICT (already my address), 429 EMAIL_RESEND_TOO_SOON (five new addresses an hour), 502 EMAIL_SEND_FAILED.',
        body: emailChangeRequest,
        response: answer,
      },
    },
    async (request) => {
      const { userId } = customerOf(request);
      await requestEmailChange(options.db, mailer(), options.codes, { userId, email: request.body.email, locale: request.body.locale });
      return { data: await getEmailSettings(options.db, userId) };
    },
  );

  app.post(
    '/api/me/email/resend',
    {
      preValidation: guard,
      config: sendLimit,
      schema: {
        tags: ['customer'],
        summary: 'A new code for the address waiting for one (at most once a minute, five times)',
        description: 'Errors: 409 EMAIL_NOT_PENDING, 429 EMAIL_RESEND_TOO_SOON (details.retryAfterSeconds), 502 EMAIL_SEND_FAILED.',
        response: answer,
      },
    },
    async (request) => {
      const { userId } = customerOf(request);
      await resendEmailCode(options.db, mailer(), options.codes, { userId });
      return { data: await getEmailSettings(options.db, userId) };
    },
  );

  app.post(
    '/api/me/email/verify',
    {
      preValidation: guard,
      schema: {
        tags: ['customer'],
        summary: 'Enter the code: the address becomes the one emails go to',
        description:
          'Errors: 422 EMAIL_CODE_INVALID (details.attemptsLeft), 429 EMAIL_CODE_LOCKED (five wrong codes), 410 EMAIL_CODE_EXPIRED, ' +
          '409 EMAIL_NOT_PENDING, 409 EMAIL_IN_USE.',
        body: emailVerifyRequest,
        response: answer,
      },
    },
    async (request) => {
      const { userId } = customerOf(request);
      await verifyEmail(options.db, options.mailer, options.codes, { userId, code: request.body.code });
      return { data: await getEmailSettings(options.db, userId) };
    },
  );

  app.delete(
    '/api/me/email/pending',
    {
      preValidation: guard,
      schema: { tags: ['customer'], summary: 'Withdraw the address waiting for its code (the verified one stays)', response: answer },
    },
    async (request) => {
      const { userId } = customerOf(request);
      await cancelEmailChange(options.db, { userId });
      return { data: await getEmailSettings(options.db, userId) };
    },
  );

  app.put(
    '/api/me/notifications',
    {
      preValidation: guard,
      schema: {
        tags: ['customer'],
        summary: 'Which optional emails I get (a failed payout, its refund and security emails always come)',
        body: notificationPreferences,
        response: answer,
      },
    },
    async (request) => {
      const { userId } = customerOf(request);
      await setNotificationPreferences(options.db, { userId, ...request.body });
      return { data: await getEmailSettings(options.db, userId) };
    },
  );
};
