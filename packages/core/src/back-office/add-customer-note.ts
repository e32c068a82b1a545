import type { CustomerNote } from '@drop/contracts';
import { type Db, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';

/**
 * A staff member's note on a customer's profile. Notes are kept as written (customer_notes_guard):
 * a correction is a new note. Audited with ids only (`customer_note_added`); the text stays in
 * customer_notes, out of the hash-chained log, so the retention job can erase it with the customer.
 */
export async function addCustomerNote(db: Db, input: { userId: string; staffId: string; body: string }): Promise<CustomerNote> {
  const body = input.body.trim();
  if (body.length < 2 || body.length > 2000) throw new DomainError('VALIDATION_FAILED', 'A note has 2 to 2000 characters.');
  return withTransaction(db, async (tx) => {
    const customer = await tx.query('SELECT 1 FROM users WHERE id = $1 AND personal_data_erased_at IS NULL', [input.userId]);
    if (customer.rowCount === 0) throw new DomainError('NOT_FOUND', 'No such customer.');
    const id = newId('cno');
    const { rows } = await tx.query<{ created_at: Date; staff_name: string }>(
      `INSERT INTO customer_notes (id, user_id, staff_id, body) VALUES ($1, $2, $3, $4)
       RETURNING created_at, (SELECT full_name FROM staff WHERE id = $3) AS staff_name`,
      [id, input.userId, input.staffId, body],
    );
    await recordAuditEvent(tx, {
      action: 'customer_note_added',
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.staffId,
      details: { noteId: id },
    });
    const row = rows[0];
    if (!row) throw new Error('note insert returned no row');
    return { id, body, createdAt: row.created_at.toISOString(), staffId: input.staffId, staffName: row.staff_name };
  });
}
