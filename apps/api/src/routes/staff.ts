/** Staff sign-in, enrolment and identity. */
import { completeEnrolmentRequest, enrolment, enrolmentParams, envelope, noContent, staffLoginRequest, staffMe } from '@drop/contracts';
import { completeEnrolment, DomainError, getEnrolment, type StaffRole, signInStaff, signOutStaff } from '@drop/core';
import type { Db } from '@drop/db';
import type { OpsNotifier } from '@drop/observability';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cookieOptions } from '../auth/session-cookie.ts';
import { STAFF_COOKIE, staffOf } from '../auth/staff-access.ts';

export interface StaffRouteOptions {
  db: Db;
  notifier: OpsNotifier;
  dataEncryptionKey: string;
  sessionLifetimeSeconds: number;
  signInRateLimitPerMinute: number;
}

export const staffRoutes: FastifyPluginAsyncZod<StaffRouteOptions> = async (app, options) => {
  app.post(
    '/api/staff/login',
    {
      config: { staffPolicy: { public: true }, rateLimit: { max: options.signInRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['staff'],
        summary: 'Staff sign-in: password and TOTP code',
        body: staffLoginRequest,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      try {
        const session = await signInStaff(options.db, {
          ...request.body,
          dataEncryptionKey: options.dataEncryptionKey,
          sessionLifetimeSeconds: options.sessionLifetimeSeconds,
          client: { ip: request.ip, userAgent: request.headers['user-agent'] },
          onLocked: (staff) =>
            options.notifier.send({
              kind: 'security',
              severity: 'warning',
              title: 'Staff account locked after 5 failed sign-ins',
              detail:
                'Five wrong passwords or codes in a row. If it was not the staff member, treat it as an attack (DR runbook, scenario 5).',
              fields: { staffId: staff.staffId, ip: request.ip },
            }),
        });
        reply.setCookie(STAFF_COOKIE, session.token, cookieOptions(options.sessionLifetimeSeconds));
        return reply.status(204).send(null);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'ACCOUNT_LOCKED') {
          reply.header('retry-after', String(error.details?.retryAfterSeconds ?? 900));
        }
        throw error;
      }
    },
  );

  app.post(
    '/api/staff/logout',
    {
      config: { staffPolicy: { permission: 'overview' } },
      schema: { tags: ['staff'], summary: 'End this staff session', response: { 204: noContent } },
    },
    async (request, reply) => {
      await signOutStaff(options.db, staffOf(request));
      reply.clearCookie(STAFF_COOKIE, cookieOptions(0));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/staff/me',
    {
      config: { staffPolicy: { permission: 'overview' } },
      schema: {
        tags: ['staff'],
        summary: 'The signed-in staff member, with what their role may use',
        response: { 200: envelope(staffMe) },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      return { data: { id: staff.staffId, email: staff.email, name: staff.name, role: staff.role, permissions: [...staff.permissions] } };
    },
  );

  app.get(
    '/api/staff/enrolment/:token',
    {
      config: { staffPolicy: { public: true } },
      schema: {
        tags: ['staff'],
        summary: 'An enrolment link: who is enrolling, and the TOTP secret for the authenticator app',
        params: enrolmentParams,
        response: { 200: envelope(enrolment) },
      },
    },
    async (request) => {
      const view = await getEnrolment(options.db, { token: request.params.token, dataEncryptionKey: options.dataEncryptionKey });
      return { data: { ...view, role: view.role as StaffRole } };
    },
  );

  app.post(
    '/api/staff/enrolment',
    {
      config: { staffPolicy: { public: true }, rateLimit: { max: options.signInRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['staff'],
        summary: 'Complete enrolment: set the password and confirm the authenticator app with a first code',
        body: completeEnrolmentRequest,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await completeEnrolment(options.db, { ...request.body, dataEncryptionKey: options.dataEncryptionKey });
      return reply.status(204).send(null);
    },
  );
};
