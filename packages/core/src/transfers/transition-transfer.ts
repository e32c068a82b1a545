import { type Db, type DbClient, withTransaction } from '@drop/db';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { type LedgerMovement, ledgerMovementFor, type TransferStatus } from './transfer-status.ts';

interface TransferRow {
  id: string;
  user_id: string;
  status: TransferStatus;
  held_from: TransferStatus | null;
  send_amount_minor: string;
  fee_minor: string;
  receive_amount_minor: string;
  receive_currency: string;
  ledger_shard: number;
}

interface Accounts {
  bank: string;
  customer: string;
  fee: string;
  fxNok: string;
  fxForeign: string;
  partner: string;
}

type Leg =
  | { kind: 'posted' | 'pending'; code: string; debit: string; credit: string; amount: string; currency: string }
  | { kind: 'post_pending' | 'void_pending'; code: string; pending_id: string };

/**
 * The legs one ledger movement posts for a transfer, all in one call of ledger_post (linked: all
 * or none). Amounts: S = NOK the customer pays, F = fee, S − F = NOK converted, R = what the
 * recipient gets in the foreign currency.
 */
function legsFor(movement: LedgerMovement, t: TransferRow, a: Accounts, pending: Map<string, string>): Leg[] {
  const send = t.send_amount_minor;
  const fee = BigInt(t.fee_minor);
  const converted = (BigInt(send) - fee).toString();
  const pendingId = (code: string) => {
    const id = pending.get(code);
    if (!id) throw new DomainError('LEDGER_INVALID', `Transfer ${t.id} has no open ${code} reservation.`);
    return id;
  };
  const feeLeg = (debit: string, credit: string, code: string): Leg[] =>
    fee > 0n ? [{ kind: 'posted', code, debit, credit, amount: fee.toString(), currency: 'NOK' }] : [];
  switch (movement) {
    case 'post_payin':
      return [{ kind: 'post_pending', code: 'payin_received', pending_id: pendingId('payin') }];
    case 'void_payin':
      return [{ kind: 'void_pending', code: 'payin_cancelled', pending_id: pendingId('payin') }];
    case 'convert':
      return [
        ...feeLeg(a.customer, a.fee, 'fee'),
        { kind: 'posted', code: 'conversion', debit: a.customer, credit: a.fxNok, amount: converted, currency: 'NOK' },
        {
          kind: 'pending',
          code: 'payout',
          debit: a.fxForeign,
          credit: a.partner,
          amount: t.receive_amount_minor,
          currency: t.receive_currency,
        },
      ];
    case 'post_payout':
      return [{ kind: 'post_pending', code: 'payout_confirmed', pending_id: pendingId('payout') }];
    case 'fail_payout':
      return [
        { kind: 'void_pending', code: 'payout_failed', pending_id: pendingId('payout') },
        ...feeLeg(a.fee, a.customer, 'fee_reversal'),
        { kind: 'posted', code: 'conversion_reversal', debit: a.fxNok, credit: a.customer, amount: converted, currency: 'NOK' },
      ];
    case 'return_payout':
      return [
        {
          kind: 'posted',
          code: 'payout_returned',
          debit: a.partner,
          credit: a.fxForeign,
          amount: t.receive_amount_minor,
          currency: t.receive_currency,
        },
        ...feeLeg(a.fee, a.customer, 'fee_reversal'),
        { kind: 'posted', code: 'conversion_reversal', debit: a.fxNok, credit: a.customer, amount: converted, currency: 'NOK' },
      ];
    case 'refund':
      return [{ kind: 'posted', code: 'refund', debit: a.customer, credit: a.bank, amount: send, currency: 'NOK' }];
  }
}

