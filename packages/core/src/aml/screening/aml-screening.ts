/**
 * Screening where Drop's flows need it, in one object the composition root builds once per
 * process: the customer at KYC approval, each recipient when added, both parties of every
 * transfer (from the cache), and everyone again when a list changes (see rescreen-subjects.ts).
 */
import type { DbClient } from '@drop/db';
import {
  CUSTOMER_IDENTITY_COLUMNS,
  type CustomerIdentity,
  customerSubject,
  type RecipientIdentity,
  recipientSubject,
} from './screening-subjects.ts';
import { type ScreeningIndexSource, type ScreeningVerdict, SubjectScreener } from './subject-screener.ts';
import { TransferScreening } from './transfer-screening.ts';

export class AmlScreening {
  readonly indexes: ScreeningIndexSource;
  readonly screener: SubjectScreener;
  readonly transfers: TransferScreening;

  constructor(indexes: ScreeningIndexSource, options: { threshold?: number } = {}) {
    this.indexes = indexes;
    this.screener = new SubjectScreener(indexes, options);
    this.transfers = new TransferScreening(this.screener);
  }

  /** The customer, as BankID named them, when their verification is about to be approved. */
  async screenCustomer(tx: DbClient, userId: string): Promise<ScreeningVerdict> {
    const { rows } = await tx.query<CustomerIdentity>(`SELECT ${CUSTOMER_IDENTITY_COLUMNS} FROM users WHERE id = $1`, [userId]);
    const subject = rows[0] ? customerSubject(rows[0]) : undefined;
    if (!subject) return 'clear';
    this.transfers.forget(userId);
    return this.screener.screenAndRecord(tx, subject);
  }

  /** A recipient just added (in the same transaction as the insert). */
  async screenRecipient(tx: DbClient, recipient: RecipientIdentity): Promise<ScreeningVerdict> {
    return this.screener.screenAndRecord(tx, recipientSubject(recipient));
  }
}
