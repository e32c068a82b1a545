/**
 * Staff administration for admins (permission 'staff_admin', issue 16): list staff, disable and
 * enable, reset the authenticator, change role. Every change is audited; refusals have stable
 * codes: STAFF_SELF_CHANGE (one's own account), LAST_ADMIN, STAFF_STATE_INVALID, NOT_FOUND.
 */
import { envelope, staffChangeRequest, staffMember, staffMemberChanged, staffMemberParams, staffRoleRequest } from '@drop/contracts';
import { changeStaffRole, disableStaffMember, enableStaffMember, listStaffMembers, resetStaffTotp } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/staff-access.ts';

export interface StaffAdminRouteOptions {
  db: Db;
  dataEncryptionKey: string;
}

export const staffAdminRoutes: FastifyPluginAsyncZod<StaffAdminRouteOptions> = async (app, options) => {
  const { db } = options;
  const policy = { staffPolicy: { permission: 'staff_admin' as const } };

  app.get(
    '/api/staff/members',
    {
      config: policy,
      schema: {
        tags: ['staff'],
        summary: 'Every staff account with its role and state; admins first, disabled last',
        response: { 200: envelope(z.array(staffMember)) },
      },
    },
    async () => ({ data: await listStaffMembers(db) }),
  );

  const change = {
    tags: ['staff'],
    params: staffMemberParams,
    response: { 200: envelope(staffMemberChanged) },
  };

  app.post(
    '/api/staff/members/:staffId/disable',
    {
      config: policy,
      schema: {
        ...change,
        summary: 'Disable a staff member: no sign-in, sessions ended at once (not oneself, not the last admin)',
        body: staffChangeRequest,
      },
    },
    async (request) => ({
      data: await disableStaffMember(db, { staffId: request.params.staffId, actor: staffOf(request).staffId, reason: request.body.reason }),
    }),
  );

  app.post(
    '/api/staff/members/:staffId/enable',
    { config: policy, schema: { ...change, summary: 'Enable a disabled staff member again', body: staffChangeRequest } },
    async (request) => ({
      data: await enableStaffMember(db, { staffId: request.params.staffId, actor: staffOf(request).staffId, reason: request.body.reason }),
    }),
  );

  app.post(
    '/api/staff/members/:staffId/reset-totp',
    {
      config: policy,
      schema: {
        ...change,
        summary: "Reset a staff member's authenticator: sessions ended, a new enrolment link (72 hours) to hand over",
        body: staffChangeRequest,
      },
    },
    async (request) => ({
      data: await resetStaffTotp(db, {
        staffId: request.params.staffId,
        actor: staffOf(request).staffId,
        reason: request.body.reason,
        dataEncryptionKey: options.dataEncryptionKey,
      }),
    }),
  );

  app.post(
    '/api/staff/members/:staffId/role',
    {
      config: policy,
      schema: { ...change, summary: "Change a staff member's role (not one's own; never demoting the last admin)", body: staffRoleRequest },
    },
    async (request) => ({
      data: await changeStaffRole(db, {
        staffId: request.params.staffId,
        actor: staffOf(request).staffId,
        role: request.body.role,
        reason: request.body.reason,
      }),
    }),
  );
};
