/**
 * The checks that read the backup repository and the disk: the newest backup's age and verification
 * (runbook 3.1), a restore verified this month (3.3), and the embedded server's free disk (3.2),
 * over a real repository folder written in the catalogue's format and a real database.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database.ts';
import { BACKUPS_FOLDER, type BackupManifest, MANIFEST_FILE, recordRestoreVerification, VERIFICATION_FILE } from '../backup/catalog.ts';
import { lastBackupCheck, restoreVerifiedCheck, storageCheck } from './checks.ts';

const HOUR = 3_600_000;

async function writeBackup(repo: string, id: string, finishedAt: Date, verified: boolean) {
  const dir = path.join(repo, BACKUPS_FOLDER, id);
  await mkdir(dir, { recursive: true });
  const manifest: BackupManifest = {
    format: 1,
    id,
    kind: 'physical',
    startedAt: new Date(finishedAt.getTime() - 60_000).toISOString(),
    finishedAt: finishedAt.toISOString(),
    database: 'drop',
    server: { version: '16.4', versionNum: 160004, systemIdentifier: null },
    sizeBytes: 5 * 1024 ** 2,
    files: [],
    rowCounts: {},
    lastTransaction: null,
  };
  await writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  if (verified)
    await writeFile(path.join(dir, VERIFICATION_FILE), JSON.stringify({ verifiedAt: finishedAt.toISOString(), ok: true, problems: [] }));
}

describe('checks over the backup repository', () => {
  let repo: string;
  const now = new Date('2026-12-06T08:00:00Z');
  before(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'drop-checks-'));
  });
  after(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('last_backup: none fails; the newest decides: over 24 h fails, unverified warns, verified and fresh is ok', async () => {
    assert.deepEqual(await lastBackupCheck(repo, now), {
      name: 'last_backup',
      status: 'fail',
      runbook: '3.1',
      detail: `no backup in ${repo}; run drop db backup`,
    });
    await writeBackup(repo, 'b-old', new Date(now.getTime() - 30 * HOUR), true);
    assert.equal((await lastBackupCheck(repo, now)).detail, 'physical backup b-old finished 30 h ago, 5.0 MB: older than 24 h');
    await writeBackup(repo, 'b-new', new Date(now.getTime() - 3 * HOUR), false);
    assert.deepEqual(await lastBackupCheck(repo, now), {
      name: 'last_backup',
      status: 'warn',
      runbook: '3.1',
      detail: 'physical backup b-new finished 3 h ago, 5.0 MB, not verified (drop db verify)',
    });
    await writeBackup(repo, 'b-newest', new Date(now.getTime() - 1 * HOUR), true);
    const ok = await lastBackupCheck(repo, now);
    assert.equal(ok.status, 'ok');
    assert.equal(ok.detail, 'physical backup b-newest finished 1 h ago, 5.0 MB, verified');
  });

  it('restore_verified: none fails, last month fails, this month is ok; a failed verification does not count', async () => {
    assert.equal((await restoreVerifiedCheck(repo, now)).status, 'fail');
    const report = {
      backupId: 'b-old',
      target: null,
      restoredAt: '2026-11-28T10:00:00Z',
      verifiedAt: '2026-11-28T10:05:00.000Z',
      ok: true,
      source: 'test',
    };
    await recordRestoreVerification(repo, report);
    assert.deepEqual(await restoreVerifiedCheck(repo, now), {
      name: 'restore_verified',
      status: 'fail',
      runbook: '3.3',
      detail: 'last verified restore 2026-11-28T10:05:00.000Z (backup b-old, test): none this month; run drop dr drill',
    });
    await recordRestoreVerification(repo, { ...report, backupId: 'b-new', verifiedAt: '2026-12-02T10:05:00.000Z', ok: false });
    assert.equal((await restoreVerifiedCheck(repo, now)).status, 'fail');
    await recordRestoreVerification(repo, { ...report, backupId: 'b-newest', verifiedAt: '2026-12-01T00:00:00.000Z' });
    const ok = await restoreVerifiedCheck(repo, now);
    assert.equal(ok.status, 'ok');
    assert.equal(ok.detail, 'last verified restore 2026-12-01T00:00:00.000Z (backup b-newest, test)');
  });
});

describe('storage check', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_checks_storage', migrate: false });
  });
  after(async () => {
    await db?.drop();
  });

  it("embedded: measures the free space of the data folder's disk against the floor", async () => {
    const dir = tmpdir();
    const roomy = await storageCheck(db.pool, { limitBytes: undefined, minFreeBytes: 1, embeddedDir: dir });
    assert.equal(roomy.status, 'ok');
    assert.match(
      roomy.detail,
      new RegExp(`^embedded database [\\d.]+ MB; [\\d.]+ (GB|MB) free on the disk of ${dir} \\(minimum 0 kB free\\)$`),
    );
    const full = await storageCheck(db.pool, { limitBytes: undefined, minFreeBytes: 1024 ** 5, embeddedDir: dir });
    assert.equal(full.status, 'fail', 'less than 1 PB free');
  });
});
