import type { DrillReport } from './run-drill.ts';

const value = (n: number | null | undefined, unit = ' s') => (n === null || n === undefined ? '—' : `${n}${unit}`);

/** The drill report as text: what the operator reads and what is kept next to the JSON in the repository. */
export function renderDrillReport(report: DrillReport): string {
  const lines = [
    `DR drill ${report.id}: ${report.ok ? 'PASSED' : 'FAILED'}`,
    `Started ${report.startedAt}, finished ${report.finishedAt}; backup ${report.backupId}`,
    `RTO ${value(report.rtoSeconds)} (target ≤ ${report.targets.rtoSeconds} s, the runbook's 30 min / 10)`,
    `RPO ${value(report.rpoSeconds)} (target ≤ ${report.targets.rpoSeconds} s, the runbook's 5 min PITR / 10)`,
  ];
  if (report.load.incidentAt) {
    lines.push(
      `Write load: ${report.load.writers} writers, ${report.load.acknowledged} transfers acknowledged (${report.load.transfersPerSecond}/s), incident at ${report.load.incidentAt}` +
        (report.load.errors.length > 0 ? `; errors: ${report.load.errors.join(' | ')}` : ''),
    );
  } else {
    lines.push('Write load: none (the point-in-time runs were not done)');
  }
  lines.push('');
  for (const run of report.runs) {
    lines.push(`${run.name}: ${run.ok ? 'ok' : 'FAILED'}${run.error ? ` — ${run.error}` : ''}`);
    lines.push(
      `  restore ${value(run.restoreSeconds)}, verify ${value(run.verifySeconds)}, healthy Drop ${value(run.healthySeconds)}: RTO ${value(run.rtoSeconds)}`,
    );
    if (run.target) lines.push(`  target ${run.target}, recovered to ${run.recoveredTo ?? '—'}`);
    else if (run.recoveredTo) lines.push(`  recovered to ${run.recoveredTo}`);
    for (const check of run.verification?.checks ?? []) {
      lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}${check.ok ? '' : ` ${JSON.stringify(check.detail)}`}`);
    }
    if (run.rpo) {
      lines.push(
        `  RPO ${run.rpo.seconds} s: ${run.rpo.lost} of ${run.rpo.acknowledgedBefore} transfers acknowledged before the incident lost` +
          ` (newest kept ${run.rpo.newestPresentAckedAt ?? '—'}, oldest lost ${run.rpo.oldestLostAckedAt ?? '—'})` +
          (run.rpo.atTarget
            ? `; ${run.rpo.atTarget.present} of ${run.rpo.atTarget.acknowledged} acknowledged at the target's edge present`
            : '') +
          (run.rpo.presentAfterTarget > 0 ? `; ${run.rpo.presentAfterTarget} acknowledged after the target present` : ''),
      );
    }
  }
  if (report.files) lines.push('', `Report: ${report.files.json}`);
  return `${lines.join('\n')}\n`;
}
