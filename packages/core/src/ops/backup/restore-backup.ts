/**
 * `drop db restore`: a physical backup (optionally to a point in time) into a NEW cluster started
 * with the embedded binaries, or a logical dump into a NEW database. Never over the live database
 * here; see repository.ts for the recovery flow.
 */
import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { embeddedBinaries, embeddedServerOwner, freePort, withTransaction } from '@drop/db';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type BackupEntry, listBackups } from './catalog.ts';
import { qualified } from './create-backup.ts';
import { BackupError, backupStamp, copyWithChecksum, walArchiveDir } from './repository.ts';

export interface RestoreBackupOptions {
  repoDir: string;
  /** The backup to restore; default: the newest physical backup that finished before `to` (or now). */
  backupId?: string | undefined;
  /** Point-in-time recovery target (physical backups only); default: the end of the archived WAL. */
  to?: Date | undefined;
  /** Physical: the NEW data directory (must not exist); default `<repo>/../restores/<stamp>`. */
  dataDir?: string | undefined;
  /** Physical: the port of the restored cluster; default a free one. */
  port?: number | undefined;
  /** Credentials of the backed-up cluster's role (the restored cluster has the same roles). */
  user?: string | undefined;
  password?: string | undefined;
  /** Logical: a connection string to the server on which to create the new database. */
  serverUrl?: string | undefined;
  /** Logical: the new database's name; default `drop_restore_<stamp>`. */
  database?: string | undefined;
  /** Logical: brings the new database to Drop's schema (the CLI passes `migrateDatabase`). */
  migrate?: ((pool: pg.Pool) => Promise<unknown>) | undefined;
  /** How long recovery may take before giving up (default 10 minutes). */
  timeoutMs?: number | undefined;
  now?: () => Date;
  log?: (message: string) => void;
}

export interface RestoredDatabase {
  backup: BackupEntry;
  kind: 'physical' | 'logical';
  /** Connection string of the restored database: point Drop at it with DATABASE_URL. */
  url: string;
  /** The recovery target asked for, or null (end of archive / end of dump). */
  target: string | null;
  /** Physical: the commit time of the last transaction replayed from the WAL (null if none). */
  recoveredTo: string | null;
  dataDir: string | null;
  port: number | null;
  logFile: string | null;
  durationMs: number;
  /** Stops the restored cluster (physical) or does nothing (logical: drop the database yourself). */
  stop(): Promise<void>;
}

function run(file: string, args: string[], owner: { uid: number; gid: number } | null): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${path.basename(file)} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

/** The physical backup a restore to `target` starts from: the newest that finished before it. */
export async function chooseBackup(
  repoDir: string,
  options: { backupId?: string | undefined; to?: Date | undefined; kind?: 'physical' | 'logical' },
): Promise<BackupEntry> {
  const all = await listBackups(repoDir);
  if (options.backupId) {
    const named = all.find((entry) => entry.id === options.backupId);
    if (!named) throw new BackupError('BACKUP_NOT_FOUND', `No backup ${options.backupId} in ${repoDir} (see \`drop db backups\`).`);
    if (options.to && named.kind !== 'physical')
      throw new BackupError('PITR_NEEDS_PHYSICAL', `--to needs a physical backup; ${named.id} is a logical dump.`);
    if (options.to && new Date(named.finishedAt) > options.to) {
      throw new BackupError(
        'TARGET_BEFORE_BACKUP',
        `${named.id} finished at ${named.finishedAt}, after the target ${options.to.toISOString()}: choose an earlier backup.`,
      );
    }
    return named;
  }
  const kind = options.kind ?? 'physical';
  const candidates = all.filter((entry) => entry.kind === kind && (!options.to || new Date(entry.finishedAt) <= options.to));
  const chosen = candidates.at(-1);
  if (!chosen) {
    throw new BackupError(
      'NO_BACKUP',
      options.to
        ? `No ${kind} backup in ${repoDir} finished before ${options.to.toISOString()}.`
        : `No ${kind} backup in ${repoDir} (take one with \`drop db backup\`).`,
    );
  }
  return chosen;
}