export interface TransitionInput {
  transactionId: string;
  to: TransferStatus;
  /** Who: a staff id, 'system:<job>', or the customer's own id. */
  actor: string;
  reason?: string;
  /** Required when the transfer fails: why, for support and the customer. */
  failureReason?: string;
  /** When a customer asks: the transfer must be theirs (else NOT_FOUND, never a hint it exists). */
  ownerId?: string;
  /** Refuse unless the transfer is in one of these states (e.g. cancelTransfer voids only while awaiting funds). */
  onlyFrom?: readonly TransferStatus[];
}

/**
 * Moves a transfer to another status and posts what that moves in the ledger, in one database
 * transaction: the status change (checked by the database's state machine, and written to the
 * audit log and the transfer's timeline by triggers) and the postings commit together or not at all.
 */
export async function transitionTransfer(db: Db, input: TransitionInput): Promise<{ from: TransferStatus; to: TransferStatus }> {
  return withTransaction(db, (tx) => transitionTransferIn(tx, input));
}

/** The same, inside a transaction the caller owns. */
export async function transitionTransferIn(tx: DbClient, input: TransitionInput): Promise<{ from: TransferStatus; to: TransferStatus }> {
  return mappingDomainErrors(async () => {
    await tx.query(`SELECT set_config('drop.actor', $1, true), set_config('drop.reason', $2, true)`, [input.actor, input.reason ?? '']);
    const { rows } = await tx.query<TransferRow>(
      `SELECT id, user_id, status, held_from, send_amount_minor, fee_minor, receive_amount_minor, receive_currency, ledger_shard
         FROM transactions WHERE id = $1 AND type = 'transfer' FOR UPDATE`,
      [input.transactionId],
    );
    const transfer = rows[0];
    if (!transfer || (input.ownerId !== undefined && transfer.user_id !== input.ownerId)) {
      throw new DomainError('NOT_FOUND', 'No such transfer.');
    }
    if (input.to === transfer.status || (input.onlyFrom && !input.onlyFrom.includes(transfer.status))) {
      throw new DomainError('TRANSFER_STATE_INVALID', `A transfer that is ${transfer.status} cannot become ${input.to} here.`, {
        from: transfer.status,
        to: input.to,
      });
    }
    if (input.to === 'failed' && !input.failureReason) {
      throw new DomainError('VALIDATION_FAILED', 'A failed transfer needs a failure reason.');
    }
    // The trigger refuses an illegal change before anything is posted.
    await tx.query(`UPDATE transactions SET status = $2, failure_reason = coalesce($3, failure_reason) WHERE id = $1`, [
      transfer.id,
      input.to,
      input.to === 'failed' ? input.failureReason : null,
    ]);
    const movement = ledgerMovementFor(transfer.status, input.to, transfer.held_from);
    if (movement) {
      const accounts = await tx.query<Accounts>(
        `SELECT ledger_system_account('bank', 'NOK', $2::smallint)::text AS bank,
                ledger_customer_account($1, 'NOK')::text AS customer,
                ledger_system_account('fee_revenue', 'NOK', $2::smallint)::text AS fee,
                ledger_system_account('fx_position', 'NOK', $2::smallint)::text AS "fxNok",
                ledger_system_account('fx_position', $3, $2::smallint)::text AS "fxForeign",
                ledger_system_account('partner_clearing', $3, $2::smallint)::text AS partner`,
        [transfer.user_id, transfer.ledger_shard, transfer.receive_currency],
      );
      const open = await tx.query<{ id: string; code: string }>(
        `SELECT p.id::text, p.code FROM ledger_transfers p
          WHERE p.transaction_id = $1 AND p.kind = 'pending'
            AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = p.id)`,
        [transfer.id],
      );
      const pending = new Map(open.rows.map((row) => [row.code, row.id]));
      const legs = legsFor(movement, transfer, accounts.rows[0] as Accounts, pending);
      await tx.query('SELECT ledger_post($1, $2::jsonb)', [transfer.id, JSON.stringify(legs)]);
    }
    return { from: transfer.status, to: input.to };
  });
}
