export { DomainError, type ErrorCode, ERROR_CODES } from './errors.ts';
export { type AuditEvent, recordAuditEvent } from './audit/record-audit-event.ts';
export { type AuditChainReport, verifyAuditChain } from './audit/verify-audit-chain.ts';
export { checkHealth, type HealthReport } from './health/check-health.ts';
export { HealthMonitor } from './ops/health-monitor.ts';
export { ErrorRateMonitor } from './ops/error-rate-monitor.ts';
export { seedDemoData, type DemoSeedResult } from './demo/seed-demo-data.ts';
