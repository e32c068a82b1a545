import type { CustomerLanguage } from '@drop/contracts';
import type { Db } from '@drop/db';

/**
 * Keeps the language a customer chose in the app (`users.locale`), so the emails and receipts Drop
 * sends them later speak it too. The users row trigger records the change in the audit log.
 */
export async function setCustomerLanguage(db: Db, input: { userId: string; language: CustomerLanguage }): Promise<void> {
  await db.query('UPDATE users SET locale = $2 WHERE id = $1 AND locale IS DISTINCT FROM $2', [input.userId, input.language]);
}
