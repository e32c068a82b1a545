import type { StaffErasureRequest } from '@drop/contracts';
import { type Db, type DbClient, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { recordRefundOwed } from '../transfers/record-refund-owed.ts';
import type { TransferStatus } from '../transfers/transfer-status.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns of an erasure request as ErasureRequest has them (without `created`). */
const REQUEST_COLUMNS = `r.id, r.type, r.status, ${ISO('r.created_at')} AS "createdAt", ${ISO('r.due_at')} AS "dueAt",
  ${ISO('r.completed_at')} AS "completedAt",
  (SELECT ${ISO('(u.deleted_at + k.keep_for)')} FROM users u, retention_rules k
    WHERE u.id = r.user_id AND k.code = 'ended_customer_personal_data') AS "personalDataRemovedAfter"`;

export interface RequestErasureInput {
  userId: string;
  /** `usr_…` when the customer asks in the app, `stf_…` when staff record it. */
  actor: string;
  /** Where the request came from, kept in data_access_requests.notes. */
  note: string;
  /** A request staff record from a letter, e-mail or call: how it came and when (due a month after). */
  received?: { channel: 'letter' | 'email' | 'phone'; receivedOn: string };
}

/**
 * Records an erasure request (GDPR art. 17) and restricts the customer at once, as runbook 7.3
 * does by hand, in one transaction:
 * - `data_access_requests` gets the request (type 'erasure', status 'restricted': access is
 *   restricted, the deletion waits for the retention period; due in one month, GDPR art. 12(3));
 * - `users.deleted_at` is set (customer_block_reason: 'deleted'; the users_contain_blocked
 *   trigger holds every transfer whose money has not left Drop) and every live session revoked
 *   (`UPDATE sessions SET revoked = 1`), so the next request with any of them is 401;
 * - the transfers in flight end: one awaiting payment is cancelled (its pay-in reservation
 *   released), one paid in but not paid out is refunded to the account it came from through the
 *   existing refund path (customer_refunds; the transfer becomes refunded when the bank statement
 *   shows the refund), one whose payout the partner already has pays out (its webhook still
 *   applies). Refunding, not paying out: the customer has ended the relationship, and payout
 *   start refuses a deleted customer (customer_block_reason). A transfer held while its payout was
 *   written (a crash may have sent it) cannot be decided blindly: it stays held for staff, named
 *   in the audit event.
 * Idempotent: while an erasure request is restricted, asking again returns it with `created:
 * false` and changes nothing; an open one that came in another way (received or in progress, by
 * letter) is restricted now and returned with `created: false`. NOT_FOUND for an unknown customer.
 */
export async function requestErasure(db: Db, input: RequestErasureInput): Promise<StaffErasureRequest> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const user = await tx.query<{ deleted_at: Date | null }>('SELECT deleted_at FROM users WHERE id = $1 FOR UPDATE', [input.userId]);
      if (!user.rows[0]) throw new DomainError('NOT_FOUND', 'No such customer.');
      const open = await tx.query<{ id: string; status: string }>(
        `SELECT r.id, r.status FROM data_access_requests r
          WHERE r.user_id = $1 AND r.type = 'erasure' AND r.status NOT IN ('completed', 'rejected')
          ORDER BY r.created_at LIMIT 1`,
        [input.userId],
      );
      const existing = open.rows[0];
      // Asked again while restricted: nothing more to do.
      if (existing?.status === 'restricted' && user.rows[0].deleted_at) {
        return {
          ...(await requestById(tx, existing.id)),
          created: false,
          transfers: { cancelled: [], refundsOwed: [], leftHeld: [], finishing: [] },
        };
      }
      // A request that came in another way (received, in progress) restricts now, as a new one does.
      const requestId = existing?.id ?? newId('dar');
      if (existing) {
        await tx.query(`UPDATE data_access_requests SET status = 'restricted' WHERE id = $1`, [requestId]);
      } else {
        await tx.query(
          `INSERT INTO data_access_requests (id, user_id, type, status, notes, channel, received_on, due_at)
           VALUES ($1, $2, 'erasure', 'restricted', $3, $4, $5::date,
                   coalesce(($5::date + interval '1 month 1 day') AT TIME ZONE 'Europe/Oslo' - interval '1 second', now() + interval '1 month'))`,
          [requestId, input.userId, input.note, input.received?.channel ?? null, input.received?.receivedOn ?? null],
        );
      }
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      // The runbook's two statements; the trigger on users holds the transfers in the same transaction.
      await tx.query('UPDATE users SET deleted_at = coalesce(deleted_at, now()) WHERE id = $1', [input.userId]);
      const revoked = await tx.query(
        `UPDATE sessions SET revoked = 1, revoked_reason = 'erasure_requested' WHERE user_id = $1 AND revoked = 0`,
        [input.userId],
      );

      const transfers = { cancelled: [] as string[], refundsOwed: [] as string[], leftHeld: [] as string[], finishing: [] as string[] };
      const inFlight = await tx.query<{ id: string; status: TransferStatus; held_from: TransferStatus | null; refund_owed: boolean }>(
        `SELECT t.id, t.status, t.held_from, EXISTS (SELECT 1 FROM customer_refunds r WHERE r.transaction_id = t.id) AS refund_owed
           FROM transactions t
          WHERE t.user_id = $1 AND t.type = 'transfer' AND t.status IN ('held', 'processing', 'funds_received', 'awaiting_funds')
          ORDER BY t.id`,
        [input.userId],
      );
      for (const transfer of inFlight.rows) {
        const from = transfer.status === 'held' ? transfer.held_from : transfer.status;
        if (from === 'awaiting_funds' && !transfer.refund_owed) {
          await transitionTransferIn(tx, { transactionId: transfer.id, to: 'cancelled', actor: input.actor, reason: 'erasure requested' });
          transfers.cancelled.push(transfer.id);
        } else if (from === 'funds_received') {
          await recordRefundOwed(tx, transfer.id, 'The customer asked to be forgotten (erasure request) before the payout.');
          transfers.refundsOwed.push(transfer.id);
        } else if (transfer.status === 'processing') {
          transfers.finishing.push(transfer.id);
        } else {
          transfers.leftHeld.push(transfer.id);
        }
      }

      await recordAuditEvent(tx, {
        action: 'erasure_requested',
        resourceType: 'user',
        resourceId: input.userId,
        actor: input.actor,
        details: { requestId, existingRequest: Boolean(existing), sessionsRevoked: revoked.rowCount ?? 0, ...transfers },
      });
      return { ...(await requestById(tx, requestId)), created: !existing, transfers };
    }),
  );
}

async function requestById(tx: DbClient, id: string): Promise<Omit<StaffErasureRequest, 'created' | 'transfers'>> {
  const { rows } = await tx.query<Omit<StaffErasureRequest, 'created' | 'transfers'>>(
    `SELECT ${REQUEST_COLUMNS} FROM data_access_requests r WHERE r.id = $1`,
    [id],
  );
  if (!rows[0]) throw new Error(`erasure request ${id} vanished`);
  return rows[0];
}
