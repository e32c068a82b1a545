/**
 * The backup repository's catalogue: which backups exist, how big and how old they are, whether
 * they were verified, and when a restore of one last passed `drop db verify`. It only reads files
 * (see repository.ts for the layout), so `drop db backups`, the DR drill and the monthly check can
 * use it without a database.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type BackupKind = 'physical' | 'logical';

/** One file of a backup, with its SHA-256 as written (checked again by verification). */
export interface BackupFile {
  /** Path relative to the backup's folder. */
  path: string;
  size: number;
  sha256: string;
}

/** The newest row of `transactions` when the backup was taken (a restore must contain it). */
export interface LastTransaction {
  id: string;
  createdAt: string;
}

/** `manifest.json` of a backup: written last, so a backup without one is incomplete and ignored. */
export interface BackupManifest {
  format: 1;
  id: string;
  kind: BackupKind;
  startedAt: string;
  finishedAt: string;
  database: string;
  server: { version: string; versionNum: number; systemIdentifier: string | null };
  sizeBytes: number;
  files: BackupFile[];
  /**
   * Rows per table. Logical: exact, in the dump's snapshot. Physical: counted in a snapshot taken
   * right after `pg_backup_start()`, so a restore to the end of the backup or later holds at least
   * as many rows in the append-only tables (ledger_transfers, transactions, audit_log).
   */
  rowCounts: Record<string, number>;
  lastTransaction: LastTransaction | null;
  /** Physical backups: where the WAL needed to make the copy consistent starts and ends. */
  physical?: {
    startLsn: string;
    stopLsn: string;
    timeline: number;
    startWalFile: string;
    stopWalFile: string;
    walSegmentSize: number;
  };
  /** Logical backups: what was dumped, so a restore can load it into a freshly migrated database. */
  logical?: {
    tables: LogicalTable[];
    sequences: Array<{ schema: string; name: string; lastValue: string | null }>;
    /** Drop's migrations applied to the dumped database (schema_migrations), in order. */
    migrations: string[];
  };
}

export interface LogicalTable {
  schema: string;
  table: string;
  columns: string[];
  /** The COPY text file, relative to the backup's folder. */
  file: string;
  rows: number;
}

/** `verification.json` next to the manifest: the last check of the files against their checksums. */
export interface BackupVerification {
  verifiedAt: string;
  ok: boolean;
  problems: string[];
}

export interface BackupEntry {
  id: string;
  kind: BackupKind;
  startedAt: string;
  finishedAt: string;
  sizeBytes: number;
  /** When the files last matched the manifest's checksums; null if never verified or if that check failed. */
  verifiedAt: string | null;
  database: string;
  serverVersion: string;
  /** The backup's folder. */
  dir: string;
  manifest: BackupManifest;
  /** A hold (evidence of a security incident): retention never removes a held backup. */
  hold: BackupHold | null;
}

/** `hold.json` next to the manifest, written by `drop incident snapshot` or `drop db hold`. */
export interface BackupHold {
  reason: string;
  since: string;
  by: string;
}

/** A restore of a backup that was checked with `drop db verify` (written by restores and DR drills). */
export interface RestoreVerification {
  backupId: string;
  /** The recovery target asked for (ISO time) or null for the end of the backup / archived WAL. */
  target: string | null;
  restoredAt: string;
  verifiedAt: string;
  ok: boolean;
  /** Who wrote it: `drop db restore`, `drop dr drill`, a test. */
  source: string;
  /** Anything else the writer wants to keep (RTO, RPO, the verify report). */
  details?: Record<string, unknown>;
}

export const BACKUPS_FOLDER = 'backups';
export const WAL_FOLDER = 'wal';
export const RESTORE_REPORTS_FOLDER = path.join('reports', 'restore-verifications');
export const MANIFEST_FILE = 'manifest.json';
export const VERIFICATION_FILE = 'verification.json';
export const HOLD_FILE = 'hold.json';

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Every complete backup in the repository, oldest first. A missing repository has none. */
export async function listBackups(repoDir: string): Promise<BackupEntry[]> {
  const root = path.join(repoDir, BACKUPS_FOLDER);
  const entries: BackupEntry[] = [];
  for (const name of await listDir(root)) {
    const dir = path.join(root, name);
    const manifest = await readJson<BackupManifest>(path.join(dir, MANIFEST_FILE));
    if (!manifest) continue;
    const verification = await readJson<BackupVerification>(path.join(dir, VERIFICATION_FILE));
    entries.push({
      id: manifest.id,
      kind: manifest.kind,
      startedAt: manifest.startedAt,
      finishedAt: manifest.finishedAt,
      sizeBytes: manifest.sizeBytes,
      verifiedAt: verification?.ok ? verification.verifiedAt : null,
      database: manifest.database,
      serverVersion: manifest.server.version,
      dir,
      manifest,
      hold: await readJson<BackupHold>(path.join(dir, HOLD_FILE)),
    });
  }
  return entries.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

/** Every restore verification in the repository, oldest first. */
export async function listRestoreVerifications(repoDir: string): Promise<RestoreVerification[]> {
  const dir = path.join(repoDir, RESTORE_REPORTS_FOLDER);
  const reports: RestoreVerification[] = [];
  for (const name of await listDir(dir)) {
    if (!name.endsWith('.json')) continue;
    const report = await readJson<RestoreVerification>(path.join(dir, name));
    if (report) reports.push(report);
  }
  return reports.sort((a, b) => a.verifiedAt.localeCompare(b.verifiedAt));
}

/** The newest restore whose `drop db verify` passed, or null if there never was one. */
export async function latestRestoreVerification(repoDir: string): Promise<RestoreVerification | null> {
  const passed = (await listRestoreVerifications(repoDir)).filter((report) => report.ok);
  return passed.at(-1) ?? null;
}

/**
 * Records a restore verification in the repository (one file per report, written atomically), so
 * `latestRestoreVerification` and `drop checks monthly` see it. Returns the file written.
 */
export async function recordRestoreVerification(repoDir: string, report: RestoreVerification): Promise<string> {
  const dir = path.join(repoDir, RESTORE_REPORTS_FOLDER);
  await mkdir(dir, { recursive: true });
  const stamp = report.verifiedAt.replace(/[-:.]/g, '');
  const file = path.join(dir, `${stamp}-${report.backupId}.json`);
  await writeFile(`${file}.part`, `${JSON.stringify(report, null, 2)}\n`);
  await rename(`${file}.part`, file);
  return file;
}

/**
 * Puts a backup on hold (retention keeps it until the hold is released) or, with `hold: null`,
 * releases it. A physical backup on hold also keeps the archived WAL from its start onward, so it
 * stays restorable; the logical dump beside it is self-contained.
 */
export async function setBackupHold(entry: BackupEntry, hold: BackupHold | null): Promise<void> {
  const file = path.join(entry.dir, HOLD_FILE);
  if (hold === null) {
    await rm(file, { force: true });
    return;
  }
  await writeFile(`${file}.part`, `${JSON.stringify(hold, null, 2)}\n`);
  await rename(`${file}.part`, file);
}
