/** Runs the `drop` CLI as its own process, the way an operator does, for the CLI's tests. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `drop <args>` with exactly `env` (plus PATH, and NODE_COMPILE_CACHE when the run has one: it
 * spares each process compiling the CLI's TypeScript again) as its environment, and `stdin` written
 * to it when given.
 */
export function runDrop(args: string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  const compileCache = process.env.NODE_COMPILE_CACHE;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...(compileCache ? { NODE_COMPILE_CACHE: compileCache } : {}), ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** A run's exit, stdout and stderr, for an assertion's message. */
export function describeResult(result: CliResult): string {
  return `exit ${result.code}${result.signal ? ` (${result.signal})` : ''}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}

/**
 * The environment that points `drop aws …` (the real SDK clients) at an AWS stand-in: its endpoint,
 * dummy keys (the stand-in checks the signature's form, not the secret), no instance-metadata
 * lookups, and waits that poll quickly.
 */
export function awsStandInEnv(endpointUrl: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_ACCESS_KEY_ID: 'AKIDSTANDINTEST00000',
    AWS_SECRET_ACCESS_KEY: 'stand-in-test-secret-key',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_WAIT_INTERVAL_SECONDS: '0.1',
    AWS_WAIT_TIMEOUT_MINUTES: '1',
  };
}
