import type { DbClient } from '@drop/db';
import type { KycStatus } from './apply-kyc-review.ts';
import type { KycTier, TierLimits } from './tiers.ts';

/**
 * What counts against the customer's limits: the per-day sums the database keeps (table
 * user_spending_days, maintained by trigger; cancelled, failed and refunded transfers give their
 * amount back). The same sums create_transfer checks.
 */
async function spendingSoFar(db: DbClient, userId: string): Promise<{ thirtyDaysOre: bigint; twelveMonthsOre: bigint }> {
  const { rows } = await db.query<{ thirty: string; twelve: string }>(
    `SELECT coalesce(sum(amount_minor) FILTER (WHERE day > (now() AT TIME ZONE 'UTC')::date - 30), 0)::text AS thirty,
            coalesce(sum(amount_minor), 0)::text AS twelve
       FROM user_spending_days WHERE user_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - 365`,
    [userId],
  );
  return { thirtyDaysOre: BigInt(rows[0]?.thirty ?? '0'), twelveMonthsOre: BigInt(rows[0]?.twelve ?? '0') };
}

/** What the customer sees about their verification and their limits. */
export async function kycOverview(db: DbClient, input: { userId: string; limits: Record<KycTier, TierLimits> }) {
  const { rows } = await db.query<{
    kyc_status: KycStatus;
    kyc_tier: KycTier;
    reject_type: 'FINAL' | 'RETRY' | null;
    moderation_comment: string | null;
    edd: boolean;
    edd_requested: boolean;
  }>(
    `SELECT u.kyc_status, u.kyc_tier, a.reject_type, a.moderation_comment, u.source_of_funds_declared_at IS NOT NULL AS edd,
            u.edd_required_at IS NOT NULL AND u.source_of_funds_declared_at IS NULL AS edd_requested
       FROM users u LEFT JOIN kyc_applicants a ON a.user_id = u.id WHERE u.id = $1`,
    [input.userId],
  );
  const row = rows[0];
  if (!row) throw new Error('no such user');
  const limits = input.limits[row.kyc_tier];
  const spent = await spendingSoFar(db, input.userId);
  const nok = (ore: bigint) => (ore / 100n).toString();
  return {
    status: row.kyc_status,
    tier: row.kyc_tier,
    canSend: row.kyc_status === 'approved',
    rejectType: row.reject_type,
    // The provider's comment meant for the customer (never its internal clientComment).
    message: row.kyc_status === 'retry' || row.kyc_status === 'rejected' ? row.moderation_comment : null,
    sourceOfFundsDeclared: row.edd,
    // Asked of some customers after screening (a PEP: hvitvaskingsloven § 18); never says why (§ 26).
    sourceOfFundsRequested: row.edd_requested,
    limitsNok: {
      perTransfer: nok(limits.perTransferOre),
      thirtyDays: nok(limits.thirtyDaysOre),
      twelveMonths: nok(limits.twelveMonthsOre),
    },
    usedNok: { thirtyDays: nok(spent.thirtyDaysOre), twelveMonths: nok(spent.twelveMonthsOre) },
  };
}
