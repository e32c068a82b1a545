import { type Db, withTransaction } from '@drop/db';
import { mappingDomainErrors } from '../database-errors.ts';
import { voidTransferIn } from '../transfers/cancel-transfer.ts';
import { requiredLatePayment } from './late-payment.ts';
import { refundBankEntryIn } from './refund-bank-entry.ts';

/** The customer declines a new rate: the transfer is cancelled and the payment goes back to the account it came from. */
export async function refundLatePayment(db: Db, input: { userId: string; transactionId: string }) {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const found = await requiredLatePayment(tx, input, true);
      await voidTransferIn(tx, { ...input, reason: 'the payment came after the quote expired; the customer asked for it back' });
      return refundBankEntryIn(tx, {
        entryId: found.entry_id,
        staffId: input.userId,
        note: 'the customer declined a new quote for a late payment',
      });
    }),
  );
}
