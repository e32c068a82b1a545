import type { SlaIncident, SlaReport } from '@drop/contracts';
import { computeSlaReport, monthBounds } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';
import { reportingDomainErrors } from './users.ts';

/** The month before `now`'s, YYYY-MM (UTC): what the monthly review (runbook 3.3) looks at. */
function previousMonth(now: Date): string {
  const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return previous.toISOString().slice(0, 7);
}

const minutes = (value: number) => `${Number(value.toFixed(1))} min`;
const percent = (value: number | null, digits = 3) => (value === null ? '–' : `${value.toFixed(digits)} %`);
const verdict = (met: boolean | null) => (met === null ? 'no data' : met ? 'met' : 'MISSED');
const clock = (iso: string) => iso.slice(0, 16).replace('T', ' ');

function incidentLine(incident: SlaIncident): string {
  const what =
    incident.kind === 'error_spike'
      ? `${incident.errors5xx} server errors of ${incident.requests} requests (${incident.budgetSpentPercent} % of the error budget)`
      : `downtime ${minutes(incident.downtimeMinutes)} (${incident.budgetSpentPercent} % of the downtime budget)` +
        (incident.kind === 'database_down'
          ? `, ${incident.failedProbes} failed probes: ${incident.lastError ?? 'down'}`
          : ', no probe recorded');
  return `  ${clock(incident.start)} → ${clock(incident.end)}  ${minutes(incident.durationMinutes).padStart(9)}  ${incident.kind.padEnd(13)}  ${what}`;
}

export function printSlaReport(report: SlaReport): void {
  const observed =
    report.observedFrom && report.observedTo
      ? `observed ${clock(report.observedFrom)} → ${clock(report.observedTo)} UTC (${report.observedMinutes} min, ${report.instances.length} instance(s))`
      : 'nothing observed (no health probe recorded)';
  console.log(`SLA ${report.month}: ${observed}`);
  console.log(
    `  uptime       ${percent(report.uptimePercent).padStart(10)}   target ≥ ${report.targets.uptimePercent} %   ${verdict(report.met.uptime)}` +
      `  (downtime ${minutes(report.downtimeMinutes)} of a ${minutes(report.downtimeBudgetMinutes)} budget)`,
  );
  console.log(
    `  error rate   ${percent(report.errorRatePercent).padStart(10)}   target < ${report.targets.errorRatePercent} %    ${verdict(report.met.errorRate)}` +
      `  (${report.errors5xx} server errors of ${report.requests} requests; budget ${Math.floor(report.errorBudget)})`,
  );
  console.log(
    `  p99 latency  ${(report.p99Ms === null ? '–' : `≤ ${report.p99Ms} ms`).padStart(10)}   target ≤ ${report.targets.p99Ms} ms   ${verdict(report.met.p99)}`,
  );
  if (report.incidents.length === 0) {
    console.log('No incidents.');
    return;
  }
  console.log(`Incidents (${report.incidents.length}):`);
  for (const incident of report.incidents) console.log(incidentLine(incident));
}

/** `drop sla report [--month YYYY-MM] [--json]`: the month's uptime, error rate and p99 with the incidents (runbook 3.3). */
export function registerSla(program: Command, context: () => CliContext): void {
  const sla = program.command('sla').description('Service level: what Drop recorded of its own availability, errors and latency');
  sla
    .command('report')
    .description('Uptime, error rate and p99 latency of a month (UTC) against their targets, with the incidents that cost them')
    .option('--month <YYYY-MM>', 'the month (default: the previous one)')
    .option('--json', 'print the report as JSON (the API’s shape)')
    .action(async (options: { month?: string; json?: boolean }) => {
      await reportingDomainErrors(async () => {
        const month = options.month ?? previousMonth(new Date());
        monthBounds(month); // a bad month is refused before the database is opened
        const ctx = context();
        const report = await withServices(ctx, (services) =>
          computeSlaReport(services.db, {
            month,
            errorSpike: { threshold: ctx.config.alerts.errorRateThreshold, minCount: ctx.config.alerts.errorMinCount },
          }),
        );
        if (options.json) console.log(JSON.stringify(report, null, 2));
        else printSlaReport(report);
      });
    });
}
