/** A PostgreSQL server that a test controls (starts, stops, restarts), on a free port. */
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type EmbeddedDatabase, freePort, startEmbeddedPostgres } from '@drop/db';

export { freePort };

/** A temporary folder the `postgres` user can reach (PostgreSQL refuses to run as root). */
export async function reachableTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

export async function startControlledPostgres(): Promise<{
  dir: string;
  port: number;
  server: EmbeddedDatabase;
  restart(): Promise<EmbeddedDatabase>;
}> {
  const dir = await reachableTempDir('drop-pg-');
  const port = await freePort();
  const options = { dir: path.join(dir, 'data'), port };
  const handle = {
    dir,
    port,
    server: await startEmbeddedPostgres(options),
    async restart() {
      handle.server = await startEmbeddedPostgres(options);
      return handle.server;
    },
  };
  return handle;
}
