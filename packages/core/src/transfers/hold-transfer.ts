import { type DbClient, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import type { TransferStatus } from './transfer-status.ts';
import { transitionTransferIn } from './transition-transfer.ts';

/**
 * Staff hold a transfer whose money has not left Drop, at once and with a reason (one person is
 * enough to stop money; releasing or stopping it needs two: four-eyes/propose-four-eyes.ts).
 * Awaiting funds and funds received can always be held; processing only while the payout is still
 * Drop's to stop (not accepted by the partner, not in a SEPA file), the rule the containment
 * trigger's hold_customer_transfers follows. Anything later → TRANSFER_STATE_INVALID.
 */
export async function holdTransfer(
  db: DbClient,
  input: { transactionId: string; staffId: string; reason: string },
): Promise<{ from: TransferStatus; to: 'held' }> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const { rows } = await tx.query<{ status: TransferStatus; payout_at_partner: boolean }>(
        `SELECT t.status,
                EXISTS (SELECT 1 FROM payouts p WHERE p.transaction_id = t.id AND (p.state <> 'sending' OR p.sepa_file_id IS NOT NULL))
                  AS payout_at_partner
           FROM transactions t WHERE t.id = $1 AND t.type = 'transfer' FOR UPDATE`,
        [input.transactionId],
      );
      const transfer = rows[0];
      if (!transfer) throw new DomainError('NOT_FOUND', 'No such transfer.');
      if (transfer.status === 'processing' && transfer.payout_at_partner) {
        throw new DomainError(
          'TRANSFER_STATE_INVALID',
          'The payout is already with the partner: it can no longer be held, only recalled.',
          {
            from: transfer.status,
            to: 'held',
          },
        );
      }
      const { from } = await transitionTransferIn(tx, {
        transactionId: input.transactionId,
        to: 'held',
        actor: input.staffId,
        reason: `held by staff: ${input.reason}`,
        onlyFrom: ['awaiting_funds', 'funds_received', 'processing'],
      });
      await recordAuditEvent(tx, {
        action: 'transfer_held',
        resourceType: 'transaction',
        resourceId: input.transactionId,
        actor: input.staffId,
        details: { from, reason: input.reason },
      });
      return { from, to: 'held' as const };
    }),
  );
}
