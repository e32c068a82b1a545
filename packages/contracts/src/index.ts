/**
 * Drop's API contract: the one definition of every request and response shape, enum and id
 * pattern. The API validates and serialises with these schemas (and generates its OpenAPI from
 * them), core takes its output types from them, and the web apps parse answers with them, so a
 * drift between server and client is a type error. Browser-safe: depends only on zod.
 */
// First, before any schema is built: see jitless.ts.
import './jitless.ts';

export * from './aml.ts';
export * from './aml-rules.ts';
export * from './approvals.ts';
export * from './audit.ts';
export * from './back-office.ts';
export * from './backup.ts';
export * from './cases.ts';
export * from './company.ts';
export * from './customer-profile.ts';
export * from './display.ts';
export * from './email.ts';
export * from './envelope.ts';
export * from './erasure.ts';
export * from './errors.ts';
export * from './health.ts';
export * from './ids.ts';
export * from './kyc.ts';
export * from './ledger.ts';
export * from './me.ts';
export * from './money.ts';
export * from './ops-checks.ts';
export * from './payments.ts';
export * from './privacy.ts';
export * from './quotes.ts';
export * from './recipients.ts';
export * from './sepa-payouts.ts';
export * from './sla.ts';
export * from './staff.ts';
export * from './staff-transfers.ts';
export * from './strs.ts';
export * from './transfers.ts';
