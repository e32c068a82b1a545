/**
 * A private embedded PostgreSQL 16 cluster (own folder, free port) that archives its WAL into its
 * own backup repository every second, migrated to Drop's schema, for the backup and restore tests.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { type EmbeddedDatabase, embeddedBinaries, embeddedServerOwner, startEmbeddedPostgres } from '@drop/db';
import { createLogger } from '@drop/observability';
import { migrateDatabase } from '@drop/worker';
import pg from 'pg';
import { freePort, reachableTempDir } from '../../../test/support/embedded.ts';

export interface BackupCluster {
  dir: string;
  dataDir: string;
  repoDir: string;
  /** The running server (a test that restarts it replaces this handle, and cleanUp stops that one). */
  server: EmbeddedDatabase;
  pool: pg.Pool;
  /** The CLI's environment for this cluster and repository. */
  env: Record<string, string>;
  /** Switches to a new WAL segment and waits until the segment holding everything written so far is archived. */
  archiveNow(): Promise<void>;
  /** The postmaster's pid (from postmaster.pid). */
  postmasterPid(): Promise<number>;
  cleanUp(): Promise<void>;
}

export async function startBackupCluster(): Promise<BackupCluster> {
  const dir = await reachableTempDir('drop-backup-');
  const dataDir = path.join(dir, 'data');
  const repoDir = path.join(dir, 'repo');
  const server = await startEmbeddedPostgres({
    dir: dataDir,
    port: await freePort(),
    archive: { walDir: path.join(repoDir, 'wal'), timeoutSeconds: 1 },
  });
  const pool = new pg.Pool({ connectionString: server.url, max: 8 });
  pool.on('error', () => undefined);
  await migrateDatabase(pool, createLogger({ level: 'silent' }));
  const cluster: BackupCluster = {
    dir,
    dataDir,
    repoDir,
    server,
    pool,
    env: { DATABASE_URL: server.url, BACKUP_DIR: repoDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    async archiveNow() {
      const { rows } = await pool.query<{ file: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS file');
      const file = rows[0]?.file as string;
      for (;;) {
        const status = await pool.query<{ last: string | null }>('SELECT last_archived_wal AS last FROM pg_stat_archiver');
        const last = status.rows[0]?.last;
        if (last && last.length === 24 && last.slice(8) >= file.slice(8)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async postmasterPid() {
      return Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    },
    async cleanUp() {
      await pool.end().catch(() => undefined);
      // After a SIGKILL the package's stop() would wait forever for an exit that already happened.
      const pid = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').then(
        (text) => Number(text.split('\n')[0]),
        () => 0,
      );
      if (pid && isAlive(pid)) await cluster.server.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** Stops a cluster a restore started (pg_ctl of the embedded binaries, as the server's user). */
export async function stopRestoredCluster(dataDir: string | null | undefined): Promise<void> {
  if (!dataDir || !existsSync(path.join(dataDir, 'postmaster.pid'))) return;
  const { pg_ctl } = await embeddedBinaries();
  const owner = await embeddedServerOwner();
  await new Promise<void>((resolve) =>
    execFile(pg_ctl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], { ...(owner ?? {}) }, () => resolve()),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
