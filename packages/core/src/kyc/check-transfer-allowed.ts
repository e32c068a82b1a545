import type { DbClient } from '@drop/db';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { EDD_THRESHOLD_ORE, type KycTier, type TierLimits } from './tiers.ts';

export interface SpendingSoFar {
  thirtyDaysOre: bigint;
  twelveMonthsOre: bigint;
}

/**
 * What counts against the customer's limits: the per-day sums the database keeps (table
 * user_spending_days, maintained by trigger; cancelled, failed and refunded transfers give their
 * amount back). The same sums the transfer path checks.
 */
export async function spendingSoFar(db: DbClient, userId: string): Promise<SpendingSoFar> {
  const { rows } = await db.query<{ thirty: string; twelve: string }>(
    `SELECT coalesce(sum(amount_minor) FILTER (WHERE day > (now() AT TIME ZONE 'UTC')::date - 30), 0)::text AS thirty,
            coalesce(sum(amount_minor), 0)::text AS twelve
       FROM user_spending_days WHERE user_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - 365`,
    [userId],
  );
  return { thirtyDaysOre: BigInt(rows[0]?.thirty ?? '0'), twelveMonthsOre: BigInt(rows[0]?.twelve ?? '0') };
}

/** The six limits in the order the SQL function check_transfer_limits takes them. */
export function limitsArray(limits: Record<KycTier, TierLimits>): string[] {
  return [1, 2].flatMap((tier) => {
    const l = limits[tier as KycTier];
    return [l.perTransferOre, l.thirtyDaysOre, l.twelveMonthsOre].map(String);
  });
}

/**
 * The question the transfer path asks, inside the transaction that creates the transfer: may this
 * customer send this amount now? It locks the customer's row first, so two concurrent transfers
 * cannot both pass a limit that only one fits under (never check a limit outside the transaction
 * that spends it). The limits themselves are checked by the SQL function check_transfer_limits,
 * the one the database's create_transfer uses too.
 */
export async function checkTransferAllowed(
  tx: DbClient,
  input: { userId: string; amountOre: bigint; limits: Record<KycTier, TierLimits> },
): Promise<void> {
  const { rows } = await tx.query<{ kyc_status: string; kyc_tier: KycTier; deleted: boolean; edd: boolean }>(
    `SELECT kyc_status, kyc_tier, deleted_at IS NOT NULL AS deleted, source_of_funds_declared_at IS NOT NULL AS edd
       FROM users WHERE id = $1 FOR NO KEY UPDATE`,
    [input.userId],
  );
  const user = rows[0];
  if (!user || user.deleted) throw new DomainError('NOT_FOUND', 'No such customer.');
  if (user.kyc_status !== 'approved')
    throw new DomainError('KYC_REQUIRED', 'Verify your identity before sending money.', { kycStatus: user.kyc_status });
  if (input.amountOre <= 0n) throw new DomainError('VALIDATION_FAILED', 'The amount must be positive.');
  await mappingDomainErrors(() =>
    tx.query('SELECT check_transfer_limits($1, $2::smallint, $3, $4, $5::bigint[], $6)', [
      input.userId,
      user.kyc_tier,
      user.edd,
      input.amountOre.toString(),
      limitsArray(input.limits),
      EDD_THRESHOLD_ORE.toString(),
    ]),
  );
}
