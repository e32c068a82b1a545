/** Where Drop's database login is kept, for the rotation to read and replace. */
import { type DatabaseCredentials, readCredentialsFile, writeCredentialsFile } from '@drop/db';

export interface CredentialStore {
  /** For messages: "file /etc/drop/db.json". */
  readonly description: string;
  read(): Promise<DatabaseCredentials>;
  write(credentials: DatabaseCredentials): Promise<void>;
}

/** A JSON file in an RDS secret's shape (DATABASE_CREDENTIALS_FILE), the pool's source for each new connection. */
export function fileCredentialStore(file: string): CredentialStore {
  return {
    description: `file ${file}`,
    read: async () => readCredentialsFile(file),
    write: (credentials) => writeCredentialsFile(file, credentials),
  };
}