/** Copies the backup's data/ tree into `target`, checking every file against the manifest as it goes. */
async function copyBackupTree(backup: BackupEntry, target: string, owner: { uid: number; gid: number } | null): Promise<void> {
  const expected = new Map(backup.manifest.files.map((file) => [file.path, file]));
  const seen = new Set<string>();
  const walk = async (relative: string) => {
    const to = path.join(target, relative);
    await mkdir(to, { recursive: true, mode: 0o700 });
    await chmod(to, 0o700);
    if (owner) await chown(to, owner.uid, owner.gid);
    for (const name of await readdir(path.join(backup.dir, 'data', relative))) {
      const rel = path.join(relative, name);
      const stat = await lstat(path.join(backup.dir, 'data', rel));
      if (stat.isDirectory()) {
        await walk(rel);
        continue;
      }
      const key = path.join('data', rel);
      const want = expected.get(key);
      if (!want) throw new BackupError('BACKUP_CORRUPT', `${backup.id}: ${key} is not in the manifest.`);
      const got = await copyWithChecksum(path.join(backup.dir, key), path.join(target, rel));
      if (got.sha256 !== want.sha256 || got.size !== want.size)
        throw new BackupError('BACKUP_CORRUPT', `${backup.id}: ${key} differs from its checksum in the manifest.`);
      await chmod(path.join(target, rel), 0o600);
      if (owner) await chown(path.join(target, rel), owner.uid, owner.gid);
      seen.add(key);
    }
  };
  await walk('');
  const missing = [...expected.keys()].filter((key) => !seen.has(key));
  if (missing.length > 0) throw new BackupError('BACKUP_CORRUPT', `${backup.id}: ${missing.length} file(s) missing, e.g. ${missing[0]}.`);
}

