/**
 * `drop db backup`: a physical base backup (when Drop can read the server's data directory and the
 * server archives its WAL into this repository) and a logical dump (always). See repository.ts for
 * the layout and the reasons behind each mechanism.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { clusterSystemIdentifier } from '@drop/db';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  type BackupEntry,
  type BackupFile,
  type BackupKind,
  type BackupManifest,
  type LastTransaction,
  type LogicalTable,
  listBackups,
} from './catalog.ts';
import {
  BackupError,
  backupStamp,
  backupsDir,
  copyWithChecksum,
  finishBackup,
  removeDir,
  verifyBackupFiles,
  walArchiveDir,
} from './repository.ts';

export interface CreateBackupOptions {
  /** Connection string of the database to back up (a superuser for the physical backup). */
  url: string;
  repoDir: string;
  /** 'auto' (default): physical when possible, with the reason in `notes` when not; 'require': fail instead; 'skip'. */
  physical?: 'auto' | 'require' | 'skip';
  /** Take the logical dump (default true). */
  logical?: boolean;
  now?: () => Date;
  log?: (message: string) => void;
}

export interface CreateBackupResult {
  backups: BackupEntry[];
  /** Why a physical backup was not taken, and other facts the operator should know. */
  notes: string[];
}

interface ServerFacts {
  version: string;
  versionNum: number;
  systemIdentifier: string | null;
  database: string;
  dataDirectory: string | null;
  archiveMode: string | null;
  archiveCommand: string | null;
  walSegmentSize: number;
}

async function serverFacts(client: pg.Client): Promise<ServerFacts> {
  const { rows } = await client.query<{ version: string; num: string; db: string; seg: string }>(
    `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num,
            current_database() AS db, current_setting('wal_segment_size') AS seg`,
  );
  const row = rows[0];
  if (!row) throw new Error('no server facts');
  // Superuser-only settings and functions: an unprivileged role (RDS's master user is not a
  // superuser) gets null, and only the logical dump is possible.
  const setting = async (name: string) => {
    try {
      return (await client.query<{ value: string }>(`SELECT current_setting($1) AS value`, [name])).rows[0]?.value ?? null;
    } catch {
      return null;
    }
  };
  let systemIdentifier: string | null = null;
  try {
    systemIdentifier =
      (await client.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0]?.id ?? null;
  } catch {
    systemIdentifier = null;
  }
  return {
    version: row.version,
    versionNum: Number(row.num),
    systemIdentifier,
    database: row.db,
    dataDirectory: await setting('data_directory'),
    archiveMode: await setting('archive_mode'),
    archiveCommand: await setting('archive_command'),
    walSegmentSize: parseSize(row.seg),
  };
}

