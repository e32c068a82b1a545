import { checkHealth } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

const HEALTH_TIMEOUT_MS = 10_000;

/** What the network said, in words: fetch's own "fetch failed" hides the cause (ECONNREFUSED, ENOTFOUND, …). */
const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there: connection refused',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be looked up now',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection closed before an answer',
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another name",
};

export function unreachableReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${HEALTH_TIMEOUT_MS / 1000} s`;
  }
  // undici: TypeError('fetch failed') whose cause is the system error (or an AggregateError of them).
  let cause: unknown = error instanceof Error ? (error.cause ?? error) : error;
  if (cause instanceof AggregateError && cause.errors.length > 0) cause = cause.errors[0];
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  if (code) return `${CAUSES[code] ?? (cause as Error).message ?? 'network error'} (${code})`;
  return cause instanceof Error ? cause.message : String(cause);
}

export function registerHealth(program: Command, context: () => CliContext): void {
  program
    .command('health')
    .description("Check Drop's health: a running server's /api/health with --url, otherwise the database directly. Exits 1 when down.")
    .option('--url <base-url>', 'base URL of a running Drop, e.g. https://getdrop.no')
    .action(async (options: { url?: string }) => {
      if (options.url) {
        const url = new URL('/api/health', options.url);
        const response = await fetch(url, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) }).catch((error: unknown) => {
          console.error(`Drop at ${url} is unreachable: ${unreachableReason(error)}.`);
          return undefined;
        });
        if (!response) return process.exit(1);
        console.log(JSON.stringify(await response.json(), null, 2));
        process.exitCode = response.ok ? 0 : 1;
        return;
      }
      const ctx = context();
      const report = await withServices(ctx, (services) =>
        checkHealth(services.db, { version: ctx.config.version, startedAt: Date.now(), timeoutMs: ctx.config.health.checkTimeoutMs }),
      );
      console.log(JSON.stringify({ data: report }, null, 2));
      process.exitCode = report.status === 'ok' ? 0 : 1;
    });
}
