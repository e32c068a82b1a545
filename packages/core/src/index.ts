export { assignAmlAlert } from './aml/alerts/assign-aml-alert.ts';
export { closeAmlAlert } from './aml/alerts/close-aml-alert.ts';
export { commentAmlAlert } from './aml/alerts/comment-aml-alert.ts';
export { getAmlAlert } from './aml/alerts/get-aml-alert.ts';
export { listAmlAlerts } from './aml/alerts/list-aml-alerts.ts';
export * from './aml/cases/index.ts';
export { holdIfCustomerBlocked } from './aml/containment/hold-if-customer-blocked.ts';
export * from './aml/lists/index.ts';
export { amlMonitoringEnabled, listAmlRules, pruneAmlAggregates, setAmlMonitoring, updateAmlRule } from './aml/rules/index.ts';
export * from './aml/screening/index.ts';
export * from './aml/str-exports/index.ts';
export * from './aml/strs/index.ts';
export {
  type AuditCheckpoint,
  type AuditCheckpointing,
  type AuditCheckpointStore,
  checkpointObjectName,
  checkpointPublicKey,
  checkpointSignatureValid,
  checkpointSigningKey,
  keyIdOf,
  parseCheckpoint,
  signCheckpoint,
} from './audit/checkpoints/audit-checkpoint.ts';
export { type CheckpointProblem, type CheckpointReport, checkAuditCheckpoints } from './audit/checkpoints/check-audit-checkpoints.ts';
export { directoryCheckpointStore } from './audit/checkpoints/checkpoint-directory.ts';
export { type WrittenCheckpoint, writeAuditCheckpoint } from './audit/checkpoints/write-audit-checkpoint.ts';
export { type AuditEvent, recordAuditEvent } from './audit/record-audit-event.ts';
export { type AuditChainReport, verifyAuditChain } from './audit/verify-audit-chain.ts';
export { addCustomerNote } from './back-office/add-customer-note.ts';
export { listKycQueue, recentAuditLog, searchCustomers } from './back-office/back-office-views.ts';
export { getCustomerProfile, maskNationalId } from './back-office/get-customer-profile.ts';
export {
  getTransferForStaff,
  type LedgerBalance,
  type LedgerPurpose,
  ledgerBalances,
  listTransfersForStaff,
  type StaffLedgerAccount,
  type StaffPosting,
  type StaffTimelineEvent,
  type StaffTransferDetail,
  type StaffTransferList,
  type StaffTransferRow,
  TRANSFER_LIST_CAP,
  TRANSFER_LIST_VIEWS,
  type TransferListView,
} from './back-office/transfer-views.ts';
export { domainErrorFromDatabase, mappingDomainErrors } from './database-errors.ts';
export { type DemoSeedResult, seedDemoData } from './demo/seed-demo-data.ts';
export { cancelEmailChange } from './email/cancel-email-change.ts';
export { createEmailCodeHasher, EMAIL_CODE_RULES, type EmailCodeHasher, newEmailCode } from './email/email-codes.ts';
export { maskEmail, renderEmailCode, renderEmailReplaced } from './email/email-messages.ts';
export { type EmailSettingsView, getEmailSettings } from './email/get-email-settings.ts';
export { requestEmailChange } from './email/request-email-change.ts';
export { resendEmailCode } from './email/resend-email-code.ts';
export { setNotificationPreferences } from './email/set-notification-preferences.ts';
export { verifyEmail } from './email/verify-email.ts';
export { DomainError, ERROR_CODES, type ErrorCode } from './errors.ts';
export { decideFourEyes } from './four-eyes/decide-four-eyes.ts';
export { executeFourEyesRequestIn } from './four-eyes/execute-four-eyes-request.ts';
export { fourEyesRequestById } from './four-eyes/four-eyes-request-row.ts';
export { listFourEyesRequests } from './four-eyes/list-four-eyes-requests.ts';
export { proposeFourEyes } from './four-eyes/propose-four-eyes.ts';
export { withdrawFourEyes } from './four-eyes/withdraw-four-eyes.ts';
export { checkHealth, type HealthReport } from './health/check-health.ts';
export { ADULT_AGE, ageOn, birthdateFromNationalId } from './identity/age.ts';
export { type AuthAttempt, consumeAuthAttempt, createAuthAttempt } from './identity/auth-attempts.ts';
export {
  type AuthenticatedCustomer,
  authenticateSession,
  recordSessionRefused,
  type SessionRefusal,
  type SessionToCheck,
} from './identity/authenticate-session.ts';
export { listSessions, revokeSessions, type SessionView } from './identity/manage-sessions.ts';
export { createNationalIdProtector, isValidNationalId, type NationalIdProtector } from './identity/national-id.ts';
export {
  type CustomerSessionsRevoked,
  revokeCustomerSessionsAsOperator,
  type SessionRevocationTarget,
} from './identity/revoke-customer-sessions.ts';
export {
  DEFAULT_ROTATION_PERIOD_DAYS,
  ROTATION_PERIOD_DAYS,
  type SecretRotationStatus,
  secretRotationStatus,
} from './identity/secret-rotation-status.ts';
export {
  type KeyRing,
  keyRingFromSecret,
  SESSION_AUDIENCE,
  SESSION_TOKEN_TYPE,
  signSessionToken,
  verifySessionToken,
} from './identity/session-tokens.ts';
export { setCustomerLanguage } from './identity/set-customer-language.ts';
export { type BankIdIdentity, type SignInResult, signInWithBankId } from './identity/sign-in-with-bankid.ts';
export { DatabaseKeyRing, type RotationResult, rotateSigningKey } from './identity/signing-keys.ts';
// Breach handling (issue 14): who an incident touched, and the notices to Datatilsynet and customers.
export {
  type AffectedUser,
  type AffectedUsersCriteria,
  type AffectedUsersReport,
  affectedUsersReportSchema,
  CUSTOMER_SESSION_EXPOSES,
  DATA_CATEGORIES,
  type DataCategory,
  listAffectedUsers,
} from './incidents/list-affected-users.ts';
export {
  assertNothingAmlIn,
  blanksIn,
  customerFacingCategories,
  DATATILSYNET_DEADLINE_HOURS,
  datatilsynetDeadline,
  type NoticeLanguage,
  renderCustomerNotice,
  renderDatatilsynetNotice,
} from './incidents/render-breach-notice.ts';
export {
  type SendCustomerBreachNoticesResult,
  sendCustomerBreachNotices,
} from './incidents/send-customer-breach-notices.ts';
export { JOBS, type JobDefinition, queueJob, readJobPayload } from './jobs.ts';
export { applyKycReview, type CustomerScreening, type KycStatus } from './kyc/apply-kyc-review.ts';
export { declareSourceOfFunds } from './kyc/declare-source-of-funds.ts';
export { handleKycEvent, type KycEvent, type KycEventOutcome } from './kyc/handle-kyc-event.ts';
export { kycOverview } from './kyc/kyc-overview.ts';
export type { KycApplicantReview, KycProvider } from './kyc/kyc-provider.ts';
export { kycHistory, recordManualKycDecision } from './kyc/record-manual-decision.ts';
export { startVerification } from './kyc/start-verification.ts';
export { DEFAULT_TIER_LIMITS, EDD_THRESHOLD_ORE, type KycTier, type TierLimits, tierLimitsFromJson } from './kyc/tiers.ts';
export {
  type PayoutPartnerStatusSource,
  RECONCILIATION_CHECKS,
  type ReconcileOptions,
  type ReconciliationCheck,
  type ReconciliationCount,
  type ReconciliationDifference,
  type ReconciliationReport,
  reconcileLedger,
} from './ledger/reconcile-ledger.ts';
export { rollupLedger } from './ledger/rollup-ledger.ts';
export { type LedgerReport, type LedgerViolation, verifyLedger } from './ledger/verify-ledger.ts';
export { type AmountProblem, formatAmount, MAX_AMOUNT_MINOR, parseAmount } from './money/amount.ts';
export { CURRENCIES, type CurrencyCode, type CurrencyInfo, currencyDecimals, isCurrencyCode } from './money/currencies.ts';
export {
  type CustomerLocale,
  countryName,
  formatMoney,
  formatOsloDateTime,
  formatRate,
  type MoneyText,
  maskAccountNumber,
  maskAccountNumbersIn,
} from './notifications/customer-formatting.ts';
export type { Mailer, OutgoingMail } from './notifications/mailer.ts';
export { sendTransferEmail } from './notifications/send-transfer-email.ts';
export {
  type RenderedEmail,
  renderTransferEmail,
  type TransferEmailData,
  type TransferEmailKind,
} from './notifications/transfer-emails.ts';
export {
  type BackupEntry,
  type BackupFile,
  type BackupHold,
  type BackupKind,
  type BackupManifest,
  type BackupVerification,
  type LastTransaction,
  type LogicalTable,
  latestRestoreVerification,
  listBackups,
  listRestoreVerifications,
  type RestoreVerification,
  recordRestoreVerification,
  setBackupHold,
} from './ops/backup/catalog.ts';
export { type CreateBackupOptions, type CreateBackupResult, createBackup } from './ops/backup/create-backup.ts';
export { type PruneBackupsOptions, type PruneResult, pruneBackups } from './ops/backup/prune-backups.ts';
export { BackupError, findBackup, verifyBackupFiles } from './ops/backup/repository.ts';
export { chooseBackup, type RestoreBackupOptions, type RestoredDatabase, restoreBackup } from './ops/backup/restore-backup.ts';
export { type DatabaseVerification, type VerifyCheck, type VerifyDatabaseOptions, verifyDatabase } from './ops/backup/verify-database.ts';
export type { StorageSettings } from './ops/checks/checks.ts';
export {
  CHECKLISTS,
  type ChecksContext,
  checksContext,
  checksSummaryAlert,
  formatChecksReport,
  type OpsChecksSettings,
  runChecks,
} from './ops/checks/run-checks.ts';
export { type CredentialStore, fileCredentialStore } from './ops/db-credentials/credential-store.ts';
export {
  type DbPasswordRotation,
  DbPasswordRotationError,
  partnerRole,
  rotateDatabasePassword,
} from './ops/db-credentials/rotate-db-password.ts';
// Issue 15: the DR drill.
export { renderDrillReport } from './ops/dr/render-drill-report.ts';
export {
  DRILL_REPORTS_FOLDER,
  DRILL_TARGETS,
  type DrillReport,
  type DrillRun,
  type RunDrillOptions,
  type RunningDropOnRestore,
  runDrill,
} from './ops/dr/run-drill.ts';
export { ErrorRateMonitor } from './ops/error-rate-monitor.ts';
export { HealthMonitor } from './ops/health-monitor.ts';
// Issue 15: selective restore (DR scenario 3).
export {
  type ApplyOptions,
  applyRows,
  type RestoreAction,
  type RestorePlan,
} from './ops/selective-restore/apply-rows.ts';
export { type ChangedRow, diffRows, type RowDiff, type RowSelection } from './ops/selective-restore/diff-rows.ts';
export { NEVER_APPLIED, TABLE_RULES, type TableRule } from './ops/selective-restore/table-rules.ts';
export { computeSlaReport, type ErrorSpikeRule, monthBounds, p99OfHistogram } from './ops/sla/compute-sla-report.ts';
export { latencyBucketOf, newInstanceId, SlaRecorder } from './ops/sla/sla-recorder.ts';
export { type AcceptRequoteInput, acceptRequote } from './payments/accept-requote.ts';
export { type BankEntry, type BankFile, type BankReport, norwegianAccountOf } from './payments/bank-file.ts';
export { BankFileError, type BankFileParser } from './payments/bank-file-parser.ts';
export { type BankExceptionRow, type BankFileRow, bankExceptionTotals, listBankExceptions, listBankFiles } from './payments/bank-views.ts';
export { type FundingOutcome, fundTransferIn } from './payments/fund-transfer.ts';
export {
  type BankImportSummary,
  type ExceptionReason,
  type ImportBankFileInput,
  importBankFile,
  kidOf,
} from './payments/import-bank-file.ts';
export { type ImportBankStatementInput, importBankStatement } from './payments/import-bank-statement.ts';
export {
  isValidKid,
  type KidFormat,
  type KidMethod,
  type KidProblem,
  kidFormatProblem,
  kidFromNumber,
  kidProblem,
  normaliseKid,
} from './payments/kid.ts';
export { type KidSource, SequenceKidAllocator } from './payments/kid-allocator.ts';
export { type LatePayment, latePaymentFor } from './payments/late-payment.ts';
export { type MatchBankEntryInput, matchBankEntryByHand, matchBankEntryIn } from './payments/match-bank-entry.ts';
export { type RefundBankEntryInput, refundBankEntry, refundBankEntryIn } from './payments/refund-bank-entry.ts';
export { refundLatePayment } from './payments/refund-late-payment.ts';
export { requoteLatePayment } from './payments/requote-late-payment.ts';
export {
  applyPayoutEvent,
  type PayoutEventOutcome,
} from './payouts/apply-payout-event.ts';
export { applySepaStatementEntry, type SepaStatementMatch } from './payouts/apply-sepa-statement-entry.ts';
export {
  type ExportSepaPayoutsInput,
  exportSepaPayouts,
  type SepaCreditTransfer,
  type SepaCreditTransferBatch,
  type SepaDebtor,
  type SepaFileWriter,
  type SepaPayoutFile,
} from './payouts/export-sepa-payouts.ts';
export {
  type PayoutOrder,
  type PayoutPartner,
  PayoutPartnerError,
  type PayoutPartnerEvent,
  type PayoutPartnerState,
  type PayoutSubmission,
  WebhookSignatureError,
} from './payouts/payout-partner.ts';
export { payoutsToRecover } from './payouts/payouts-to-recover.ts';
export { type SendPayoutOutcome, sendPayout } from './payouts/send-payout.ts';
export { getSepaPayoutFile, listSepaPayoutFiles, type SepaPayoutFileRow } from './payouts/sepa-payout-files.ts';
export { SEPA_PARTNER, type SepaPayoutsRail, sepaCanPay, sepaEndToEndId } from './payouts/sepa-rail.ts';
export { queueAfterFunding, type StartPayoutOutcome, startPayout, startPayoutIn } from './payouts/start-payout.ts';
export {
  type Corridor,
  corridorsFromJson,
  DEFAULT_CORRIDORS,
  type FeeSchedule,
  findCorridor,
  type PayoutRail,
} from './pricing/corridors.ts';
export { feeFor, type PricedQuote, type PriceQuoteInput, priceQuote, RATE_DECIMALS } from './pricing/price-quote.ts';
// Erasure and retention (issue 14): restrict at once, erase when the retention period ends.
export { applyRetention, lastRetentionRun, retentionStatus } from './privacy/apply-retention.ts';
export {
  getCustomerDataRequest,
  listCustomerDataRequests,
  listStaffDataRequests,
  recordDataRequestStatus,
  recordStaffDataRequest,
} from './privacy/data-requests.ts';
// Privacy (issue 14 extends it): the customer's data export, without anything § 26 withholds.
export { CUSTOMER_VISIBLE_AUDIT_ACTIONS, exportCustomerData } from './privacy/export-customer-data.ts';
export { streamDataExportZip } from './privacy/export-zip.ts';
export { type RequestErasureInput, requestErasure } from './privacy/request-erasure.ts';
export { type CreateQuoteInput, createQuote, getQuote, QUOTE_INSERT_SQL, type QuoteJson } from './quotes/create-quote.ts';
export { type PreviewQuoteInput, previewQuote } from './quotes/preview-quote.ts';
export {
  RateBook,
  type RateBookOptions,
  type RateSource,
  type ReferenceRate,
  type ReferenceRateSet,
} from './rates/rate-book.ts';
export { buildReceipt, type Company } from './receipts/build-receipt.ts';
export { type ReceiptData, renderReceiptPdf } from './receipts/render-receipt.ts';
export { editRecipient } from './recipients/edit-recipient.ts';
export {
  addRecipient,
  listRecipients,
  type RecipientJson,
  type RecipientScreening,
  removeRecipient,
} from './recipients/manage-recipients.ts';
export { RECIPIENT_BUSY_STATUSES } from './recipients/recipient-in-use.ts';
export {
  type FieldRule,
  isRecipientCountry,
  type LocalisedText,
  RECIPIENT_COUNTRIES,
  RECIPIENT_RULES,
  type RecipientCountry,
  type RecipientRail,
  type RecipientRule,
} from './recipients/recipient-rules.ts';
export {
  MOBILE_MONEY_PROVIDERS,
  RELATIONSHIPS,
  type RecipientInput,
  type RecipientRefusalReason,
  type Relationship,
  US_ACCOUNT_TYPES,
  type ValidRecipient,
  validateRecipient,
} from './recipients/validate-recipient.ts';
export { changeStaffRole } from './staff/change-staff-role.ts';
export { createStaffMember } from './staff/create-staff-member.ts';
export { disableStaffMember } from './staff/disable-staff-member.ts';
export { enableStaffMember } from './staff/enable-staff-member.ts';
export { completeEnrolment, type EnrolmentView, getEnrolment } from './staff/enrol-staff-member.ts';
export { hashPassword, passwordProblem, verifyPassword } from './staff/password.ts';
export { resetStaffTotp } from './staff/reset-staff-totp.ts';
export { PERMISSIONS, type Permission, permissionsOf, STAFF_ROLES, type StaffRole } from './staff/roles.ts';
export { staffActingAs } from './staff/staff-acting-as.ts';
export { listStaffMembers, staffMemberById } from './staff/staff-members.ts';
export {
  type AuthenticatedStaff,
  authenticateStaffSession,
  MAX_FAILED_ATTEMPTS,
  type StaffSignIn,
  signInStaff,
  signOutStaff,
} from './staff/staff-sign-in.ts';
export { acceptedStep, newTotpSecret, totpFor } from './staff/totp.ts';
export { type CancelOutcome, cancelTransfer } from './transfers/cancel-transfer.ts';
export { confirmCustomerRefund, confirmCustomerRefundIn } from './transfers/confirm-customer-refund.ts';
export {
  type BeforeTransferCommit,
  CREATE_TRANSFER_SQL,
  type CreateTransferInput,
  type CreateTransferResult,
  createTransfer,
  createTransferIn,
  limitsArray,
  type NewTransfer,
  type TransferRequest,
} from './transfers/create-transfer.ts';
export { holdTransfer } from './transfers/hold-transfer.ts';
export { pruneIdempotencyKeys } from './transfers/prune-idempotency-keys.ts';
export { ledgerMovementFor, STEPS_TO_STATUS, TRANSFER_STATUSES, type TransferStatus } from './transfers/transfer-status.ts';
export {
  getTransfer,
  listTransfers,
  listTransfersWithTimelines,
  type TransferEvent,
  type TransferJson,
} from './transfers/transfer-views.ts';
export { type TransitionInput, transitionTransfer, transitionTransferIn } from './transfers/transition-transfer.ts';
