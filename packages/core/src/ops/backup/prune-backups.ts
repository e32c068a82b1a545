/**
 * Retention (BACKUP_RETENTION_DAYS, 7 by default like RDS): backups older than the window go, except
 * the newest physical backup at or before the window's start, which is kept so that any moment in
 * the window can still be recovered (PITR starts from a base backup taken before the target). WAL
 * segments older than the oldest kept physical backup's start are no longer needed and go too
 * (what pg_archivecleanup does, done here in Node because the embedded server ships no such tool).
 * Unfinished backups (`*.part` folders) older than a day are removed. A backup on hold (incident
 * evidence, `drop incident snapshot` / `drop db hold`) is never removed while the hold lasts.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { BACKUPS_FOLDER, type BackupEntry, listBackups, WAL_FOLDER } from './catalog.ts';
import { removeDir, walSegmentNumber } from './repository.ts';

export interface PruneBackupsOptions {
  repoDir: string;
  retentionDays: number;
  now?: () => Date;
  /** Only report what would go. */
  dryRun?: boolean;
}

export interface PruneResult {
  removedBackups: string[];
  removedWalFiles: number;
  keptBackups: string[];
}

const WAL_SEGMENT = /^[0-9A-F]{24}(\.partial)?$/;
const DAY_MS = 86_400_000;

export async function pruneBackups(options: PruneBackupsOptions): Promise<PruneResult> {
  const now = (options.now ?? (() => new Date()))();
  const windowStart = new Date(now.getTime() - options.retentionDays * DAY_MS);
  const backups = await listBackups(options.repoDir);
  const old = (entry: BackupEntry) => new Date(entry.finishedAt) < windowStart;
  const anchor = backups.filter((entry) => entry.kind === 'physical' && old(entry)).at(-1);
  const removed = backups.filter((entry) => old(entry) && entry !== anchor && entry.hold === null);
  const kept = backups.filter((entry) => !removed.includes(entry));
  let removedWalFiles = 0;
  if (!options.dryRun) for (const entry of removed) await removeDir(entry.dir);

  // Unfinished backups left by a crash.
  const root = path.join(options.repoDir, BACKUPS_FOLDER);
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.endsWith('.part')) continue;
    const info = await stat(path.join(root, name));
    if (now.getTime() - info.mtimeMs > DAY_MS && !options.dryRun) await removeDir(path.join(root, name));
  }

  // WAL: per cluster, everything before the oldest kept physical backup's first segment. A cluster
  // with no kept physical backup keeps only segments younger than the window.
  const walRoot = path.join(options.repoDir, WAL_FOLDER);
  for (const cluster of await readdir(walRoot).catch(() => [] as string[])) {
    const clusterDir = path.join(walRoot, cluster);
    const oldest = kept.find((entry) => entry.kind === 'physical' && entry.manifest.server.systemIdentifier === cluster);
    for (const name of await readdir(clusterDir)) {
      if (!WAL_SEGMENT.test(name)) continue;
      let obsolete: boolean;
      if (oldest?.manifest.physical) {
        const { startWalFile, walSegmentSize } = oldest.manifest.physical;
        obsolete = walSegmentNumber(name, walSegmentSize) < walSegmentNumber(startWalFile, walSegmentSize);
      } else {
        obsolete = (await stat(path.join(clusterDir, name))).mtime < windowStart;
      }
      if (obsolete) {
        removedWalFiles += 1;
        if (!options.dryRun) await removeDir(path.join(clusterDir, name));
      }
    }
  }
  return { removedBackups: removed.map((entry) => entry.id), removedWalFiles, keptBackups: kept.map((entry) => entry.id) };
}
