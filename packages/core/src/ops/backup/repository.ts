/**
 * Backup and restore of Drop's PostgreSQL: the repository, and the helpers the operations share.
 *
 * ## Repository layout (`BACKUP_DIR`, default `.data/backups`)
 *
 *     <BACKUP_DIR>/
 *       wal/<system identifier>/         continuous WAL archive of one cluster (archive_command
 *                                         target; 1 MB segments for clusters Drop initialised)
 *       backups/<id>/manifest.json       one backup; written last, so a folder without it is an
 *                                         unfinished backup (listBackups ignores it, pruning removes it)
 *       backups/<id>/verification.json   the last check of the files against the manifest's SHA-256s
 *       backups/<id>-base/data/…         physical: a file copy of the data directory between
 *                                         pg_backup_start() and pg_backup_stop(), with the
 *                                         backup_label (and tablespace_map) pg_backup_stop returned
 *       backups/<id>-dump/<schema>.<table>.copy   logical: every table in COPY text format, read in
 *                                         one REPEATABLE READ snapshot
 *       reports/restore-verifications/*.json      restores that passed (or failed) `drop db verify`
 *
 * ## Why these mechanisms
 * - Physical base backups use PostgreSQL's documented low-level API (pg_backup_start/stop plus a
 *   file copy) because the embedded server (PostgreSQL 16) ships only initdb, pg_ctl and postgres,
 *   and Debian's pg_basebackup 15 refuses it ("incompatible server version 16"; checked here).
 *   The session that called pg_backup_start stays open until pg_backup_stop(wait_for_archive =>
 *   true), which returns once every WAL segment the copy needs is in the archive.
 * - Continuous archiving is archive_command (`cp` to a temporary name, then `mv`) into
 *   `wal/<system identifier>`; Drop's embedded server is started with it (packages/db embedded.ts)
 *   and archive_timeout = BACKUP_ARCHIVE_TIMEOUT_SECONDS bounds the RPO under load.
 * - The logical dump is a COPY of every table in one REPEATABLE READ READ ONLY snapshot (what
 *   pg_dump does), because pg_dump 15 refuses a 16 server. Drop's schema is its migrations, so a
 *   logical restore migrates a fresh database to the same migrations and loads the rows (triggers
 *   and foreign keys off for the load: session_replication_role = replica). It works against any
 *   server Drop can connect to, RDS included.
 * - External servers (DATABASE_URL, e.g. RDS): Drop cannot read their data directory, so it takes
 *   only the logical dump; the physical backups and PITR of RDS are RDS's own automated backups
 *   (`drop aws …`).
 *
 * ## Recovery flow (`drop db restore [ID] [--to TIME]`)
 * 1. Choose the newest physical backup that finished before the target (or the one named) and
 *    check its files against the manifest.
 * 2. Copy its data/ into a NEW data directory (owned by the server's user), add recovery.signal
 *    and, in postgresql.auto.conf, restore_command (`cp` from the WAL archive), the recovery
 *    target (recovery_target_time, or none: replay to the end of the archived WAL) and
 *    recovery_target_action = promote; archiving off (a restored copy must never write into the
 *    live cluster's archive).
 * 3. Start it with the embedded binaries on a free port (pg_ctl), wait until it has promoted, then
 *    `drop db verify` checks ledger, audit chain, row counts and the last transfer of the backup.
 * A logical backup restores into a new database on the live server instead (Drop's migrations,
 * then the rows). Restoring over the live database needs two flags (--over-live
 * --yes-really-overwrite-live), is only done for the embedded cluster, and keeps the replaced data
 * directory aside. `drop db backup --test-restore` runs steps 1–3 on the new backup in a scratch
 * cluster and removes it; every verified restore is recorded under reports/ (the DR drill and the
 * monthly check read it through latestRestoreVerification).
 *
 * ## RPO
 * Point-in-time recovery reaches the end of the archived WAL: at most archive_timeout
 * (BACKUP_ARCHIVE_TIMEOUT_SECONDS, 5 s by default) plus the copy behind the last acknowledged
 * commit. Clusters Drop initialises use 1 MB WAL segments, so each forced switch archives 1 MB, not
 * 16 MB. The kill-mid-load test (archive_timeout 1 s) measures about 0.1–0.3 s on this machine.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BackupErrorCode } from '@drop/contracts';
import {
  BACKUPS_FOLDER,
  type BackupEntry,
  type BackupFile,
  type BackupManifest,
  type BackupVerification,
  listBackups,
  MANIFEST_FILE,
  VERIFICATION_FILE,
  WAL_FOLDER,
} from './catalog.ts';

/** A refusal of a backup command: a stable code (packages/contracts backup.ts) and a message for the operator. */
export class BackupError extends Error {
  readonly code: BackupErrorCode;
  constructor(code: BackupErrorCode, message: string) {
    super(message);
    this.name = 'BackupError';
    this.code = code;
  }
}

