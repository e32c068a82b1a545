/**
 * The chaos run's own PostgreSQL cluster, which it may crash: initialised with the embedded
 * PostgreSQL binaries (the ones `npm start` and the DR drill use) in a temporary folder, on a free
 * loopback port, durable (fsync and synchronous_commit as PostgreSQL ships them), trust auth on
 * 127.0.0.1 only. Started and stopped with pg_ctl, as the `postgres` user when this process is root.
 */
import { execFile } from 'node:child_process';
import { chown, rm } from 'node:fs/promises';
import path from 'node:path';
import { embeddedBinaries, embeddedServerOwner, freePort } from '@drop/db';
import pg from 'pg';
import { reachableTempDir } from '../../test/support/embedded.ts';

export interface ChaosCluster {
  port: number;
  dataDir: string;
  logFile: string;
  /** The `drop` database as the superuser (the harness's own checks and the processes under test). */
  url: string;
  adminUrl: string;
  start(): Promise<void>;
  /** `pg_ctl stop -m immediate`: every process quits at once, no checkpoint; the next start runs crash recovery. */
  stopImmediately(): Promise<void>;
  /** A client backend's process id, of the given application (`drop-api`, `drop-cli`), or of any. */
  backendPid(applicationName?: string): Promise<number | undefined>;
  /** `pg_terminate_backend` on every client backend of the application: their connections end with 57P01. */
  terminateBackends(applicationName: string): Promise<number>;
  remove(): Promise<void>;
}

export async function createChaosCluster(): Promise<ChaosCluster> {
  const { initdb, pg_ctl } = await embeddedBinaries();
  const owner = await embeddedServerOwner();
  const dir = await reachableTempDir('drop-chaos-pg-');
  if (owner) await chown(dir, owner.uid, owner.gid);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const port = await freePort();
  const run = (file: string, args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile(file, args, { cwd: dir, ...(owner ?? {}) }, (error, stdout, stderr) =>
        error ? reject(new Error(`${path.basename(file)} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
      ),
    );
  await run(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C']);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const url = `postgres://postgres@127.0.0.1:${port}/drop`;
  const query = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const cluster: ChaosCluster = {
    port,
    dataDir,
    logFile,
    url,
    adminUrl,
    async start() {
      await run(pg_ctl, [
        '-D',
        dataDir,
        '-l',
        logFile,
        '-w',
        '-t',
        '120',
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=80`,
        'start',
      ]);
    },
    async stopImmediately() {
      await run(pg_ctl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    },
    async backendPid(applicationName) {
      const rows = await query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND datname = 'drop' AND pid <> pg_backend_pid()
            AND ($1::text IS NULL OR application_name = $1)
          ORDER BY state = 'active' DESC, random() LIMIT 1`,
        [applicationName ?? null],
      );
      return rows[0]?.pid;
    },
    async terminateBackends(applicationName) {
      const rows = await query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND datname = 'drop' AND application_name = $1`,
        [applicationName],
      );
      return rows.filter((row) => row.ok).length;
    },
    async remove() {
      await run(pg_ctl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  await query('CREATE DATABASE drop');
  return cluster;
}
