import { createPool, type Db } from './pool.ts';
import { resolveDatabaseUrl } from './resolve.ts';

export interface OpenDatabaseOptions {
  database: {
    url?: string | undefined;
    poolMax: number;
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    embedded: { dir: string; port: number; archive?: { walDir: string; timeoutSeconds: number } | undefined };
  };
  applicationName: string;
  log: { info(message: string): void; debug(message: string): void; warn(object: unknown, message: string): void };
}

export interface OpenDatabase {
  db: Db;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** The pool the server, the worker and the CLI share: `DATABASE_URL`, or the embedded server. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenDatabase> {
  // The embedded server's own output is detail; Drop logs the outcome.
  const resolved = await resolveDatabaseUrl(options.database, (message) => options.log.debug(message));
  if (resolved.embedded) options.log.info(`using the embedded PostgreSQL on 127.0.0.1:${resolved.embedded.port}`);
  const db = createPool({
    url: resolved.url,
    max: options.database.poolMax,
    connectTimeoutMs: options.database.connectTimeoutMs,
    statementTimeoutMs: options.database.statementTimeoutMs,
    applicationName: options.applicationName,
    onIdleError: (error) => options.log.warn({ err: error }, 'idle database connection lost'),
  });
  return {
    db,
    url: resolved.url,
    embedded: Boolean(resolved.embedded),
    async close() {
      await db.end().catch(() => undefined);
      await resolved.embedded?.stop();
    },
  };
}
