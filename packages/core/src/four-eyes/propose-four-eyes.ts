import type { FourEyesKind, FourEyesRequest } from '@drop/contracts';
import { type Db, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import type { TransferStatus } from '../transfers/transfer-status.ts';
import { stopRefused } from './execute-four-eyes-request.ts';
import { fourEyesRequestById } from './four-eyes-request-row.ts';

/**
 * One person proposes: release or stop a held transfer, block or unblock a customer. Nothing
 * happens until another person with 'four_eyes_approve' approves (decideFourEyes). The subject
 * must be in a state the proposal makes sense for (a held transfer with no refund owed; a customer
 * not yet, or still, blocked by compliance), and only one proposal per subject and kind is open.
 */
export async function proposeFourEyes(
  db: Db,
  input: { kind: FourEyesKind; subjectId: string; reason: string; staffId: string },
): Promise<FourEyesRequest> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      if (input.kind === 'release_transfer' || input.kind === 'stop_transfer') {
        const { rows } = await tx.query<{ status: string; held_from: TransferStatus | null; refund_owed: boolean }>(
          `SELECT t.status, t.held_from, EXISTS (SELECT 1 FROM customer_refunds r WHERE r.transaction_id = t.id) AS refund_owed
             FROM transactions t WHERE t.id = $1 AND t.type = 'transfer' FOR UPDATE`,
          [input.subjectId],
        );
        const transfer = rows[0];
        if (!transfer) throw new DomainError('NOT_FOUND', 'No such transfer.');
        if (transfer.status !== 'held' || transfer.refund_owed) {
          throw new DomainError(
            'TRANSFER_STATE_INVALID',
            transfer.refund_owed
              ? 'This transfer is already stopped: its refund is owed.'
              : 'Only a held transfer can be released or stopped.',
            { from: transfer.status },
          );
        }
        if (input.kind === 'stop_transfer' && transfer.held_from === 'processing') throw stopRefused(transfer.held_from);
      } else {
        const { rows } = await tx.query<{ frozen: boolean }>(
          'SELECT aml_frozen_at IS NOT NULL AS frozen FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE',
          [input.subjectId],
        );
        const user = rows[0];
        if (!user) throw new DomainError('NOT_FOUND', 'No such customer.');
        if (user.frozen !== (input.kind === 'unblock_customer')) {
          throw new DomainError('CONFLICT', user.frozen ? 'This customer is already blocked.' : 'This customer is not blocked.');
        }
      }
      const id = newId('fer');
      try {
        await tx.query('SAVEPOINT propose');
        await tx.query(`INSERT INTO four_eyes_requests (id, kind, subject_id, reason, proposed_by) VALUES ($1, $2, $3, $4, $5)`, [
          id,
          input.kind,
          input.subjectId,
          input.reason,
          input.staffId,
        ]);
      } catch (error) {
        if ((error as { code?: string }).code === '23505') {
          await tx.query('ROLLBACK TO SAVEPOINT propose');
          throw new DomainError('CONFLICT', 'The same proposal is already waiting for a second person.', { kind: input.kind });
        }
        throw error;
      }
      await recordAuditEvent(tx, {
        action: 'four_eyes_proposed',
        resourceType: input.kind.endsWith('_transfer') ? 'transaction' : 'user',
        resourceId: input.subjectId,
        actor: input.staffId,
        details: { requestId: id, kind: input.kind, reason: input.reason },
      });
      return (await fourEyesRequestById(tx, id)) as FourEyesRequest;
    }),
  );
}
