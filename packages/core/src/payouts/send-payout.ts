import { randomUUID } from 'node:crypto';
import { type Db, type DbClient, withTransaction } from '@drop/db';
import { mappingDomainErrors } from '../database-errors.ts';
import { JOBS, queueJob } from '../jobs.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';
import { applyPayoutEvent } from './apply-payout-event.ts';
import { type PayoutOrder, type PayoutPartner, PayoutPartnerError } from './payout-partner.ts';
import { SEPA_PARTNER, type SepaPayoutsRail, sepaCanPay } from './sepa-payouts.ts';

/**
 * After a transfer's money arrived (in the same transaction): tell the customer, and start the
 * payout. Both run as jobs after commit.
 */
export async function queueAfterFunding(tx: DbClient, transactionId: string): Promise<void> {
  await queueJob(tx, JOBS.transferEmail, { transactionId, kind: 'funds_received' }, { jobKey: `email:${transactionId}:funds_received` });
  await queueJob(tx, JOBS.startPayout, { transactionId }, { jobKey: `payout-start:${transactionId}` });
}

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
 * rail gets no job: it waits for the next SEPA file (exportSepaPayouts).
 */
export async function startPayoutIn(tx: DbClient, input: StartPayoutInput): Promise<'started' | 'skipped'> {
  // Under the transfer's lock: a customer who cancelled after paying (a refund is owed) or a
  // transfer no longer waiting to be paid out is left alone, whichever came first.
  const { rows } = await tx.query<{ status: string; refund_owed: boolean }>(
    `SELECT t.status, EXISTS (SELECT 1 FROM customer_refunds r WHERE r.transaction_id = t.id) AS refund_owed
       FROM transactions t WHERE t.id = $1 FOR UPDATE`,
    [input.transactionId],
  );
  const transfer = rows[0];
  if (transfer?.status !== 'funds_received' || transfer.refund_owed) return 'skipped';
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

export async function startPayout(db: Db, input: StartPayoutInput): Promise<'started' | 'skipped'> {
  return mappingDomainErrors(() => withTransaction(db, (tx) => startPayoutIn(tx, input)));
}

interface PayoutRow {
  transaction_id: string;
  partner: string;
  idempotency_key: string;
  amount_minor: string;
  currency: string;
  state: string;
  name: string;
  country: string;
  rail: PayoutOrder['recipient']['rail'];
  details: Record<string, string>;
}

/** `other_partner`: the payout is another partner's (a SEPA payout waits for its file): nothing was sent. */
export type SendPayoutOutcome = 'sent' | 'already_sent' | 'not_found' | 'refused' | 'other_partner';

/**
 * Sends a payout that is still 'sending' and records the partner's answer. Safe to run any number
 * of times, by any number of workers, and after a crash at any point: the partner is always
 * called with the payout's one idempotency key, so it answers with the payout it already made
 * instead of making another. `afterPartnerAnswered` runs between the partner's answer and the
 * record (tests kill the process there).
 */
export async function sendPayout(
  db: Db,
  partner: PayoutPartner,
  transactionId: string,
  options: { afterPartnerAnswered?: () => void | Promise<void> } = {},
): Promise<SendPayoutOutcome> {
  const { rows } = await db.query<PayoutRow>(
    `UPDATE payouts p SET attempts = attempts + CASE WHEN p.partner = $2 THEN 1 ELSE 0 END
       FROM transactions t JOIN recipients r ON r.id = t.recipient_id
      WHERE p.transaction_id = $1 AND t.id = p.transaction_id
      RETURNING p.transaction_id, p.partner, p.idempotency_key, p.amount_minor, p.currency, p.state, r.name, r.country, r.rail, r.details`,
    [transactionId, partner.name],
  );
  const payout = rows[0];
  if (!payout) return 'not_found';
  // Never ask a partner to pay what another rail pays (a SEPA payout goes out in a bank file).
  if (payout.partner !== partner.name) return 'other_partner';
  if (payout.state !== 'sending') return 'already_sent';

  let submission: Awaited<ReturnType<PayoutPartner['send']>>;
  try {
    submission = await partner.send({
      transferId: payout.transaction_id,
      idempotencyKey: payout.idempotency_key,
      amountMinor: BigInt(payout.amount_minor),
      currency: payout.currency,
      recipient: { name: payout.name, country: payout.country, rail: payout.rail, details: payout.details },
      reference: `Drop ${payout.transaction_id.slice(-10)}`,
    });
  } catch (error) {
    await db.query('UPDATE payouts SET last_error = $2 WHERE transaction_id = $1', [
      transactionId,
      error instanceof Error ? error.message.slice(0, 500) : String(error),
    ]);
    // A refusal (4xx) will not get better by retrying: support must look (the payout stays
    // 'sending', listed by the recovery job's log and the console). Transient errors retry.
    if (error instanceof PayoutPartnerError && !error.retryable) return 'refused';
    throw error;
  }
  await options.afterPartnerAnswered?.();

  await withTransaction(db, async (tx) => {
    await tx.query(
      `UPDATE payouts SET state = 'sent', partner_reference = $2, partner_state = $3, sent_at = now(), last_error = NULL
        WHERE transaction_id = $1 AND state = 'sending'`,
      [transactionId, submission.partnerReference, submission.state],
    );
    // A partner that answers with a final state at once (or a retry after the webhook already
    // came) is applied like its webhook would be.
    if (submission.state !== 'processing') {
      await applyPayoutEvent(tx, {
        partner: partner.name,
        event: {
          partnerReference: submission.partnerReference,
          state: submission.state,
          partnerState: submission.state,
          occurredAt: new Date().toISOString(),
          deliveryId: undefined,
        },
      });
    }
  });
  return 'sent';
}

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
    `SELECT transaction_id FROM payouts
      WHERE state = 'sending' AND created_at < now() - make_interval(secs => $1)
        AND partner <> $3 AND ($4::text IS NULL OR partner = $4)
      ORDER BY created_at LIMIT $2`,
    [input.olderThanSeconds, input.limit, SEPA_PARTNER, input.partner ?? null],
  );
  return rows.map((row) => row.transaction_id);
}
