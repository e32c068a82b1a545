/**
 * The processes under test, each a child of the harness that it may kill -9 and start again:
 * Drop's API (`node apps/api/src/main.ts`, as `npm start` runs it), the worker (`drop worker`)
 * and the payout partner's simulator. Like a process manager (systemd, App Runner), the harness
 * starts a process again when it exits; an exit it did not cause is counted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  pid(): number | undefined;
  /** Starts the process (again); resolves once `ready` says so. */
  start(): Promise<void>;
  /** kill -9 and wait for the exit; the supervisor does not restart it (the caller does). */
  kill9(): Promise<void>;
  /** SIGTERM, wait for the exit, and stop supervising. */
  stop(): Promise<void>;
  /** Exits the harness did not cause (crashes), each restarted. */
  unexpectedExits(): number;
  logTail(lines?: number): Promise<string>;
}

export function managedProcess(options: {
  name: string;
  args: string[];
  env: Record<string, string>;
  logFile: string;
  /** Resolves once the process serves (polled by the caller's own logic). */
  ready: () => Promise<void>;
}): ManagedProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let expectingExit = false;
  let supervising = true;
  let crashes = 0;

  const launch = () => {
    const log = openSync(options.logFile, 'a');
    const started = spawn(process.execPath, options.args, {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    child = started;
    expectingExit = false;
    exited = new Promise<void>((resolve) =>
      started.once('exit', () => {
        resolve();
        if (!expectingExit && supervising) {
          // A crash: count it and start again after a short pause, as a process manager would.
          crashes++;
          setTimeout(() => {
            if (supervising && child === started) launch();
          }, 500).unref();
        }
      }),
    );
  };

  const handle: ManagedProcess = {
    name: options.name,
    logFile: options.logFile,
    pid: () => child?.pid,
    async start() {
      launch();
      await options.ready();
    },
    async kill9() {
      const current = child;
      if (!current?.pid || current.exitCode !== null || current.signalCode !== null) return;
      expectingExit = true;
      process.kill(current.pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      supervising = false;
      const current = child;
      if (!current?.pid || current.exitCode !== null || current.signalCode !== null) return;
      expectingExit = true;
      process.kill(current.pid, 'SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    unexpectedExits: () => crashes,
    async logTail(lines = 30) {
      const text = await readFile(options.logFile, 'utf8').catch(() => '');
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    },
  };
  return handle;
}

/** Polls `check` until it is true; throws after `timeoutMs` naming what it waited for. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 120_000, everyMs = 100): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
