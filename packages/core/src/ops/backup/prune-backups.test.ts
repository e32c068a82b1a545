/**
 * The catalogue and retention on a repository built by hand: unfinished backups are not listed,
 * the newest passed restore verification is the one reported, and pruning removes backups older
 * than the window except the newest physical one at its start (so the whole window stays
 * recoverable), plus the WAL before that backup's first segment, and nothing in a dry run.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BackupManifest, latestRestoreVerification, listBackups, recordRestoreVerification } from './catalog.ts';
import { pruneBackups } from './prune-backups.ts';

const NOW = new Date('2026-12-06T12:00:00Z');
const DAY = 86_400_000;
const SYSID = '7700000000000000001';
const SEGMENT = 1024 * 1024;

function segment(n: number): string {
  // 1 MB segments: 4096 per "log" file number.
  const log = Math.floor(n / 4096);
  const seg = n % 4096;
  const hex = (value: number) => value.toString(16).toUpperCase().padStart(8, '0');
  return `00000001${hex(log)}${hex(seg)}`;
}

async function fakeBackup(repo: string, id: string, kind: 'physical' | 'logical', daysAgo: number, firstSegment: number): Promise<void> {
  const dir = path.join(repo, 'backups', id);
  await mkdir(dir, { recursive: true });
  const finished = new Date(NOW.getTime() - daysAgo * DAY).toISOString();
  const manifest: BackupManifest = {
    format: 1,
    id,
    kind,
    startedAt: finished,
    finishedAt: finished,
    database: 'drop',
    server: { version: '16.14', versionNum: 160014, systemIdentifier: SYSID },
    sizeBytes: 10,
    files: [],
    rowCounts: {},
    lastTransaction: null,
    ...(kind === 'physical'
      ? {
          physical: {
            startLsn: '0/0',
            stopLsn: '0/0',
            timeline: 1,
            startWalFile: segment(firstSegment),
            stopWalFile: segment(firstSegment),
            walSegmentSize: SEGMENT,
          },
        }
      : {}),
  };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
}

describe('backup catalogue and retention', () => {
  let repo: string;

  before(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'drop-prune-'));
    await fakeBackup(repo, 'b10-base', 'physical', 10, 100);
    await fakeBackup(repo, 'b10-dump', 'logical', 10, 0);
    await fakeBackup(repo, 'b8-base', 'physical', 8, 4095);
    await fakeBackup(repo, 'b8-dump', 'logical', 8, 0);
    await fakeBackup(repo, 'b3-base', 'physical', 3, 4200);
    await fakeBackup(repo, 'b1-dump', 'logical', 1, 0);
    // An unfinished backup (no manifest), two days old.
    await mkdir(path.join(repo, 'backups', 'b2-base.part'), { recursive: true });
    const old = new Date(NOW.getTime() - 2 * DAY);
    await utimes(path.join(repo, 'backups', 'b2-base.part'), old, old);
    const walDir = path.join(repo, 'wal', SYSID);
    await mkdir(walDir, { recursive: true });
    for (const n of [99, 100, 4094, 4095, 4096, 4300]) await writeFile(path.join(walDir, segment(n)), 'x');
    await writeFile(path.join(walDir, '00000002.history'), 'x');
  });
  after(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('lists finished backups oldest first, and reports the newest passed restore verification', async () => {
    assert.deepEqual(
      (await listBackups(repo)).map((entry) => entry.id),
      ['b10-base', 'b10-dump', 'b8-base', 'b8-dump', 'b3-base', 'b1-dump'],
    );
    assert.equal(await latestRestoreVerification(repo), null);
    const base = { target: null, restoredAt: NOW.toISOString(), source: 'test' };
    await recordRestoreVerification(repo, { ...base, backupId: 'b8-base', verifiedAt: '2026-12-01T10:00:00.000Z', ok: true });
    await recordRestoreVerification(repo, { ...base, backupId: 'b3-base', verifiedAt: '2026-12-04T10:00:00.000Z', ok: true });
    await recordRestoreVerification(repo, { ...base, backupId: 'b1-dump', verifiedAt: '2026-12-05T10:00:00.000Z', ok: false });
    assert.equal((await latestRestoreVerification(repo))?.backupId, 'b3-base');
  });

  it('a dry run reports and removes nothing', async () => {
    const result = await pruneBackups({ repoDir: repo, retentionDays: 7, now: () => NOW, dryRun: true });
    assert.deepEqual(result.removedBackups, ['b10-base', 'b10-dump', 'b8-dump']);
    assert.equal((await listBackups(repo)).length, 6);
  });

  it('keeps the window and the newest physical backup before it, and the WAL from that backup on', async () => {
    const result = await pruneBackups({ repoDir: repo, retentionDays: 7, now: () => NOW });
    assert.deepEqual(result.removedBackups, ['b10-base', 'b10-dump', 'b8-dump']);
    assert.deepEqual(result.keptBackups, ['b8-base', 'b3-base', 'b1-dump']);
    assert.deepEqual(
      (await readdir(path.join(repo, 'wal', SYSID))).sort(),
      ['00000002.history', segment(4095), segment(4096), segment(4300)].sort(),
    );
    assert.equal(result.removedWalFiles, 3);
    assert.equal(existsSync(path.join(repo, 'backups', 'b2-base.part')), false, 'the unfinished backup is gone');
  });
});
