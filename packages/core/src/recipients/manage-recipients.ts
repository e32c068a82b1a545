import type { Recipient } from '@drop/contracts';
import { type Db, type DbClient, newId, withTransaction } from '@drop/db';
import type { RecipientIdentity } from '../aml/screening/screening-subjects.ts';
import type { ScreeningVerdict } from '../aml/screening/subject-screener.ts';
import { DomainError } from '../errors.ts';
import { type RecipientInput, validateRecipient } from './validate-recipient.ts';

/** Screens a recipient just added, in the transaction that added it. */
export interface RecipientScreening {
  screenRecipient(tx: DbClient, recipient: RecipientIdentity): Promise<ScreeningVerdict>;
}

/** A recipient as the API shows it (the contract's `Recipient`). */
export type RecipientJson = Recipient;

export const RECIPIENT_COLUMNS = `id, name, country, currency, rail, relationship, details, display,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

/**
 * Adds a recipient to the customer's list once its payout details validate for its country, and
 * screens it against the sanctions and PEP lists in the same transaction. A match is recorded for
 * compliance (and a sanctions match freezes the customer's transfers); the customer is not told
 * (hvitvaskingsloven § 26: no tipping off).
 */
export async function addRecipient(
  db: DbClient,
  input: { userId: string; recipient: RecipientInput; screening?: RecipientScreening },
): Promise<RecipientJson> {
  const valid = validateRecipient(input.recipient);
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<RecipientJson>(
      `INSERT INTO recipients (id, user_id, name, country, currency, rail, relationship, details, display)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${RECIPIENT_COLUMNS}`,
      [
        newId('rcp'),
        input.userId,
        valid.name,
        valid.country,
        valid.currency,
        valid.rail,
        valid.relationship,
        JSON.stringify(valid.details),
        valid.display,
      ],
    );
    const recipient = rows[0] as RecipientJson;
    await input.screening?.screenRecipient(tx, {
      id: recipient.id,
      user_id: input.userId,
      name: recipient.name,
      relationship: recipient.relationship,
    });
    return recipient;
  });
}

export async function listRecipients(db: Db, input: { userId: string }): Promise<RecipientJson[]> {
  const { rows } = await db.query<RecipientJson>(
    `SELECT ${RECIPIENT_COLUMNS} FROM recipients WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC`,
    [input.userId],
  );
  return rows;
}

/** Removes a recipient from the list. Transfers already made to them keep pointing at the row. */
export async function removeRecipient(db: Db, input: { userId: string; recipientId: string }): Promise<void> {
  const { rowCount } = await db.query(`UPDATE recipients SET deleted_at = now() WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL`, [
    input.recipientId,
    input.userId,
  ]);
  if (!rowCount) throw new DomainError('RECIPIENT_NOT_FOUND', 'No such recipient.');
}
