import type { FastifyRequest } from 'fastify';
import { customerOf } from '../auth/customer-auth.ts';

/**
 * Per-customer limits on the signed-in writes (ASVS 2.4.1, T15). Keyed by the customer's user id,
 * not the client address: every session of one customer shares a budget, and X-Forwarded-For (or a
 * new address) cannot reset it. The check runs in preHandler, after sign-in and validation, so a
 * malformed request does not spend the budget and a refused one reaches no handler (nothing
 * written). Each limit is several times what a person at the keyboard can do; a script hitting one
 * gets 429 RATE_LIMITED with Retry-After.
 */
export const CUSTOMER_RATE_LIMITS = {
  /** A quote per price check in the send flow; the public preview has its own per-address limit. */
  quote: { max: 60, timeWindow: '1 minute' },
  /** Each transfer needs a quote first and a payment after: 30 a minute is far past a person. */
  transfer: { max: 30, timeWindow: '1 minute' },
  /** Adding and changing recipients, each one screened against the sanctions lists. */
  recipient: { max: 20, timeWindow: '1 minute' },
  /** Each start calls the KYC provider for an access token; a retry loop should not. */
  kycStart: { max: 10, timeWindow: '1 minute' },
  /** An export reads every table about the customer: enough to retry a download, not to poll. */
  dataExport: { max: 10, timeWindow: '1 hour' },
} as const;

export type CustomerRateLimit = keyof typeof CUSTOMER_RATE_LIMITS;

/**
 * The route config for one limit. `multiplier` is CUSTOMER_RATE_LIMIT_MULTIPLIER: 1 in production;
 * the benchmark, chaos and fuzz launchers raise it, since their customers create hundreds of
 * transfers a second on purpose.
 */
export function customerRateLimit(name: CustomerRateLimit, multiplier: number) {
  const { max, timeWindow } = CUSTOMER_RATE_LIMITS[name];
  return {
    rateLimit: {
      max: max * multiplier,
      timeWindow,
      hook: 'preHandler' as const,
      keyGenerator: (request: FastifyRequest) => `${name}:${customerOf(request).userId}`,
    },
  };
}
