import { readCredentialsFile } from './credentials-file.ts';
import { createPool, type Db } from './pool.ts';
import { resolveDatabaseUrl } from './resolve.ts';

export interface OpenDatabaseOptions {
  database: {
    url?: string | undefined;
    /** The owner's login for migrations and backups (DATABASE_OWNER_URL); unset: `url`. */
    ownerUrl?: string | undefined;
    /** The login, read for each new connection (DATABASE_CREDENTIALS_FILE); the host and database come from `url`. */
    credentialsFile?: string | undefined;
    poolMax: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    embedded: { dir: string; port: number; archive?: { walDir: string; timeoutSeconds: number } | undefined };
  };
  applicationName: string;
  /** The login for each new connection from another source (Secrets Manager); wins over `credentialsFile`. */
  credentials?: () => { user: string; password: string };
  log: { info(message: string): void; debug(message: string): void; warn(object: unknown, message: string): void };
}

export interface OpenDatabase {
  /** The application's pool: a login that owns nothing (a member of drop_app). */
  db: Db;
  url: string;
  /** The owner's connection string (migrations, backups, restores); `url` when no separate owner login is set. */
  ownerUrl: string;
  embedded: boolean;
  /**
   * Runs `work` with a small pool logged in as the owner, closed afterwards; with no separate owner
   * login, with `db` itself.
   */
  withOwner<T>(work: (owner: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The pool the server, the worker and the CLI share: `DATABASE_URL`, or the embedded server. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenDatabase> {
  // The embedded server's own output is detail; Drop logs the outcome.
  const resolved = await resolveDatabaseUrl(options.database, (message) => options.log.debug(message));
  if (resolved.embedded) options.log.info(`using the embedded PostgreSQL on 127.0.0.1:${resolved.embedded.port}`);
  const credentialsFile = options.database.credentialsFile;
  // Read once now, so a missing or broken file fails the start rather than the first query.
  if (credentialsFile && !resolved.embedded) readCredentialsFile(credentialsFile);
  const db = createPool({
    url: resolved.url,
    max: options.database.poolMax,
    connectTimeoutMs: options.database.connectTimeoutMs,
    statementTimeoutMs: options.database.statementTimeoutMs,
    applicationName: options.applicationName,
    ...(options.credentials && !resolved.embedded ? { credentials: options.credentials } : {}),
    ...(credentialsFile && !options.credentials && !resolved.embedded
      ? {
          credentials: () => {
            const { username, password } = readCredentialsFile(credentialsFile);
            return { user: username, password };
          },
        }
      : {}),
    onIdleError: (error) => options.log.warn({ err: error }, 'idle database connection lost'),
  });
  return {
    db,
    url: resolved.url,
    ownerUrl: resolved.ownerUrl,
    embedded: Boolean(resolved.embedded),
    async withOwner(work) {
      if (resolved.ownerUrl === resolved.url) return work(db);
      const owner = createPool({
        url: resolved.ownerUrl,
        max: 2,
        connectTimeoutMs: options.database.connectTimeoutMs,
        statementTimeoutMs: options.database.statementTimeoutMs,
        applicationName: `${options.applicationName}-owner`,
        onIdleError: (error) => options.log.warn({ err: error }, 'idle owner database connection lost'),
      });
      try {
        return await work(owner);
      } finally {
        await owner.end().catch(() => undefined);
      }
    },
    async close() {
      await db.end().catch(() => undefined);
      await resolved.embedded?.stop();
    },
  };
}
