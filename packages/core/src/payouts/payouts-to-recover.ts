import type { DbClient } from '@drop/db';
import { SEPA_PARTNER } from './sepa-rail.ts';

/**
 * Payouts a crash left in 'sending' for longer than `olderThanSeconds`: the recovery job resends
 * them. Only `partner`'s when given; never the SEPA rail's, whose 'sending' payouts are waiting for
 * the next file, not lost.
 */
export async function payoutsToRecover(
  db: DbClient,
  input: { olderThanSeconds: number; limit: number; partner?: string | undefined },
): Promise<string[]> {
  const { rows } = await db.query<{ transaction_id: string }>(
    `SELECT p.transaction_id FROM payouts p JOIN transactions t ON t.id = p.transaction_id
      WHERE p.state = 'sending' AND p.created_at < now() - make_interval(secs => $1)
        AND p.partner <> $3 AND ($4::text IS NULL OR p.partner = $4) AND t.status <> 'held'
      ORDER BY p.created_at LIMIT $2`,
    [input.olderThanSeconds, input.limit, SEPA_PARTNER, input.partner ?? null],
  );
  return rows.map((row) => row.transaction_id);
}
