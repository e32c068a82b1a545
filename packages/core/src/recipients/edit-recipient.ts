import { type Db, withTransaction } from '@drop/db';
import { DomainError } from '../errors.ts';
import { insertRecipient, RECIPIENT_COLUMNS, type RecipientJson, type RecipientScreening } from './manage-recipients.ts';
import { lockRecipientForChange } from './recipient-in-use.ts';
import { type RecipientInput, validateRecipient } from './validate-recipient.ts';

/**
 * Changes a recipient's name, relationship or payout details, validated exactly as a new one is.
 * The stored row is never rewritten, since past transfers point at it: the new details become a
 * new recipient (screened like any other), and the old one is retired with `replaced_by` naming
 * it. Nothing changes if nothing was changed. Refused with RECIPIENT_IN_USE while a transfer to
 * the recipient is on its way.
 */
export async function editRecipient(
  db: Db,
  input: { userId: string; recipientId: string; recipient: RecipientInput; screening?: RecipientScreening },
): Promise<RecipientJson> {
  const valid = validateRecipient(input.recipient);
  return withTransaction(db, async (tx) => {
    await lockRecipientForChange(tx, { userId: input.userId, recipientId: input.recipientId });
    const { rows } = await tx.query<RecipientJson & { same: boolean }>(
      `SELECT ${RECIPIENT_COLUMNS},
              (name, country, currency, rail, relationship, details) IS NOT DISTINCT FROM ($2, $3, $4, $5, $6, $7::jsonb) AS same
         FROM recipients WHERE id = $1`,
      [input.recipientId, valid.name, valid.country, valid.currency, valid.rail, valid.relationship, JSON.stringify(valid.details)],
    );
    const current = rows[0];
    if (!current) throw new DomainError('RECIPIENT_NOT_FOUND', 'No such recipient.');
    if (current.same) {
      const { same: _same, ...unchanged } = current;
      return unchanged;
    }
    const replacement = await insertRecipient(tx, { userId: input.userId, valid, screening: input.screening });
    await tx.query(`UPDATE recipients SET deleted_at = now(), replaced_by = $2 WHERE id = $1`, [input.recipientId, replacement.id]);
    return replacement;
  });
}
