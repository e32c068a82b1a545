import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded.ts';

export interface ResolvedDatabase {
  /** The application's login. */
  url: string;
  /** The owner's login (migrations, backups): DATABASE_OWNER_URL, else `url`; the embedded server's superuser. */
  ownerUrl: string;
  /** Set when Drop started its own embedded server. */
  embedded?: EmbeddedDatabase;
}

/** `DATABASE_URL` (and `DATABASE_OWNER_URL`) when it is set; otherwise the private embedded server, started on demand. */
export async function resolveDatabaseUrl(
  database: {
    url?: string | undefined;
    ownerUrl?: string | undefined;
    embedded: { dir: string; port: number; archive?: { walDir: string; timeoutSeconds: number } | undefined };
  },
  log?: (message: string) => void,
): Promise<ResolvedDatabase> {
  if (database.url) return { url: database.url, ownerUrl: database.ownerUrl ?? database.url };
  const embedded = await startEmbeddedPostgres({ ...database.embedded, log });
  return { url: embedded.appUrl, ownerUrl: embedded.url, embedded };
}
