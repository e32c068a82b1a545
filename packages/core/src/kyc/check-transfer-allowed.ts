import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';
import { EDD_THRESHOLD_ORE, type KycTier, type TierLimits } from './tiers.ts';

// Transfers that count against limits: everything except those that never moved money.
const COUNTED = `status NOT IN ('cancelled', 'failed', 'refunded')`;

export interface SpendingSoFar {
  thirtyDaysOre: bigint;
  twelveMonthsOre: bigint;
}

export async function spendingSoFar(db: DbClient, userId: string): Promise<SpendingSoFar> {
  const { rows } = await db.query<{ thirty: string; twelve: string }>(
    `SELECT coalesce(sum(send_amount_minor) FILTER (WHERE created_at > now() - interval '30 days'), 0)::text AS thirty,
            coalesce(sum(send_amount_minor), 0)::text AS twelve
       FROM transactions WHERE user_id = $1 AND type = 'transfer' AND ${COUNTED} AND created_at > now() - interval '12 months'`,
    [userId],
  );
  return { thirtyDaysOre: BigInt(rows[0]?.thirty ?? '0'), twelveMonthsOre: BigInt(rows[0]?.twelve ?? '0') };
}

/**
 * The question the transfer path asks, inside the transaction that creates the transfer: may this
 * customer send this amount now? It locks the customer's row first, so two concurrent transfers
 * cannot both pass a limit that only one fits under (never check a limit outside the transaction
 * that spends it). Only approved customers send; a downgrade takes effect on the next call.
 */
export async function checkTransferAllowed(
  tx: DbClient,
  input: { userId: string; amountOre: bigint; limits: Record<KycTier, TierLimits> },
): Promise<void> {
  const { rows } = await tx.query<{ kyc_status: string; kyc_tier: KycTier; deleted: boolean; edd: boolean }>(
    `SELECT kyc_status, kyc_tier, deleted_at IS NOT NULL AS deleted, source_of_funds_declared_at IS NOT NULL AS edd
       FROM users WHERE id = $1 FOR UPDATE`,
    [input.userId],
  );
  const user = rows[0];
  if (!user || user.deleted) throw new DomainError('NOT_FOUND', 'No such customer.');
  if (user.kyc_status !== 'approved')
    throw new DomainError('KYC_REQUIRED', 'Verify your identity before sending money.', { kycStatus: user.kyc_status });
  if (input.amountOre <= 0n) throw new DomainError('VALIDATION_FAILED', 'The amount must be positive.');
  const limits = input.limits[user.kyc_tier];
  const spent = await spendingSoFar(tx, input.userId);
  const exceeded = (name: string, limitOre: bigint, usedOre: bigint) => {
    throw new DomainError('LIMIT_EXCEEDED', `This transfer would exceed your ${name} limit.`, {
      limit: name,
      limitNok: (limitOre / 100n).toString(),
      availableNok: ((limitOre > usedOre ? limitOre - usedOre : 0n) / 100n).toString(),
    });
  };
  if (input.amountOre > limits.perTransferOre) exceeded('per-transfer', limits.perTransferOre, 0n);
  if (spent.thirtyDaysOre + input.amountOre > limits.thirtyDaysOre) exceeded('30-day', limits.thirtyDaysOre, spent.thirtyDaysOre);
  if (spent.twelveMonthsOre + input.amountOre > limits.twelveMonthsOre) exceeded('12-month', limits.twelveMonthsOre, spent.twelveMonthsOre);
  if (!user.edd && spent.twelveMonthsOre + input.amountOre >= EDD_THRESHOLD_ORE) {
    throw new DomainError('EDD_REQUIRED', 'Tell us where the money comes from before sending this much.', {
      thresholdNok: (EDD_THRESHOLD_ORE / 100n).toString(),
    });
  }
}
