/**
 * Database credentials kept in a file (`DATABASE_CREDENTIALS_FILE`), in the shape of an RDS secret
 * in Secrets Manager: `{"username", "password", "host"?, "port"?, "dbname"?}`. The pool reads it for
 * every new connection, so `drop secrets rotate-db-password` can switch Drop to new credentials
 * without a restart: connections opened before keep working, new ones use the new login.
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';

export interface DatabaseCredentials {
  username: string;
  password: string;
  host?: string;
  port?: number;
  dbname?: string;
}

export class CredentialsFileError extends Error {
  readonly code = 'DB_CREDENTIALS_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsFileError';
  }
}

/** Reads and checks the file (synchronously: it is small, and read as each connection opens). */
export function readCredentialsFile(file: string): DatabaseCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CredentialsFileError(`${file}: cannot read database credentials (${(error as Error).message})`);
  }
  const value = parsed as Partial<DatabaseCredentials> | null;
  if (
    !value ||
    typeof value.username !== 'string' ||
    value.username === '' ||
    typeof value.password !== 'string' ||
    value.password === ''
  ) {
    throw new CredentialsFileError(`${file}: database credentials need a non-empty "username" and "password"`);
  }
  return value as DatabaseCredentials;
}

/** Replaces the file atomically (a reader sees the old or the new credentials, never half), readable by its owner only. */
export async function writeCredentialsFile(file: string, credentials: DatabaseCredentials): Promise<void> {
  const part = `${file}.part`;
  await writeFile(part, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await rename(part, file);
}