/** Backup ids sort by time: `20261206T153000Z-base`. */
export function backupStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export function walArchiveDir(repoDir: string, systemIdentifier: string): string {
  return path.join(repoDir, WAL_FOLDER, systemIdentifier);
}

export function backupsDir(repoDir: string): string {
  return path.join(repoDir, BACKUPS_FOLDER);
}

/** Copies `from` to `to` (or only reads it, when `to` is null) and returns its size and SHA-256. */
export async function copyWithChecksum(from: string, to: string | null): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  if (to) {
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(createReadStream(from), tap, createWriteStream(to));
  } else {
    for await (const chunk of createReadStream(from)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  }
  return { size, sha256: hash.digest('hex') };
}

/** Writes the manifest last and renames the `.part` folder into place: a backup appears whole or not at all. */
export async function finishBackup(partDir: string, finalDir: string, manifest: BackupManifest): Promise<void> {
  await writeFile(path.join(partDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(partDir, finalDir);
}

export async function findBackup(repoDir: string, id: string): Promise<BackupEntry> {
  const backup = (await listBackups(repoDir)).find((entry) => entry.id === id);
  if (!backup) throw new BackupError('BACKUP_NOT_FOUND', `No backup ${id} in ${repoDir} (see \`drop db backups\`).`);
  return backup;
}

/**
 * Checks a backup's files against the SHA-256s of its manifest (and, for a physical backup, that
 * the archive holds the WAL from its start to its end), and records the result in
 * verification.json. This is what makes `verifiedAt` in the catalogue.
 */
export async function verifyBackupFiles(repoDir: string, backup: BackupEntry, now = new Date()): Promise<BackupVerification> {
  const problems: string[] = [];
  for (const file of backup.manifest.files) {
    try {
      const actual = await copyWithChecksum(path.join(backup.dir, file.path), null);
      if (actual.size !== file.size || actual.sha256 !== file.sha256) problems.push(`${file.path}: content differs from the manifest`);
    } catch (error) {
      problems.push(`${file.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  const physical = backup.manifest.physical;
  if (physical && backup.manifest.server.systemIdentifier) {
    const walDir = walArchiveDir(repoDir, backup.manifest.server.systemIdentifier);
    for (const segment of walSegmentsBetween(physical.startWalFile, physical.stopWalFile, physical.walSegmentSize)) {
      try {
        await readFile(path.join(walDir, segment), { flag: 'r' }).then((content) => {
          if (content.length !== physical.walSegmentSize)
            problems.push(`WAL ${segment}: ${content.length} bytes, expected ${physical.walSegmentSize}`);
        });
      } catch {
        problems.push(`WAL ${segment} is not in the archive ${walDir}`);
      }
    }
  }
  const verification: BackupVerification = { verifiedAt: now.toISOString(), ok: problems.length === 0, problems };
  await writeFile(path.join(backup.dir, VERIFICATION_FILE), `${JSON.stringify(verification, null, 2)}\n`);
  return verification;
}

/** WAL file names are timeline (8 hex) + log (8 hex) + segment (8 hex); this is log·segsPerLog + seg. */
export function walSegmentNumber(fileName: string, segmentSize: number): bigint {
  const segmentsPerLog = 0x100000000n / BigInt(segmentSize);
  return BigInt(`0x${fileName.slice(8, 16)}`) * segmentsPerLog + BigInt(`0x${fileName.slice(16, 24)}`);
}

function walFileName(timeline: string, number: bigint, segmentSize: number): string {
  const segmentsPerLog = 0x100000000n / BigInt(segmentSize);
  const hex = (value: bigint) => value.toString(16).toUpperCase().padStart(8, '0');
  return `${timeline}${hex(number / segmentsPerLog)}${hex(number % segmentsPerLog)}`;
}

/** The segment names from `first` to `last` inclusive (same timeline). */
export function walSegmentsBetween(first: string, last: string, segmentSize: number): string[] {
  const timeline = first.slice(0, 8);
  const names: string[] = [];
  for (let n = walSegmentNumber(first, segmentSize); n <= walSegmentNumber(last, segmentSize); n += 1n) {
    names.push(walFileName(timeline, n, segmentSize));
  }
  return names;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}

export type { BackupFile };
