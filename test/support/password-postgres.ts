/**
 * A PostgreSQL 15 server (Debian's binaries) that checks passwords (scram-sha-256), on a free port,
 * for tests that must see a wrong password refused: the machine's server trusts every local login.
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, reachableTempDir } from './embedded.ts';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

export interface PasswordPostgres {
  port: number;
  /** The superuser's URL (user postgres) for a database. */
  adminUrl(database?: string): string;
  stop(): Promise<void>;
}

/** Runs a PostgreSQL binary, as the `postgres` user when this process is root (PostgreSQL refuses root). */
async function pgBin(name: string, args: string[]) {
  const asRoot = process.getuid?.() === 0;
  return asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(BIN, name), ...args]) : run(path.join(BIN, name), args);
}

export async function startPasswordPostgres(superuserPassword = 'test-superuser'): Promise<PasswordPostgres> {
  const dir = await reachableTempDir('drop-pg15-');
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pw');
  await writeFile(pwfile, `${superuserPassword}\n`, { mode: 0o600 });
  if (process.getuid?.() === 0) await run('chown', ['-R', 'postgres:postgres', dir]);
  await pgBin('initdb', ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C']);
  const port = await freePort();
  await pgBin('pg_ctl', [
    '-D',
    data,
    '-w',
    '-l',
    path.join(dir, 'log'),
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off`,
    'start',
  ]);
  return {
    port,
    adminUrl: (database = 'postgres') => `postgres://postgres:${encodeURIComponent(superuserPassword)}@127.0.0.1:${port}/${database}`,
    async stop() {
      await pgBin('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