function parseSize(value: string): number {
  const match = /^(\d+)\s*(kB|MB|GB)?$/.exec(value.trim());
  if (!match) throw new Error(`unexpected wal_segment_size ${value}`);
  const unit = { kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[match[2] as 'kB' | 'MB' | 'GB'] ?? 1;
  return Number(match[1]) * unit;
}

/** Why a physical backup of this server into this repository is impossible, or null when it is possible. */
async function physicalObstacle(facts: ServerFacts, repoDir: string): Promise<string | null> {
  if (!facts.dataDirectory || !facts.systemIdentifier) {
    return 'the database role cannot read the server settings (not a superuser, e.g. RDS): physical backups and PITR are the provider’s (RDS automated backups)';
  }
  if (!existsSync(path.join(facts.dataDirectory, 'PG_VERSION'))) {
    return `the server's data directory ${facts.dataDirectory} is not on this machine (an external server such as RDS keeps its own physical backups)`;
  }
  if ((await clusterSystemIdentifier(facts.dataDirectory).catch(() => null)) !== facts.systemIdentifier) {
    return `${facts.dataDirectory} on this machine is not the data directory of the server Drop is connected to`;
  }
  if (facts.archiveMode !== 'on' && facts.archiveMode !== 'always') {
    return 'the server does not archive its WAL (archive_mode is off): restart Drop’s embedded server so it starts with archiving, or configure archive_command';
  }
  const walDir = path.resolve(walArchiveDir(repoDir, facts.systemIdentifier));
  if (!facts.archiveCommand?.includes(walDir)) {
    return `the server archives its WAL elsewhere (archive_command does not write into ${walDir})`;
  }
  return null;
}

/** Drop's tables (every ordinary table outside the system schemas and extensions) with their stored columns. */
async function userTables(client: pg.ClientBase): Promise<Array<{ schema: string; table: string; columns: string[] }>> {
  const { rows } = await client.query<{ schema: string; table: string; columns: string[] }>(
    `SELECT n.nspname AS schema, c.relname AS table, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE c.relkind = 'r' AND c.relpersistence <> 't'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      GROUP BY n.nspname, c.relname
      ORDER BY n.nspname, c.relname`,
  );
  return rows;
}

export function qualified(schema: string, table: string): string {
  return `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`;
}

/** Row counts of every table and the newest transfer, read in the caller's snapshot. */
export async function snapshotFacts(
  client: pg.ClientBase,
): Promise<{ rowCounts: Record<string, number>; lastTransaction: LastTransaction | null }> {
  const rowCounts: Record<string, number> = {};
  for (const { schema, table } of await userTables(client)) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ONLY ${qualified(schema, table)}`);
    rowCounts[`${schema}.${table}`] = Number(rows[0]?.n ?? 0);
  }
  return { rowCounts, lastTransaction: await newestTransaction(client) };
}

export async function newestTransaction(client: pg.ClientBase): Promise<LastTransaction | null> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('public.transactions')::text AS t`);
  if (!exists.rows[0]?.t) return null;
  const { rows } = await client.query<{ id: string; created_at: Date }>(
    'SELECT id, created_at FROM transactions ORDER BY created_at DESC, id DESC LIMIT 1',
  );
  const row = rows[0];
  return row ? { id: row.id, createdAt: row.created_at.toISOString() } : null;
}

// Contents the documentation says to leave out of a base backup (they are rebuilt at start).
const SKIP_CONTENTS = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);
const SKIP_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'pg_internal.init', 'backup_label.old']);

