export { type AuditEvent, recordAuditEvent } from './audit/record-audit-event.ts';
export { type AuditChainReport, verifyAuditChain } from './audit/verify-audit-chain.ts';
export { type DemoSeedResult, seedDemoData } from './demo/seed-demo-data.ts';
export { DomainError, ERROR_CODES, type ErrorCode } from './errors.ts';
export { checkHealth, type HealthReport } from './health/check-health.ts';
export { ErrorRateMonitor } from './ops/error-rate-monitor.ts';
export { HealthMonitor } from './ops/health-monitor.ts';
