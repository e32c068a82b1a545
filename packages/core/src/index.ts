export { type AuditEvent, recordAuditEvent } from './audit/record-audit-event.ts';
export { type AuditChainReport, verifyAuditChain } from './audit/verify-audit-chain.ts';
export { listKycQueue, listOpenAlerts, recentAuditLog, searchCustomers } from './back-office/back-office-views.ts';
export { type DemoSeedResult, seedDemoData } from './demo/seed-demo-data.ts';
export { DomainError, ERROR_CODES, type ErrorCode } from './errors.ts';
export { checkHealth, type HealthReport } from './health/check-health.ts';
export { type AuthAttempt, consumeAuthAttempt, createAuthAttempt } from './identity/auth-attempts.ts';
export {
  type AuthenticatedCustomer,
  authenticateSession,
  recordSessionRefused,
  type SessionRefusal,
} from './identity/authenticate-session.ts';
export { listSessions, revokeSessions, type SessionView } from './identity/manage-sessions.ts';
export { createNationalIdProtector, isValidNationalId, type NationalIdProtector } from './identity/national-id.ts';
export {
  type KeyRing,
  keyRingFromSecret,
  SESSION_AUDIENCE,
  SESSION_TOKEN_TYPE,
  signSessionToken,
  verifySessionToken,
} from './identity/session-tokens.ts';
export { type BankIdIdentity, levelOfAssurance, type SignInResult, signInWithBankId } from './identity/sign-in-with-bankid.ts';
export { DatabaseKeyRing, type RotationResult, rotateSigningKey } from './identity/signing-keys.ts';
export { applyKycReview, type KycStatus, statusForReview } from './kyc/apply-kyc-review.ts';
export { checkTransferAllowed, spendingSoFar } from './kyc/check-transfer-allowed.ts';
export { declareSourceOfFunds } from './kyc/declare-source-of-funds.ts';
export { handleKycEvent, type KycEvent, type KycEventOutcome } from './kyc/handle-kyc-event.ts';
export { kycOverview } from './kyc/kyc-overview.ts';
export type { KycApplicantReview, KycProvider } from './kyc/kyc-provider.ts';
export { kycHistory, REJECT_AT_PROVIDER_TASK, recordManualKycDecision } from './kyc/record-manual-decision.ts';
export { startVerification } from './kyc/start-verification.ts';
export { DEFAULT_TIER_LIMITS, EDD_THRESHOLD_ORE, type KycTier, type TierLimits, tierLimitsFromJson } from './kyc/tiers.ts';
export { ErrorRateMonitor } from './ops/error-rate-monitor.ts';
export { HealthMonitor } from './ops/health-monitor.ts';
export { createStaffMember } from './staff/create-staff-member.ts';
export { completeEnrolment, type EnrolmentView, getEnrolment } from './staff/enrol-staff-member.ts';
export { hashPassword, passwordProblem, verifyPassword } from './staff/password.ts';
export { PERMISSIONS, type Permission, permissionsOf, rolesWith, STAFF_ROLES, type StaffRole } from './staff/roles.ts';
export {
  type AuthenticatedStaff,
  authenticateStaffSession,
  MAX_FAILED_ATTEMPTS,
  type StaffSignIn,
  signInStaff,
  signOutStaff,
} from './staff/staff-sign-in.ts';
export { acceptedStep, newTotpSecret, totpFor } from './staff/totp.ts';
