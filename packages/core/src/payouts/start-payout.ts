import { randomUUID } from 'node:crypto';
import { type Db, type DbClient, withTransaction } from '@drop/db';
import { holdIfCustomerBlocked } from '../aml/containment/hold-if-customer-blocked.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { JOBS, queueJob } from '../jobs.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';
import { SEPA_PARTNER, type SepaPayoutsRail, sepaCanPay } from './sepa-rail.ts';

/**
 * After a transfer's money arrived (in the same transaction): tell the customer, and start the
 * payout. Both run as jobs after commit.
 */
export async function queueAfterFunding(tx: DbClient, transactionId: string): Promise<void> {
  await queueJob(tx, JOBS.transferEmail, { transactionId, kind: 'funds_received' }, { jobKey: `email:${transactionId}:funds_received` });
  await queueJob(tx, JOBS.startPayout, { transactionId }, { jobKey: `payout-start:${transactionId}` });
}

/** `held`: the customer is blocked, so the transfer was held instead of paid out. */
export type StartPayoutOutcome = 'started' | 'skipped' | 'held';

export interface StartPayoutInput {
  transactionId: string;
  /** The payout partner's name ('wise'): who pays unless the SEPA rail takes the payout. */
  partner: string;
  actor: string;
  /**
   * SEPA_PAYOUTS: 'partner' (the default) sends every payout to the partner; 'bank' writes euro
   * payouts to IBANs for Drop's own bank (partner 'sepa'), to go out in the next pain.001 export.
   */
  sepaPayouts?: SepaPayoutsRail;
}

/**
 * Funds received → processing: the NOK is converted (fee taken, payout reserved in the ledger),
 * and the payout row with its idempotency key is written, with the job that sends it, in the
 * caller's transaction. Nothing is sent to the partner until that commits. A payout on the SEPA
 * rail gets no job: it waits for the next SEPA file (exportSepaPayouts). A blocked customer's
 * transfer (deleted, frozen by AML, no longer verified) is held instead: 'held', nothing converted.
 */
export async function startPayoutIn(tx: DbClient, input: StartPayoutInput): Promise<StartPayoutOutcome> {
  // Under the transfer's lock: a customer who cancelled after paying (a refund is owed) or a
  // transfer no longer waiting to be paid out is left alone, whichever came first.
  const { rows } = await tx.query<{ status: string; refund_owed: boolean }>(
    `SELECT t.status, EXISTS (SELECT 1 FROM customer_refunds r WHERE r.transaction_id = t.id) AS refund_owed
       FROM transactions t WHERE t.id = $1 FOR UPDATE`,
    [input.transactionId],
  );
  const transfer = rows[0];
  if (transfer?.status !== 'funds_received' || transfer.refund_owed) return 'skipped';
  if (await holdIfCustomerBlocked(tx, { transactionId: input.transactionId, actor: input.actor })) return 'held';
  await transitionTransferIn(tx, {
    transactionId: input.transactionId,
    to: 'processing',
    actor: input.actor,
    reason: 'payout started',
    onlyFrom: ['funds_received'],
  });
  const bySepa = input.sepaPayouts === 'bank' && (await sepaCanPay(tx, input.transactionId));
  await tx.query(
    `INSERT INTO payouts (transaction_id, partner, idempotency_key, amount_minor, currency)
     SELECT id, $2, $3, receive_amount_minor, receive_currency FROM transactions WHERE id = $1`,
    [input.transactionId, bySepa ? SEPA_PARTNER : input.partner, randomUUID()],
  );
  if (bySepa) return 'started';
  await queueJob(tx, JOBS.sendPayout, { transactionId: input.transactionId }, { jobKey: `payout:${input.transactionId}` });
  return 'started';
}

export async function startPayout(db: Db, input: StartPayoutInput): Promise<StartPayoutOutcome> {
  return mappingDomainErrors(() => withTransaction(db, (tx) => startPayoutIn(tx, input)));
}
