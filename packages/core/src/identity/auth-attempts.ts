import { type DbClient, newId } from '@drop/db';

/** The values that bind a BankID answer to the browser that started the sign-in. */
export interface AuthAttempt {
  id: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

const LIFETIME = '10 minutes';

export async function createAuthAttempt(db: DbClient, values: Omit<AuthAttempt, 'id'>): Promise<AuthAttempt> {
  const id = newId('att');
  await db.query(`INSERT INTO auth_attempts (id, state, nonce, code_verifier, expires_at) VALUES ($1, $2, $3, $4, now() + $5::interval)`, [
    id,
    values.state,
    values.nonce,
    values.codeVerifier,
    LIFETIME,
  ]);
  // Old attempts are worthless after their lifetime; keep the table small.
  await db.query(`DELETE FROM auth_attempts WHERE expires_at < now() - interval '1 day'`);
  return { id, ...values };
}

/**
 * Takes an attempt for its one use: returns it if it exists, has not expired and was not used,
 * and marks it used in the same statement, so a replayed callback finds nothing.
 */
export async function consumeAuthAttempt(db: DbClient, id: string): Promise<AuthAttempt | undefined> {
  const { rows } = await db.query<{ id: string; state: string; nonce: string; code_verifier: string }>(
    `UPDATE auth_attempts SET used_at = now()
      WHERE id = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING id, state, nonce, code_verifier`,
    [id],
  );
  const row = rows[0];
  return row ? { id: row.id, state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier } : undefined;
}
