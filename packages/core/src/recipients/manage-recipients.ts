import type { Recipient } from '@drop/contracts';
import { type Db, type DbClient, newId, withTransaction } from '@drop/db';
import type { RecipientIdentity } from '../aml/screening/screening-subjects.ts';
import type { ScreeningVerdict } from '../aml/screening/subject-screener.ts';
import { lockRecipientForChange } from './recipient-in-use.ts';
import { type RecipientInput, type ValidRecipient, validateRecipient } from './validate-recipient.ts';

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
  return withTransaction(db, (tx) => insertRecipient(tx, { userId: input.userId, valid, screening: input.screening }));
}

/** Stores a validated recipient and screens it, inside the caller's transaction. */
export async function insertRecipient(
  tx: DbClient,
  input: { userId: string; valid: ValidRecipient; screening?: RecipientScreening | undefined },
): Promise<RecipientJson> {
  const { valid } = input;
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
}

export async function listRecipients(db: Db, input: { userId: string }): Promise<RecipientJson[]> {
  const { rows } = await db.query<RecipientJson>(
    `SELECT ${RECIPIENT_COLUMNS} FROM recipients WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC`,
    [input.userId],
  );
  return rows;
}

/**
 * Removes a recipient from the list (soft: transfers already made to them keep pointing at the row,
 * with the details they were paid to). Refused with RECIPIENT_IN_USE while a transfer to them is on its way.
 */
export async function removeRecipient(db: Db, input: { userId: string; recipientId: string }): Promise<void> {
  await withTransaction(db, async (tx) => {
    await lockRecipientForChange(tx, input);
    await tx.query(`UPDATE recipients SET deleted_at = now() WHERE id = $1`, [input.recipientId]);
  });
}
