import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded.ts';

export interface ResolvedDatabase {
  url: string;
  /** Set when Drop started its own embedded server. */
  embedded?: EmbeddedDatabase;
}

/** `DATABASE_URL` when it is set; otherwise the private embedded server, started on demand. */
export async function resolveDatabaseUrl(
  database: {
    url?: string | undefined;
    embedded: { dir: string; port: number; archive?: { walDir: string; timeoutSeconds: number } | undefined };
  },
  log?: (message: string) => void,
): Promise<ResolvedDatabase> {
  if (database.url) return { url: database.url };
  const embedded = await startEmbeddedPostgres({ ...database.embedded, log });
  return { url: embedded.url, embedded };
}
