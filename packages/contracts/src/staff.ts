/** Staff: roles, permissions, sign-in, enrolment and the signed-in staff member. */
import { z } from 'zod';

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
