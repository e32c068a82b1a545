import { checkHealth } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

export function registerHealth(program: Command, context: () => CliContext): void {
  program
    .command('health')
    .description("Check Drop's health: a running server's /api/health with --url, otherwise the database directly. Exits 1 when down.")
    .option('--url <base-url>', 'base URL of a running Drop, e.g. https://getdrop.no')
    .action(async (options: { url?: string }) => {
      if (options.url) {
        const url = new URL('/api/health', options.url);
        const response = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch((error: unknown) => {
          console.error(`${url}: ${(error as Error).message}`);
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
