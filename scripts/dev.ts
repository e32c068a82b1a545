/**
 * `npm run dev`: the API on :3000 plus the Vite dev servers of the customer app (:5173) and the
 * back-office console (:5174/console/), which proxy /api and /metrics to the API. Output is
 * prefixed per process; Ctrl-C or SIGTERM stops all of them, and if one exits the others are
 * stopped too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '..');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const color = process.stdout.isTTY && !process.env.NO_COLOR;

interface Task {
  name: string;
  colour: number;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
}

const tasks: Task[] = [
  { name: 'api', colour: 35, args: [path.join(root, 'apps/api/src/main.ts')], cwd: root },
  { name: 'web', colour: 36, args: [vite, '--clearScreen', 'false'], cwd: path.join(root, 'apps/web') },
  { name: 'console', colour: 33, args: [vite, '--clearScreen', 'false'], cwd: path.join(root, 'apps/console') },
];

const width = Math.max(...tasks.map((task) => task.name.length));
const running = new Map<string, ChildProcess>();
let stopping = false;
let exitCode = 0;

function prefix(task: Task): string {
  const label = task.name.padEnd(width);
  return color ? `\x1b[${task.colour}m${label} │\x1b[0m ` : `${label} | `;
}

function pipe(stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream, task: Task): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => out.write(`${prefix(task)}${line}\n`));
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Each child leads its own process group, so grandchildren (esbuild/rolldown workers) go too.
    process.kill(-child.pid, name);
  } catch {
    child.kill(name);
  }
}

function stopAll(reason: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`\n[dev] ${reason}: stopping ${[...running.keys()].join(', ') || 'nothing'} …`);
  for (const child of running.values()) signal(child, 'SIGTERM');
  // The API drains its connections within its shutdown grace period; after that, force.
  const force = setTimeout(() => {
    for (const child of running.values()) signal(child, 'SIGKILL');
  }, 15_000);
  force.unref();
}

for (const task of tasks) {
  const child = spawn(process.execPath, task.args, {
    cwd: task.cwd,
    // Detached: a terminal Ctrl-C reaches only this script, which then stops each child exactly once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(color ? { FORCE_COLOR: '1' } : {}), ...task.env },
  });
  running.set(task.name, child);
  pipe(child.stdout, process.stdout, task);
  pipe(child.stderr, process.stderr, task);
  child.on('error', (error) => {
    console.error(`${prefix(task)}failed to start: ${error.message}`);
  });
  child.on('exit', (code, sig) => {
    running.delete(task.name);
    if (!stopping) {
      console.error(`${prefix(task)}exited (${sig ?? `code ${code}`})`);
      exitCode = code || 1;
      stopAll(`${task.name} exited`);
    }
    if (running.size === 0) process.exit(exitCode);
  });
}

console.log(
  `[dev] API http://127.0.0.1:3000 · customer app http://127.0.0.1:5173/ · console http://127.0.0.1:5174/console/ · Ctrl-C stops all`,
);

process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));
process.on('SIGHUP', () => stopAll('SIGHUP'));
