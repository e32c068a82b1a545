/**
 * Drop as its own process (`node apps/api/src/main.ts`), in its own process group so a signal
 * reaches everything it started. Its output goes to a log file; the tail is shown if it fails.
 * The bench's other servers (the Node floor's) start the same way, with their own entry file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface DropProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  logFile: string;
  stop(): Promise<void>;
  logTail(lines?: number): Promise<string>;
}

async function portIsFree(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => false,
    () => true,
  );
}

const running = new Set<DropProcess>();

/** Stops every Drop this process started and has not stopped yet (for an interrupted run). */
export async function stopAllDrops(): Promise<void> {
  await Promise.all([...running].map((drop) => drop.stop()));
}

export async function startDrop(options: {
  root: string;
  port: number;
  env: Record<string, string>;
  logFile: string;
  /** The file to run, relative to root (default Drop's API: apps/api/src/main.ts). */
  entry?: string;
}): Promise<DropProcess> {
  if (!(await portIsFree(options.port))) throw new Error(`port ${options.port} is taken`);
  const log = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, [options.entry ?? path.join('apps', 'api', 'src', 'main.ts')], {
    cwd: options.root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log); // the child has its own copy
  const pid = child.pid;
  if (!pid) throw new Error('Drop did not start');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const drop: DropProcess = {
    child,
    pid,
    port: options.port,
    logFile: options.logFile,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-pid, 'SIGTERM');
        } catch {
          // already gone
        }
        await exited;
      }
      // The port must be free before the next server starts on it.
      for (let i = 0; i < 500 && !(await portIsFree(options.port)); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      running.delete(drop);
    },
    async logTail(lines = 30) {
      const text = await readFile(options.logFile, 'utf8').catch(() => '');
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    },
  };
  running.add(drop);
  return drop;
}

/** Polls until `check` returns true; fails early if the server exits. */
export async function waitFor(what: string, drop: DropProcess, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const started = performance.now();
  for (;;) {
    if (drop.child.exitCode !== null)
      throw new Error(`Drop exited with ${drop.child.exitCode} while waiting for ${what}:\n${await drop.logTail()}`);
    if (await check().catch(() => false)) return;
    if (performance.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${await drop.logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
