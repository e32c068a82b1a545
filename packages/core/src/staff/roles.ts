/**
 * Staff roles and what each may use. Every back-office route names the permission it needs;
 * a role has exactly the permissions listed here and nothing else (deny by default).
 */
export const STAFF_ROLES = ['support', 'compliance_officer', 'compliance_lead', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PERMISSIONS = [
  'overview',
  'kyc_queue',
  'kyc_decide',
  'aml_alerts',
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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const BY_ROLE: Record<StaffRole, readonly Permission[]> = {
  support: ['overview', 'customers', 'revoke_customer_sessions', 'data_requests', 'transfers_view', 'payments_view'],
  compliance_officer: ['overview', 'kyc_queue', 'kyc_decide', 'aml_alerts', 'str_reports', 'customers', 'transfers_view'],
  compliance_lead: ['overview', 'kyc_queue', 'kyc_decide', 'aml_alerts', 'str_reports', 'customers', 'data_requests', 'transfers_view'],
  admin: PERMISSIONS,
};

export function permissionsOf(role: StaffRole): readonly Permission[] {
  return BY_ROLE[role];
}
