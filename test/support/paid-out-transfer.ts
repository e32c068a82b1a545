/** A customer's paid-out transfer, written as the transfer flow writes one, for the browser tests of what customers see of it. */
import { randomInt } from 'node:crypto';
import { transitionTransfer } from '@drop/core';
import { newId } from '@drop/db';
import type pg from 'pg';

/**
 * A transfer of 2 500 kr to Anna Schmidt in Germany, made like a real one: created awaiting
 * funds with its pay-in reserved in the ledger, then funded, sent and paid out through the state
 * machine, with the partner's payout recorded as paid under `partnerReference`.
 */
export async function paidOutTransferOf(pool: pg.Pool, userId: string): Promise<{ id: string; partnerReference: string }> {
  await pool.query("UPDATE users SET kyc_status = 'approved', kyc_tier = 1 WHERE id = $1", [userId]);
  const recipient = newId('rcp');
  await pool.query(
    `INSERT INTO recipients (id, user_id, name, country, currency, rail, relationship, details, display)
     VALUES ($1, $2, 'Anna Schmidt', 'DE', 'EUR', 'iban', 'family', '{"iban": "DE89370400440532013000"}', 'DE89 •••• •••• 3000')`,
    [recipient, userId],
  );
  const id = newId('tx');
  const partnerReference = `wise-transfer-${randomInt(10_000_000, 100_000_000)}`;
  const sendOre = 250_000n;
  const feeOre = 2_900n;
  await pool.query(
    `INSERT INTO transactions (id, user_id, type, status, send_amount_minor, send_currency, fee_minor, receive_amount_minor,
                               receive_currency, fx_rate, recipient_id, created_at, updated_at)
     VALUES ($1, $2, 'transfer', 'awaiting_funds', $3, 'NOK', $4, $5, 'EUR', 0.0852, $6, now() - interval '2 hours', now() - interval '2 hours')`,
    [id, userId, sendOre.toString(), feeOre.toString(), (((sendOre - feeOre) * 852n) / 10_000n).toString(), recipient],
  );
  await pool.query(
    `SELECT ledger_post($1, jsonb_build_array(jsonb_build_object('kind', 'pending', 'code', 'payin',
            'debit', ledger_system_account('bank', 'NOK', 0::smallint), 'credit', ledger_customer_account($2, 'NOK'),
            'amount', $3::bigint, 'currency', 'NOK')))`,
    [id, userId, sendOre.toString()],
  );
  await transitionTransfer(pool, { transactionId: id, to: 'funds_received', actor: 'test' });
  await transitionTransfer(pool, { transactionId: id, to: 'processing', actor: 'test' });
  await pool.query(
    `INSERT INTO payouts (transaction_id, partner, idempotency_key, amount_minor, currency, state, partner_reference,
                          partner_state, attempts, sent_at, settled_at)
     SELECT id, 'wise', gen_random_uuid(), receive_amount_minor, receive_currency, 'paid', $2,
            'outgoing_payment_sent', 1, now(), now()
       FROM transactions WHERE id = $1`,
    [id, partnerReference],
  );
  await transitionTransfer(pool, { transactionId: id, to: 'paid_out', actor: 'test' });
  return { id, partnerReference };
}
