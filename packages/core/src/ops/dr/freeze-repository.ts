import { link, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BackupEntry } from '../backup/catalog.ts';
import { walArchiveDir } from '../backup/repository.ts';

/**
 * The backup repository as it stood at one instant, for the drill's "primary lost" restore: the
 * backup's files and the WAL segments archived by then, hard-linked (no copy) into a new
 * repository under `into`. A restore from it replays exactly what had reached the archive when
 * the primary was lost, so the transfers acknowledged after that are the ones a real loss would
 * cost. Segments still being written (`.part`) are left out, as a crash would leave them.
 */
export async function freezeRepository(
  repoDir: string,
  backup: BackupEntry,
  into: string,
): Promise<{ repoDir: string; walSegments: number }> {
  const systemIdentifier = backup.manifest.server.systemIdentifier;
  if (!systemIdentifier) throw new Error(`${backup.id} has no system identifier`);
  const frozen = path.join(into, 'repo');
  const source = walArchiveDir(repoDir, systemIdentifier);
  const target = walArchiveDir(frozen, systemIdentifier);
  // The WAL first: the instant of the loss is when the archive's listing is read.
  const segments = (await readdir(source)).filter((name) => !name.endsWith('.part'));
  await mkdir(target, { recursive: true, mode: 0o755 });
  for (const name of segments) await link(path.join(source, name), path.join(target, name));
  await linkTree(backup.dir, path.join(frozen, path.relative(path.resolve(repoDir), path.resolve(backup.dir))));
  return { repoDir: frozen, walSegments: segments.length };
}

async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o755 });
  for (const name of await readdir(from)) {
    const source = path.join(from, name);
    if ((await stat(source)).isDirectory()) await linkTree(source, path.join(to, name));
    else await link(source, path.join(to, name));
  }
}