function conf(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

async function waitForPromotion(url: string, dataDir: string, logFile: string, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ recovering: boolean; replayed: Date | null }>(
        'SELECT pg_is_in_recovery() AS recovering, pg_last_xact_replay_timestamp() AS replayed',
      );
      if (rows[0] && !rows[0].recovering) return rows[0].replayed ? rows[0].replayed.toISOString() : null;
    } catch {
      // starting up or replaying: try again
    } finally {
      await client.end().catch(() => undefined);
    }
    if (!existsSync(path.join(dataDir, 'postmaster.pid'))) {
      const tail = (await readFile(logFile, 'utf8').catch(() => ''))
        .split('\n')
        .filter((line) => /FATAL|PANIC|ERROR/.test(line))
        .slice(-3);
      throw new BackupError('RECOVERY_FAILED', `The restored server stopped during recovery: ${tail.join(' | ') || `see ${logFile}`}`);
    }
    if (Date.now() > deadline)
      throw new BackupError('RECOVERY_TIMEOUT', `Recovery did not finish within ${timeoutMs} ms (see ${logFile}).`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function restorePhysical(backup: BackupEntry, options: RestoreBackupOptions, started: number): Promise<RestoredDatabase> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const systemIdentifier = backup.manifest.server.systemIdentifier;
  if (!systemIdentifier) throw new BackupError('BACKUP_CORRUPT', `${backup.id} has no system identifier.`);
  const versionMajor = Math.floor(backup.manifest.server.versionNum / 10000);
  if (versionMajor !== 16) {
    throw new BackupError('VERSION_MISMATCH', `${backup.id} is of PostgreSQL ${versionMajor}; the embedded binaries are PostgreSQL 16.`);
  }
  const dataDir = path.resolve(options.dataDir ?? path.join(path.dirname(path.resolve(options.repoDir)), 'restores', backupStamp(now())));
  if (existsSync(dataDir) && (await readdir(dataDir)).length > 0) {
    throw new BackupError('TARGET_EXISTS', `${dataDir} already exists and is not empty: a restore goes into a new data directory.`);
  }
  const owner = await embeddedServerOwner();
  // The server's user must be able to reach the data directory through its parents.
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  log(`copying ${backup.id} into ${dataDir}`);
  await copyBackupTree(backup, dataDir, owner);
  const port = options.port ?? (await freePort());
  const walDir = path.resolve(walArchiveDir(options.repoDir, systemIdentifier));
  const settings = [
    '',
    '# Written by `drop db restore`: a restored copy, never archiving into the live cluster’s archive.',
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = ''`,
    'archive_mode = off',
    // The copy was not fsynced file by file; one syncfs of the file system at start is much faster
    // than the default walk that fsyncs every file (5 s for a small cluster on this machine).
    `recovery_init_sync_method = 'syncfs'`,
    `restore_command = ${conf(`cp '${walDir.replace(/'/g, `'\\''`)}/%f' '%p'`)}`,
    `recovery_target_action = 'promote'`,
    `recovery_target_timeline = 'latest'`,
    ...(options.to
      ? [
          // PostgreSQL's timestamptz input: '2026-12-06 14:05:00.123+00' (it refuses the ISO 'T…Z' form here).
          `recovery_target_time = ${conf(options.to.toISOString().replace('T', ' ').replace('Z', '+00'))}`,
          'recovery_target_inclusive = true',
        ]
      : []),
    '',
  ];
  const autoConf = path.join(dataDir, 'postgresql.auto.conf');
  const previous = await readFile(autoConf, 'utf8').catch(() => '');
  await writeFile(autoConf, previous + settings.join('\n'), { mode: 0o600 });
  await writeFile(path.join(dataDir, 'recovery.signal'), '', { mode: 0o600 });
  const logFile = path.join(dataDir, 'restore.log');
  for (const file of [autoConf, path.join(dataDir, 'recovery.signal')]) if (owner) await chown(file, owner.uid, owner.gid);
  const { pg_ctl } = await embeddedBinaries();
  log(
    `starting the restored cluster on port ${port}${options.to ? `, recovering to ${options.to.toISOString()}` : ', replaying the archived WAL to its end'}`,
  );
  try {
    // -w waits until the server accepts (read-only) connections; promotion is awaited below.
    await run(pg_ctl, ['-D', dataDir, '-l', logFile, '-w', '-t', String(Math.ceil((options.timeoutMs ?? 600_000) / 1000)), 'start'], owner);
  } catch (error) {
    const tail = (await readFile(logFile, 'utf8').catch(() => ''))
      .split('\n')
      .filter((line) => /FATAL|PANIC/.test(line))
      .slice(-3);
    throw new BackupError('RECOVERY_FAILED', `The restored server did not start: ${tail.join(' | ') || (error as Error).message}`);
  }
  const user = options.user ?? 'drop';
  const credentials =
    options.password === undefined ? encodeURIComponent(user) : `${encodeURIComponent(user)}:${encodeURIComponent(options.password)}`;
  const url = `postgres://${credentials}@127.0.0.1:${port}/${encodeURIComponent(backup.manifest.database)}`;
  const stop = async () => {
    if (existsSync(path.join(dataDir, 'postmaster.pid')))
      await run(pg_ctl, ['-D', dataDir, '-m', 'fast', '-w', 'stop'], owner).catch(() => undefined);
  };
  try {
    const recoveredTo = await waitForPromotion(url, dataDir, logFile, options.timeoutMs ?? 600_000);
    return {
      backup,
      kind: 'physical',
      url,
      target: options.to ? options.to.toISOString() : null,
      recoveredTo,
      dataDir,
      port,
      logFile,
      durationMs: Date.now() - started,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// Migration bookkeeping is the fresh database's own (it was migrated to the same migrations).
const BOOKKEEPING = new Set(['public.schema_migrations', 'public.schema_functions', 'graphile_worker.migrations']);

async function restoreLogical(backup: BackupEntry, options: RestoreBackupOptions, started: number): Promise<RestoredDatabase> {
  const now = options.now ?? (() => new Date());
  const logical = backup.manifest.logical;
  if (!logical) throw new BackupError('BACKUP_CORRUPT', `${backup.id} has no table list.`);
  if (!options.serverUrl) throw new BackupError('SERVER_REQUIRED', 'A logical restore needs the server to create the new database on.');
  if (!options.migrate) throw new BackupError('MIGRATE_REQUIRED', 'A logical restore needs Drop’s migrations.');
  // Check the files first: a corrupt dump is refused before anything is created.
  for (const file of backup.manifest.files) {
    const got = await copyWithChecksum(path.join(backup.dir, file.path), null).catch(() => null);
    if (!got || got.sha256 !== file.sha256)
      throw new BackupError('BACKUP_CORRUPT', `${backup.id}: ${file.path} is missing or differs from its checksum.`);
  }
  const database = options.database ?? `drop_restore_${backupStamp(now()).toLowerCase()}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database))
    throw new BackupError('BAD_DATABASE_NAME', `${database} is not a valid database name (a-z, 0-9, _).`);
  const admin = new pg.Client({ connectionString: options.serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount) throw new BackupError('TARGET_EXISTS', `Database ${database} already exists: a restore goes into a new database.`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(options.serverUrl);
  url.pathname = `/${database}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  try {
    await options.migrate(pool);
    const applied = (await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id')).rows.map((row) => row.name);
    if (applied.join('\n') !== logical.migrations.join('\n')) {
      throw new BackupError(
        'MIGRATIONS_DIFFER',
        `${backup.id} was taken at ${logical.migrations.length} migrations, this Drop has ${applied.length}: restore it with the Drop version that took it.`,
      );
    }
    await withTransaction(pool, async (client) => {
      // Rows go in as they were: no triggers (audit chaining, guards) and no foreign-key checks
      // while loading, as pg_restore does with --disable-triggers.
      // Foreign keys are system triggers that replica mode skips; Drop's own guards are ENABLE
      // ALWAYS triggers (append-only tables refuse TRUNCATE), so they are disabled for the load,
      // inside this transaction, and put back exactly as they were before it commits.
      await client.query('SET LOCAL session_replication_role = replica');
      const tables = logical.tables.filter((table) => !BOOKKEEPING.has(`${table.schema}.${table.table}`));
      const triggers = (
        await client.query<{ relation: string; name: string; enabled: string }>(
          `SELECT t.tgrelid::regclass::text AS relation, t.tgname AS name, t.tgenabled AS enabled
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND (n.nspname || '.' || c.relname) = ANY($1::text[])`,
          [tables.map((table) => `${table.schema}.${table.table}`)],
        )
      ).rows;
      for (const trigger of triggers)
        await client.query(`ALTER TABLE ${trigger.relation} DISABLE TRIGGER ${pg.escapeIdentifier(trigger.name)}`);
      if (tables.length > 0) await client.query(`TRUNCATE ${tables.map((table) => qualified(table.schema, table.table)).join(', ')}`);
      for (const table of tables) {
        const columns = table.columns.map((column) => pg.escapeIdentifier(column)).join(', ');
        const stream = client.query(copyFrom(`COPY ${qualified(table.schema, table.table)} (${columns}) FROM STDIN`));
        await pipeline(createReadStream(path.join(backup.dir, table.file)), stream);
        if (Number(stream.rowCount) !== table.rows) {
          throw new BackupError(
            'BACKUP_CORRUPT',
            `${table.schema}.${table.table}: loaded ${stream.rowCount} rows, the dump has ${table.rows}.`,
          );
        }
      }
      const modes: Record<string, string> = { O: 'ENABLE', A: 'ENABLE ALWAYS', R: 'ENABLE REPLICA' };
      for (const trigger of triggers) {
        await client.query(
          `ALTER TABLE ${trigger.relation} ${modes[trigger.enabled] ?? 'ENABLE'} TRIGGER ${pg.escapeIdentifier(trigger.name)}`,
        );
      }
      for (const sequence of logical.sequences) {
        const name = qualified(sequence.schema, sequence.name);
        if (sequence.lastValue === null) await client.query(`ALTER SEQUENCE ${name} RESTART`);
        else await client.query('SELECT setval($1::regclass, $2::bigint, true)', [name, sequence.lastValue]);
      }
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    const cleanup = new pg.Client({ connectionString: options.serverUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`).finally(() => cleanup.end());
    throw error;
  }
  await pool.end();
  return {
    backup,
    kind: 'logical',
    url: url.toString(),
    target: null,
    recoveredTo: backup.manifest.finishedAt,
    dataDir: null,
    port: null,
    logFile: null,
    durationMs: Date.now() - started,
    stop: async () => undefined,
  };
}

/** Restores a backup into a new cluster (physical) or a new database (logical) and waits until it is usable. */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoredDatabase> {
  const started = Date.now();
  const backup = await chooseBackup(options.repoDir, { backupId: options.backupId, to: options.to });
  return backup.kind === 'physical' ? restorePhysical(backup, options, started) : restoreLogical(backup, options, started);
}
