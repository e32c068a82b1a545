import { healthReport, type OpsCheckPeriod } from '@drop/contracts';
import { checksContext, checksSummaryAlert, formatChecksReport, runChecks } from '@drop/core';
import { opsChecksSettings } from '@drop/services';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

const PERIODS: Record<OpsCheckPeriod, string> = {
  daily:
    'runbook 3.1: health (database up, latency under the alert threshold), last backup younger than 24 h, no open critical AML alert from the last 24 h',
  weekly: 'runbook 3.2: storage (free space vs the 2 GB floor), open AML alerts, customers pending KYC for more than 24 h',
  monthly:
    'runbook 3.3: SLA report reminder, a restore verified this month, secrets due, pending STRs (draft, awaiting approval, approved but not filed)',
};

/** A running Drop's /api/health, judged like the local probe. */
async function serverHealth(url: URL) {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as { data?: unknown };
  return { report: healthReport.parse(body.data), source: url.origin };
}

export function registerChecks(program: Command, context: () => CliContext): void {
  const checks = program
    .command('checks')
    .description(
      "The operational runbook's routine checklists (3.1–3.3). Each check answers ok, warn or fail with what it measured; " +
        'exits 1 when any fails (warnings alone exit 0), and posts a summary to Slack (SLACK_WEBHOOK_URL) unless --no-slack.',
    );
  for (const [period, description] of Object.entries(PERIODS) as [OpsCheckPeriod, string][]) {
    checks
      .command(period)
      .description(description)
      .option('--json', 'the report as JSON')
      .option('--no-slack', 'do not post the summary to Slack')
      .option('--url <base-url>', "judge a running Drop's /api/health (e.g. https://getdrop.no) instead of probing the database from here")
      .action(async (options: { json?: boolean; slack: boolean; url?: string }) => {
        let healthUrl: URL | undefined;
        if (options.url) {
          try {
            healthUrl = new URL('/api/health', options.url);
          } catch {
            console.error(`--url: not a URL: ${options.url}`);
            process.exitCode = 2;
            return;
          }
        }
        const ctx = context();
        const report = await withServices(ctx, async (services) => {
          const context = checksContext(services.db, opsChecksSettings(ctx.config, services.database.embedded));
          const report = await runChecks(period, {
            ...context,
            ...(healthUrl ? { health: () => serverHealth(healthUrl) } : {}),
          });
          if (options.slack) await services.notifier.send(checksSummaryAlert(report));
          return report;
        });
        console.log(options.json ? JSON.stringify(report, null, 2) : formatChecksReport(report));
        process.exitCode = report.status === 'fail' ? 1 : 0;
      });
  }
}
