/** Staff: roles, permissions, sign-in, enrolment and the signed-in staff member. */
import { z } from 'zod';
import { idSchema } from './ids.ts';

export const STAFF_ROLES = ['support', 'compliance_officer', 'compliance_lead', 'admin'] as const;
export const staffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof staffRole>;

/** What a back-office route may require; which role has which is core's `permissionsOf`. */
export const PERMISSIONS = [
  'overview',
  'kyc_queue',
  'kyc_decide',
  'aml_alerts',
  // Working an alert: assign, comment, close with an outcome.
  'aml_review',
  // Cases and STRs: open and work a case, draft an STR and submit it for approval.
  'str_reports',
  'customers',
  'revoke_customer_sessions',
  'data_requests',
  'operations',
  'audit_log',
  'transfers_view',
  'ledger_view',
  // The bank-payment exceptions queue and imported statements; matching and refunding move money.
  'payments_view',
  'payments_manage',
  // Holding a transfer, and proposing its release or stop, or a customer's block or unblock (four eyes).
  'transfer_hold',
  // Approving or rejecting another person's proposal.
  'four_eyes_approve',
  // Approving (or returning) an STR someone else drafted, and filing it with the FIU.
  'str_approve',
  // A customer's national id in full on their profile (others see it masked: birth date part only).
  'customer_national_id',
  // Staff administration: list staff, disable and enable, reset the authenticator, change role (admins).
  'staff_admin',
] as const;
export const permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof permission>;

const totp = z.string().regex(/^\d{6}$/);
const enrolmentToken = z.string().min(20).max(100);

/** `POST /api/staff/login`. */
export const staffLoginRequest = z.object({ email: z.string().email().max(254), password: z.string().min(1).max(256), totp });

/** `GET /api/staff/me`: who is signed in and what they may use. */
export const staffMe = z.object({ id: z.string(), email: z.string(), name: z.string(), role: staffRole, permissions: z.array(permission) });
export type StaffMe = z.infer<typeof staffMe>;

export const enrolmentParams = z.object({ token: enrolmentToken });

/** `GET /api/staff/enrolment/:token`: the account an enrolment link sets up. */
export const enrolment = z.object({
  email: z.string(),
  name: z.string(),
  role: staffRole,
  totpSecret: z.string().describe('Base32, for typing into an authenticator app'),
  otpauthUri: z.string(),
});
export type Enrolment = z.infer<typeof enrolment>;

/** `POST /api/staff/enrolment`: the password, and a first code proving the authenticator app works. */
export const completeEnrolmentRequest = z.object({ token: enrolmentToken, password: z.string().max(256), totp });

// Staff administration (issue 16): admins list staff, disable and enable them, reset their
// authenticator (the member enrols again from a new link) and change their role. Every change is
// audited; an admin cannot do any of it to themselves (STAFF_SELF_CHANGE), and Drop keeps one
// active admin (LAST_ADMIN).

export const staffMemberParams = z.object({ staffId: idSchema('stf') });

export const STAFF_STATES = ['active', 'invited', 'locked', 'disabled'] as const;

/** `GET /api/staff/members`: every staff account, admins first. */
export const staffMember = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: staffRole,
  state: z.enum(STAFF_STATES).describe('invited: enrolment not completed (new, or after a reset); locked: too many failed sign-ins'),
  enrolledAt: z.string().nullable(),
  disabledAt: z.string().nullable(),
  lastSignInAt: z.string().nullable(),
  liveSessions: z.number().int(),
  createdAt: z.string(),
});
export type StaffMember = z.infer<typeof staffMember>;

/** Disabling and enabling: why, in the admin's words (kept in the audit event). */
export const staffChangeRequest = z.object({ reason: z.string().trim().min(3).max(500) });
export const staffRoleRequest = staffChangeRequest.extend({ role: staffRole });

/** The account after a change; after a TOTP reset, the new enrolment link's token (72 hours) to hand over. */
export const staffMemberChanged = z.object({
  member: staffMember,
  sessionsEnded: z.number().int(),
  enrolmentToken: z.string().nullable(),
});
export type StaffMemberChanged = z.infer<typeof staffMemberChanged>;
