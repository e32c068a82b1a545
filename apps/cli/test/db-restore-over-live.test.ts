/**
 * `drop db restore --over-live --yes-really-overwrite-live` on Drop's embedded database (no
 * DATABASE_URL): the live cluster is stopped, its data directory kept aside (never deleted), the
 * backup restored into its place to the end of the archive, verified, and Drop's usual start then
 * finds the restored data.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newId, startEmbeddedPostgres } from '@drop/db';
import pg from 'pg';
import { type BackupCluster, startBackupCluster } from './backup-cluster.ts';
import { describeResult, runDrop } from './run-cli.ts';

describe('drop db restore over the live embedded database', () => {
  let cluster: BackupCluster;
  let env: Record<string, string>;

  before(async () => {
    cluster = await startBackupCluster();
    // Embedded mode: no DATABASE_URL, Drop's embedded server is this cluster (already running).
    env = {
      EMBEDDED_PG_DIR: cluster.dataDir,
      EMBEDDED_PG_PORT: new URL(cluster.server.url).port,
      BACKUP_DIR: cluster.repoDir,
      BACKUP_ARCHIVE_TIMEOUT_SECONDS: '1',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    };
  });
  after(async () => {
    await cluster?.cleanUp();
  });

  it('replaces the live data with the restore when asked twice, keeping the old data directory', async () => {
    const backup = await runDrop(['db', 'backup', '--require-physical'], env);
    assert.equal(backup.code, 0, describeResult(backup));
    const userId = newId('usr');
    await cluster.pool.query(`INSERT INTO users (id, full_name, kyc_status, kyc_tier) VALUES ($1, 'After Backup', 'approved', 1)`, [
      userId,
    ]);
    await cluster.archiveNow();

    const restore = await runDrop(['db', 'restore', '--over-live', '--yes-really-overwrite-live', '--json'], env);
    assert.equal(restore.code, 0, describeResult(restore));
    const result = JSON.parse(restore.stdout) as { verification: { ok: boolean }; replacedDataDirKeptAt: string };
    assert.equal(result.verification.ok, true);
    assert.ok(existsSync(path.join(result.replacedDataDirKeptAt, 'PG_VERSION')), 'the replaced data directory is kept');

    // Drop's usual start of its embedded server (with archiving) finds the restored data.
    cluster.server = await startEmbeddedPostgres({
      dir: cluster.dataDir,
      port: Number(env.EMBEDDED_PG_PORT),
      archive: { walDir: path.join(cluster.repoDir, 'wal'), timeoutSeconds: 1 },
    });
    const client = new pg.Client({ connectionString: cluster.server.url });
    await client.connect();
    try {
      assert.equal((await client.query('SELECT 1 FROM users WHERE id = $1', [userId])).rowCount, 1);
      assert.equal((await client.query<{ archive_mode: string }>('SHOW archive_mode')).rows[0]?.archive_mode, 'on');
    } finally {
      await client.end();
    }
  });
});
