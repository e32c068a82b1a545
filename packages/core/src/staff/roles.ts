/**
 * What each staff role may use. Every back-office route names the permission it needs; a role
 * has exactly the permissions listed here and nothing else (deny by default). The roles and the
 * permissions themselves are named once, in @drop/contracts.
 */
import { PERMISSIONS, type Permission, type StaffRole } from '@drop/contracts';

export { PERMISSIONS, type Permission, STAFF_ROLES, type StaffRole } from '@drop/contracts';

const BY_ROLE: Record<StaffRole, readonly Permission[]> = {
  support: ['overview', 'customers', 'revoke_customer_sessions', 'data_requests', 'transfers_view', 'payments_view'],
  compliance_officer: [
    'overview',
    'kyc_queue',
    'kyc_decide',
    'aml_alerts',
    'aml_review',
    'str_reports',
    'customers',
    'transfers_view',
    'transfer_hold',
    'customer_national_id',
  ],
  compliance_lead: [
    'overview',
    'kyc_queue',
    'kyc_decide',
    'aml_alerts',
    'aml_review',
    'str_reports',
    'customers',
    'data_requests',
    'transfers_view',
    'transfer_hold',
    'four_eyes_approve',
    'str_approve',
    'customer_national_id',
  ],
  admin: PERMISSIONS,
};

export function permissionsOf(role: StaffRole): readonly Permission[] {
  return BY_ROLE[role];
}
