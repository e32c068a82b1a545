/**
 * Access control for the back office, deny by default (ASVS 8.2.1, T07). Every route under
 * /api/staff must declare a policy in its config: `{ public: true }` (sign-in, enrolment) or the
 * permission it needs. A route without one stops the server from starting. Before the body is
 * even validated, the staff session is checked and the permission looked up in the role's list;
 * anything else is 401 (no staff session) or 403 (wrong role, or a customer session), and
 * refusals are audited.
 */
import { type AuthenticatedStaff, authenticateStaffSession, type Permission, recordAuditEvent } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '../http/errors.ts';
import { SESSION_COOKIE } from './session-cookie.ts';

export const STAFF_COOKIE = '__Host-drop_staff';
export const BACK_OFFICE_PREFIX = '/api/staff';

export type StaffPolicy = { public: true } | { permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    staffPolicy?: StaffPolicy;
  }
  interface FastifyRequest {
    staff?: AuthenticatedStaff;
  }
}

export interface BackOfficeRoute {
  method: string;
  url: string;
  policy: StaffPolicy;
}

/** Installs the checks; returns the inventory of back-office routes (the role × route test walks it). */
export function registerStaffAccessControl(app: FastifyInstance, options: { db: Db; idleSeconds: number }): BackOfficeRoute[] {
  const inventory: BackOfficeRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(BACK_OFFICE_PREFIX)) return;
    const policy = (route.config as { staffPolicy?: StaffPolicy } | undefined)?.staffPolicy;
    if (!policy) throw new Error(`back-office route ${String(route.method)} ${route.url} declares no staffPolicy (deny by default)`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') inventory.push({ method, url: route.url, policy });
  });
  // preValidation: before the body is validated, so a stranger learns nothing from a 400.
  // Callback-style: a route without a staff policy (every customer route) costs no promise.
  app.addHook('preValidation', (request, reply, done) => {
    const policy = request.routeOptions.config.staffPolicy;
    if (!policy || 'public' in policy) return done();
    checkStaff(request, reply, policy).then(() => done(), done);
  });
  async function checkStaff(request: FastifyRequest, reply: FastifyReply, policy: { permission: Permission }): Promise<void> {
    const staff = await authenticateStaffSession(options.db, { token: request.cookies[STAFF_COOKIE], idleSeconds: options.idleSeconds });
    if (!staff) {
      // A signed-in customer is known but not allowed: 403, not an invitation to sign in.
      if (request.cookies[SESSION_COOKIE]) {
        await auditDenied(options.db, request, 'customer', policy.permission);
        sendProblem(reply, problem(request, 'FORBIDDEN', 'The back office is for Drop staff.'));
        return;
      }
      sendProblem(reply, problem(request, 'UNAUTHENTICATED', 'Sign in to the console.'));
      return;
    }
    if (!staff.permissions.includes(policy.permission)) {
      await auditDenied(options.db, request, staff.staffId, policy.permission);
      sendProblem(reply, problem(request, 'FORBIDDEN', 'Your role does not allow this.'));
      return;
    }
    request.staff = staff;
  }
  return inventory;
}

async function auditDenied(db: Db, request: FastifyRequest, actor: string, permission: Permission): Promise<void> {
  await recordAuditEvent(db, {
    action: 'access_denied',
    resourceType: 'route',
    resourceId: `${request.method} ${request.routeOptions.url ?? request.url}`,
    actor,
    details: { permission },
  });
}

export function staffOf(request: FastifyRequest): AuthenticatedStaff {
  if (!request.staff) throw new Error('staffOf() on a route without a permission policy');
  return request.staff;
}
