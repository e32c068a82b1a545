import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';
import type { CustomerLocale } from '../notifications/customer-formatting.ts';
import type { TransferJson } from '../transfers/transfer-views.ts';
import { type ReceiptData, renderReceiptPdf } from './render-receipt.ts';

export interface Company {
  name: string;
  orgNumber: string;
  address: string;
  /** The licence the receipt states (e.g. Finanstilsynet's payment-institution licence). */
  licence: string;
}

interface Row {
  transfer: TransferJson;
  full_name: string | null;
  customer_number: string;
  locale: CustomerLocale;
  details: Record<string, string> | null;
  funds_received_at: Date | null;
  paid_out_at: Date | null;
  partner_reference: string | null;
  created_at: Date;
}

/** The recipient's account as the receipt shows it: whichever identifier the rail uses. */
function accountOf(details: Record<string, string> | null): string {
  if (!details) return '';
  return details.iban ?? details.accountNumber ?? details.mobileNumber ?? '';
}

/**
 * The PDF receipt of a paid-out transfer, for its owner only (NOT_FOUND for anyone else's, and
 * TRANSFER_STATE_INVALID before it is paid out). The figures are the transfer's locked ones; the
 * dates come from its timeline; the partner's reference lets the recipient's bank trace it.
 */
export async function buildReceipt(
  db: DbClient,
  input: { userId: string; transactionId: string; company: Company; locale?: CustomerLocale },
): Promise<{ pdf: Uint8Array; fileName: string }> {
  const { rows } = await db.query<Row>(
    `SELECT transfer_json(t.id) AS transfer, u.full_name, u.customer_number, u.locale, r.details, t.created_at,
            (SELECT max(e.at) FROM transfer_events e WHERE e.transaction_id = t.id AND e.to_status = 'funds_received') AS funds_received_at,
            (SELECT max(e.at) FROM transfer_events e WHERE e.transaction_id = t.id AND e.to_status = 'paid_out') AS paid_out_at,
            p.partner_reference
       FROM transactions t JOIN users u ON u.id = t.user_id
       LEFT JOIN recipients r ON r.id = t.recipient_id
       LEFT JOIN payouts p ON p.transaction_id = t.id
      WHERE t.id = $1 AND t.user_id = $2 AND t.type = 'transfer'`,
    [input.transactionId, input.userId],
  );
  const row = rows[0];
  if (!row) throw new DomainError('NOT_FOUND', 'No such transfer.');
  const transfer = row.transfer;
  if (transfer.status !== 'paid_out' || !row.paid_out_at) {
    throw new DomainError('TRANSFER_STATE_INVALID', 'A receipt is available once the recipient has been paid.', {
      from: transfer.status,
      to: 'paid_out',
    });
  }
  const data: ReceiptData = {
    transferId: transfer.id,
    reference: transfer.reference,
    company: input.company,
    sender: { name: row.full_name ?? '', customerNumber: row.customer_number },
    recipient: {
      name: transfer.recipient?.name ?? '',
      accountMasked: accountOf(row.details),
      country: transfer.recipient?.country ?? '',
    },
    send: transfer.send,
    fee: transfer.fee,
    converted: transfer.converted,
    receive: transfer.receive,
    rate: transfer.rate,
    createdAt: row.created_at,
    ...(row.funds_received_at ? { fundsReceivedAt: row.funds_received_at } : {}),
    paidOutAt: row.paid_out_at,
    ...(row.partner_reference ? { partnerReference: row.partner_reference } : {}),
  };
  const pdf = await renderReceiptPdf(data, input.locale ?? row.locale);
  return { pdf, fileName: `drop-receipt-${transfer.id}.pdf` };
}
