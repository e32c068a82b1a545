import { type DbClient, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';

/**
 * Enhanced due diligence: the customer says where the money they send comes from. An approved
 * customer who has answered moves to tier 2 (higher limits); the answer is kept for compliance.
 * Whether the answer is plausible is a compliance decision (alerts and case work, a later issue).
 */
export async function declareSourceOfFunds(db: DbClient, input: { userId: string; source: string }): Promise<{ tier: number }> {
  const source = input.source.trim();
  if (source.length < 10) throw new DomainError('VALIDATION_FAILED', 'Describe where the money comes from (at least a few words).');
  return withTransaction(db, async (tx) => {
    await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.userId]);
    const { rows } = await tx.query<{ kyc_tier: number }>(
      `UPDATE users SET source_of_funds = $2, source_of_funds_declared_at = now(),
                        kyc_tier = CASE WHEN kyc_status = 'approved' THEN 2 ELSE kyc_tier END
        WHERE id = $1 AND deleted_at IS NULL RETURNING kyc_tier`,
      [input.userId, source],
    );
    if (!rows[0]) throw new DomainError('NOT_FOUND', 'No such customer.');
    await recordAuditEvent(tx, {
      action: 'source_of_funds_declared',
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.userId,
      details: { tier: rows[0].kyc_tier, length: source.length },
    });
    return { tier: rows[0].kyc_tier };
  });
}
