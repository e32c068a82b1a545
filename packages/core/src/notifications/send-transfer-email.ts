import type { DbClient } from '@drop/db';
import { type CustomerLocale, maskAccountNumber } from './customer-formatting.ts';
import type { Mailer } from './mailer.ts';
import { renderTransferEmail, type TransferEmailKind } from './transfer-emails.ts';

interface Row {
  user_id: string;
  email: string | null;
  notify_funds_received: boolean;
  notify_paid_out: boolean;
  locale: CustomerLocale;
  given_name: string | null;
  full_name: string | null;
  transfer: {
    id: string;
    reference: string;
    send: { amount: string; currency: string };
    receive: { amount: string; currency: string };
    recipient: { name: string } | null;
    failureReason: string | null;
  };
  refund_amount: string | null;
  refund_account: string | null;
}

/**
 * Tells the customer by email what happened to a transfer, in their language. Runs as a job after
 * the change committed (the outbox), so a rolled-back change never sends mail. Customers without
 * a verified address (`users.email` holds only a verified one) are skipped, and so are the optional
 * kinds a customer turned off (funds received, paid out); a failed payout and its refund always go.
 */
export async function sendTransferEmail(
  db: DbClient,
  mailer: Mailer,
  input: { transactionId: string; kind: TransferEmailKind; appUrl: string },
): Promise<'sent' | 'no_address' | 'opted_out' | 'not_found'> {
  const { rows } = await db.query<Row>(
    `SELECT u.id AS user_id, u.email, u.notify_funds_received, u.notify_paid_out, u.locale, u.given_name, u.full_name, transfer_json(t.id) AS transfer,
            format_minor(r.amount_minor, r.currency) AS refund_amount, r.to_account AS refund_account
       FROM transactions t JOIN users u ON u.id = t.user_id
       LEFT JOIN customer_refunds r ON r.transaction_id = t.id
      WHERE t.id = $1`,
    [input.transactionId],
  );
  const row = rows[0];
  if (!row) return 'not_found';
  if (!row.email) return 'no_address';
  if ((input.kind === 'funds_received' && !row.notify_funds_received) || (input.kind === 'paid_out' && !row.notify_paid_out)) {
    return 'opted_out';
  }
  const transfer = row.transfer;
  const name = row.given_name ?? row.full_name?.split(' ')[0];
  const mail = renderTransferEmail(input.kind, row.locale, {
    transferId: transfer.id,
    reference: transfer.reference,
    ...(name ? { customerName: name } : {}),
    send: transfer.send,
    receive: transfer.receive,
    recipientName: transfer.recipient?.name ?? '',
    ...(transfer.failureReason ? { failureReason: transfer.failureReason } : {}),
    ...(row.refund_amount
      ? {
          refund: {
            amount: row.refund_amount,
            currency: 'NOK',
            ...(row.refund_account ? { toAccount: maskAccountNumber(row.refund_account) } : {}),
          },
        }
      : {}),
    transferUrl: new URL(`/transfers/${transfer.id}`, input.appUrl).toString(),
  });
  await mailer.send({ to: row.email, ...mail, headers: { 'X-Drop-Transfer': transfer.id } });
  // After the send, so only mail that left is remembered (the data export lists it). A retry
  // after a crash between the two sends twice and records once: the customer saw both anyway.
  await db.query(`INSERT INTO customer_emails (user_id, transaction_id, kind, to_address, subject) VALUES ($1, $2, $3, $4, $5)`, [
    row.user_id,
    transfer.id,
    input.kind,
    row.email,
    mail.subject,
  ]);
  return 'sent';
}
