import { type Db, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import type { KycTier, TierLimits } from '../kyc/tiers.ts';
import { voidTransferIn } from '../transfers/cancel-transfer.ts';
import { type BeforeTransferCommit, createTransferIn } from '../transfers/create-transfer.ts';
import type { TransferJson } from '../transfers/transfer-views.ts';
import type { KidSource } from './kid-allocator.ts';
import { requiredLatePayment } from './late-payment.ts';
import { matchBankEntryIn } from './match-bank-entry.ts';

export interface AcceptRequoteInput {
  userId: string;
  transactionId: string;
  quoteId: string;
  kids: KidSource;
  limits: Record<KycTier, TierLimits>;
  eddThresholdOre: bigint;
  ledgerShards: number;
  /** The checks that run before any transfer commits (AML screening). */
  beforeCommit?: readonly BeforeTransferCommit[];
}

/**
 * The customer accepts the new quote: in one transaction the old transfer is cancelled, a new one
 * is created from the quote (all of create_transfer's checks apply: the quote is theirs, unexpired,
 * unused, for the same amount; limits), and the late payment funds it. Returns the new transfer.
 */
export async function acceptRequote(db: Db, input: AcceptRequoteInput): Promise<TransferJson> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const found = await requiredLatePayment(tx, input, true);
      const quote = await tx.query<{ send_amount_minor: string }>('SELECT send_amount_minor FROM quotes WHERE id = $1 AND user_id = $2', [
        input.quoteId,
        input.userId,
      ]);
      if (!quote.rows[0]) throw new DomainError('QUOTE_NOT_FOUND', 'No such quote.');
      if (quote.rows[0].send_amount_minor !== found.amount_minor) {
        throw new DomainError('PAYMENT_AMOUNT_MISMATCH', 'The new quote must be for the amount that arrived.');
      }
      const newTransactionId = newId('tx');
      await voidTransferIn(tx, {
        userId: input.userId,
        transactionId: input.transactionId,
        reason: `replaced by ${newTransactionId}: the payment came after the quote expired`,
      });
      // Every check and hook of a new transfer applies (limits, AML screening before commit).
      const result = await createTransferIn(tx, {
        // The customer's session was checked by the route (requireCustomer).
        session: null,
        userId: input.userId,
        idempotencyKey: `late-payment:${input.transactionId}`,
        request: { quoteId: input.quoteId, recipientId: found.recipient_id },
        limits: input.limits,
        eddThresholdOre: input.eddThresholdOre,
        ledgerShards: input.ledgerShards,
        kids: input.kids,
        transactionId: newTransactionId,
        ...(input.beforeCommit ? { beforeCommit: input.beforeCommit } : {}),
      });
      const created = result.body.data;
      if (!created) throw new Error('create_transfer returned no transfer');
      await matchBankEntryIn(tx, {
        entryId: found.entry_id,
        transactionId: created.id,
        staffId: input.userId,
        note: `the customer accepted a new quote (${input.quoteId}) for a payment that came after ${input.transactionId}'s quote expired`,
      });
      await recordAuditEvent(tx, {
        action: 'late_payment_requoted',
        resourceType: 'transaction',
        resourceId: created.id,
        actor: input.userId,
        details: { replaces: input.transactionId, quoteId: input.quoteId, entryId: found.entry_id },
      });
      const { rows: fresh } = await tx.query<{ transfer: TransferJson }>('SELECT transfer_json($1) AS transfer', [created.id]);
      return fresh[0]?.transfer ?? created;
    }),
  );
}