/** Copies the data directory (files that vanish during the copy are fine: WAL replay recreates them). */
async function copyDataDirectory(from: string, to: string, relative: string, files: BackupFile[]): Promise<void> {
  await mkdir(path.join(to, relative), { recursive: true, mode: 0o700 });
  let names: string[];
  try {
    names = await readdir(path.join(from, relative));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    const rel = path.join(relative, name);
    if (SKIP_FILES.has(name) || name.startsWith('pgsql_tmp')) continue;
    let stat: Awaited<ReturnType<typeof lstat>>;
    try {
      stat = await lstat(path.join(from, rel));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (stat.isSymbolicLink()) {
      throw new BackupError(
        'TABLESPACES_UNSUPPORTED',
        `${rel} is a symbolic link (a tablespace or a moved pg_wal): not supported by Drop's base backup.`,
      );
    }
    if (stat.isDirectory()) {
      if (relative === '' && SKIP_CONTENTS.has(name)) {
        await mkdir(path.join(to, rel), { recursive: true, mode: 0o700 });
        if (name === 'pg_wal') await mkdir(path.join(to, rel, 'archive_status'), { mode: 0o700 });
        continue;
      }
      await copyDataDirectory(from, to, rel, files);
    } else if (stat.isFile()) {
      try {
        const { size, sha256 } = await copyWithChecksum(path.join(from, rel), path.join(to, rel));
        files.push({ path: path.join('data', rel), size, sha256 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
    }
  }
}

/**
 * Runs `work` on a connection, writing into `<id>.part`; its manifest is written last and the folder
 * renamed into place, so a failed or interrupted backup never looks finished (and is removed).
 */
async function inBackupFolder(
  options: CreateBackupOptions,
  id: string,
  work: (partDir: string, client: pg.Client) => Promise<BackupManifest>,
): Promise<BackupManifest> {
  const finalDir = path.join(backupsDir(options.repoDir), id);
  const partDir = `${finalDir}.part`;
  await removeDir(partDir);
  await mkdir(partDir, { recursive: true });
  const client = new pg.Client({ connectionString: options.url, application_name: 'drop-backup' });
  await client.connect();
  try {
    const manifest = await work(partDir, client);
    await finishBackup(partDir, finalDir, manifest);
    return manifest;
  } catch (error) {
    await removeDir(partDir);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function manifestBase(id: string, kind: BackupKind, facts: ServerFacts, started: Date, files: BackupFile[]) {
  return {
    format: 1 as const,
    id,
    kind,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    database: facts.database,
    server: { version: facts.version, versionNum: facts.versionNum, systemIdentifier: facts.systemIdentifier },
    sizeBytes: files.reduce((sum, file) => sum + file.size, 0),
    files,
  };
}

async function physicalBackup(options: CreateBackupOptions, facts: ServerFacts, stamp: string, started: Date): Promise<BackupManifest> {
  const id = `${stamp}-base`;
  return inBackupFolder(options, id, async (partDir, session) => {
    await mkdir(path.join(partDir, 'data'), { recursive: true });
    // fast => true: an immediate checkpoint rather than a spread one (the backup starts at once).
    const start = await session.query<{ lsn: string; file: string; tli: string }>(
      `SELECT lsn::text, pg_walfile_name(lsn) AS file, substr(pg_walfile_name(lsn), 1, 8) AS tli FROM pg_backup_start($1, true) AS lsn`,
      [`drop ${id}`],
    );
    const begin = start.rows[0];
    if (!begin) throw new Error('pg_backup_start returned nothing');
    // Counted in a snapshot taken after the backup started: a restore of this backup has at least these rows.
    const counter = new pg.Client({ connectionString: options.url, application_name: 'drop-backup' });
    await counter.connect();
    let counted: Awaited<ReturnType<typeof snapshotFacts>>;
    try {
      await counter.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      counted = await snapshotFacts(counter);
      await counter.query('COMMIT');
    } finally {
      await counter.end();
    }
    const files: BackupFile[] = [];
    await copyDataDirectory(facts.dataDirectory as string, path.join(partDir, 'data'), '', files);
    // Waits until the last WAL segment the copy needs is archived.
    const stop = await session.query<{ lsn: string; file: string; labelfile: string; spcmapfile: string | null }>(
      `SELECT lsn::text, pg_walfile_name(lsn) AS file, labelfile, spcmapfile FROM pg_backup_stop(true)`,
    );
    const end = stop.rows[0];
    if (!end) throw new Error('pg_backup_stop returned nothing');
    for (const [name, content] of [
      ['backup_label', end.labelfile],
      ['tablespace_map', end.spcmapfile],
    ] as const) {
      if (!content) continue;
      await writeFile(path.join(partDir, 'data', name), content);
      const { size, sha256 } = await copyWithChecksum(path.join(partDir, 'data', name), null);
      files.push({ path: path.join('data', name), size, sha256 });
    }
    const manifest: BackupManifest = {
      ...manifestBase(id, 'physical', facts, started, files),
      rowCounts: counted.rowCounts,
      lastTransaction: counted.lastTransaction,
      physical: {
        startLsn: begin.lsn,
        stopLsn: end.lsn,
        timeline: Number.parseInt(begin.tli, 16),
        startWalFile: begin.file,
        stopWalFile: end.file,
        walSegmentSize: facts.walSegmentSize,
      },
    };
    return manifest;
  });
}

/** Counts the rows of a COPY text stream (one line per row; newlines inside values are escaped). */
function lineCounter() {
  const counter = { rows: 0 };
  async function* count(source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) counter.rows += 1;
      yield chunk;
    }
  }
  return { counter, count };
}

async function logicalBackup(options: CreateBackupOptions, facts: ServerFacts, stamp: string, started: Date): Promise<BackupManifest> {
  const id = `${stamp}-dump`;
  return inBackupFolder(options, id, async (partDir, client) => {
    // One snapshot for every table, like pg_dump: the dump is a consistent state of the database.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables: LogicalTable[] = [];
    const files: BackupFile[] = [];
    const rowCounts: Record<string, number> = {};
    for (const { schema, table, columns } of await userTables(client)) {
      const file = `${schema}.${table}.copy`;
      const { counter, count } = lineCounter();
      const columnList = columns.map((column) => pg.escapeIdentifier(column)).join(', ');
      await pipeline(
        client.query(copyTo(`COPY (SELECT ${columnList} FROM ONLY ${qualified(schema, table)}) TO STDOUT`)),
        count,
        createWriteStream(path.join(partDir, file)),
      );
      const { size, sha256 } = await copyWithChecksum(path.join(partDir, file), null);
      files.push({ path: file, size, sha256 });
      tables.push({ schema, table, columns, file, rows: counter.rows });
      rowCounts[`${schema}.${table}`] = counter.rows;
    }
    const sequences = await client.query<{ schema: string; name: string; last_value: string | null }>(
      `SELECT schemaname AS schema, sequencename AS name, last_value::text FROM pg_sequences
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    const hasMigrations = (await client.query<{ t: string | null }>(`SELECT to_regclass('public.schema_migrations')::text AS t`)).rows[0]
      ?.t;
    const migrations = hasMigrations
      ? (await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id')).rows.map((row) => row.name)
      : [];
    const lastTransaction = await newestTransaction(client);
    await client.query('COMMIT');
    const manifest: BackupManifest = {
      ...manifestBase(id, 'logical', facts, started, files),
      rowCounts,
      lastTransaction,
      logical: {
        tables,
        sequences: sequences.rows.map((row) => ({ schema: row.schema, name: row.name, lastValue: row.last_value })),
        migrations,
      },
    };
    return manifest;
  });
}

/**
 * Takes the backups, then verifies each one's files against its manifest (and the WAL a physical
 * backup needs in the archive). A backup that fails that check is reported, not hidden.
 */
export async function createBackup(options: CreateBackupOptions): Promise<CreateBackupResult> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const notes: string[] = [];
  await mkdir(backupsDir(options.repoDir), { recursive: true });
  const client = new pg.Client({ connectionString: options.url, application_name: 'drop-backup' });
  await client.connect();
  let facts: ServerFacts;
  try {
    facts = await serverFacts(client);
  } finally {
    await client.end();
  }
  const started = now();
  const stamp = backupStamp(started);
  const existing = new Set((await listBackups(options.repoDir)).map((entry) => entry.id));
  if (existing.has(`${stamp}-base`) || existing.has(`${stamp}-dump`)) {
    throw new BackupError('BACKUP_EXISTS', `A backup stamped ${stamp} already exists; try again in a second.`);
  }
  const ids: string[] = [];
  const mode = options.physical ?? 'auto';
  if (mode !== 'skip') {
    const obstacle = await physicalObstacle(facts, options.repoDir);
    if (obstacle && mode === 'require') throw new BackupError('PHYSICAL_BACKUP_IMPOSSIBLE', `No physical backup: ${obstacle}.`);
    if (obstacle) notes.push(`No physical backup: ${obstacle}.`);
    else {
      log(`physical base backup of ${facts.dataDirectory}`);
      ids.push((await physicalBackup(options, facts, stamp, started)).id);
    }
  }
  if (options.logical ?? true) {
    log(`logical dump of ${facts.database}`);
    ids.push((await logicalBackup(options, facts, stamp, now())).id);
  }
  const backups: BackupEntry[] = [];
  for (const entry of (await listBackups(options.repoDir)).filter((backup) => ids.includes(backup.id))) {
    const verification = await verifyBackupFiles(options.repoDir, entry, now());
    if (!verification.ok) notes.push(`Backup ${entry.id} FAILED verification: ${verification.problems.join('; ')}`);
    backups.push({ ...entry, verifiedAt: verification.ok ? verification.verifiedAt : null });
  }
  return { backups, notes };
}
