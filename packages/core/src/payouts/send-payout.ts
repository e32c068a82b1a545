import { type DbClient, withTransaction } from '@drop/db';
import { holdIfCustomerBlocked } from '../aml/containment/hold-if-customer-blocked.ts';
import { applyPayoutEvent } from './apply-payout-event.ts';
import { type PayoutOrder, type PayoutPartner, PayoutPartnerError } from './payout-partner.ts';

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
  transfer_status: string;
  blocked: boolean;
}

/**
 * `other_partner`: the payout is another partner's (a SEPA payout waits for its file): nothing was sent.
 * `held`: the transfer is held, or its customer is blocked (then the transfer is held now): nothing was sent.
 */
export type SendPayoutOutcome = 'sent' | 'already_sent' | 'not_found' | 'refused' | 'other_partner' | 'held';

/**
 * Sends a payout that is still 'sending' and records the partner's answer. Safe to run any number
 * of times, by any number of workers, and after a crash at any point: the partner is always
 * called with the payout's one idempotency key, so it answers with the payout it already made
 * instead of making another. `afterPartnerAnswered` runs between the partner's answer and the
 * record (tests kill the process there).
 */
export async function sendPayout(
  db: DbClient,
  partner: PayoutPartner,
  transactionId: string,
  options: { afterPartnerAnswered?: () => void | Promise<void> } = {},
): Promise<SendPayoutOutcome> {
  const { rows } = await db.query<PayoutRow>(
    `UPDATE payouts p SET attempts = attempts + CASE WHEN p.partner = $2 THEN 1 ELSE 0 END
       FROM transactions t JOIN recipients r ON r.id = t.recipient_id JOIN users u ON u.id = t.user_id
      WHERE p.transaction_id = $1 AND t.id = p.transaction_id
      RETURNING p.transaction_id, p.partner, p.idempotency_key, p.amount_minor, p.currency, p.state, r.name, r.country, r.rail, r.details,
                t.status AS transfer_status, customer_block_reason(u.kyc_status, u.deleted_at, u.aml_frozen_at) IS NOT NULL AS blocked`,
    [transactionId, partner.name],
  );
  const payout = rows[0];
  if (!payout) return 'not_found';
  // Never ask a partner to pay what another rail pays (a SEPA payout goes out in a bank file).
  if (payout.partner !== partner.name) return 'other_partner';
  if (payout.state !== 'sending') return 'already_sent';
  // A job queued before the transfer was held (or its customer blocked) must not pay: the hold
  // wins. Released to processing, the payout is still 'sending', so the recovery job sends it then.
  if (payout.transfer_status === 'held') return 'held';
  if (payout.blocked) {
    await withTransaction(db, (tx) => holdIfCustomerBlocked(tx, { transactionId, actor: 'system:payouts' }));
    return 'held';
  }

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
