/** The database logins Drop switches between when it rotates its password (`drop secrets rotate-db-password`). */
import pg from 'pg';
import { type DbClient, withLogin } from './pool.ts';

/**
 * Sets a login role's password, or removes it (null: password authentication for the role always
 * fails; sessions already open are not affected). ALTER ROLE takes no parameters, so the name and
 * the password are quoted by pg's own escaping.
 */
export async function setRolePassword(db: DbClient, role: string, password: string | null): Promise<void> {
  const value = password === null ? 'NULL' : pg.escapeLiteral(password);
  await db.query(`ALTER ROLE ${pg.escapeIdentifier(role)} PASSWORD ${value}`);
}

/** Whether the role exists. */
export async function roleExists(db: DbClient, role: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  return (rowCount ?? 0) > 0;
}

/** Logs in with a fresh connection to `url`'s server and database as `user`; returns the session user, or throws as pg does (28P01: wrong password). */
export async function tryLogin(url: string, login: { user: string; password: string }, timeoutMs = 5000): Promise<string> {
  const client = new pg.Client({ connectionString: withLogin(url, login), connectionTimeoutMillis: timeoutMs });
  await client.connect();
  try {
    const { rows } = await client.query<{ session_user: string }>('SELECT session_user');
    return rows[0]?.session_user ?? '';
  } finally {
    await client.end().catch(() => undefined);
  }
}
