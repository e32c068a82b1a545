import {
  type PayoutPartnerStatusSource,
  RECONCILIATION_CHECKS,
  type ReconciliationCheck,
  type ReconciliationReport,
  reconcileLedger,
  verifyLedger,
} from '@drop/core';
import { type Command, InvalidArgumentError } from 'commander';
import { type CliContext, withServices } from '../context.ts';

export function registerLedger(program: Command, context: () => CliContext): void {
  const ledger = program.command('ledger').description('The double-entry ledger');

  ledger
    .command('verify')
    .description(
      'Check every ledger invariant (balances equal their postings, debits equal credits per currency, no breached balance limit, ' +
        'two-phase postings resolved once, each transfer’s postings match its status). Exits 1 on any violation.',
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await withServices(context(), (services) => verifyLedger(services.db));
      if (options.json) {
        console.log(JSON.stringify(report, null, 2));
      } else if (report.ok) {
        console.log(`Ledger balanced: ${report.accounts} accounts, ${report.postings} postings, ${report.transfers} transfers.`);
      } else {
        console.log(`Ledger VIOLATIONS: ${report.violations.length} (showing up to 100 per invariant)`);
        for (const violation of report.violations) console.log(`  ${violation.invariant}: ${JSON.stringify(violation.detail)}`);
      }
      process.exitCode = report.ok ? 0 : 1;
    });

  ledger
    .command('reconcile')
    .description(
      'Compare the ledger with the outside world and list every difference: bank payments against posted pay-ins, the suspense ' +
        'account against the exceptions queue, the bank account against the imported statements, payouts against their postings and ' +
        'transfers (and, with --partner, against what the partner says now), refunds against their postings. Exits 1 on any error; ' +
        'warnings (explained differences, data funded or paid by hand) alone exit 0.',
    )
    .option('--json', 'print the report as JSON')
    .option('--partner', 'also ask the payout partner (Wise) about every payout Drop shows as sent and every one paid since --since')
    .option('--since <ISO date>', 'with --partner: ask about payouts paid since then (default: the last 7 days)', parseSince)
    .action(async (options: { json?: boolean; partner?: boolean; since?: Date }) => {
      if (options.since && !options.partner) {
        console.error('--since only applies with --partner (the other checks always look at everything).');
        process.exitCode = 1;
        return;
      }
      const ctx = context();
      const report = await withServices(ctx, async (services) => {
        // Wise, or (outside production) the simulator on the server at PUBLIC_URL, as `drop worker` does.
        let partner: PayoutPartnerStatusSource | undefined;
        try {
          if (options.partner) partner = services.payoutPartner.get();
        } catch (error) {
          console.error(`Cannot ask the payout partner: ${(error as Error).message} (set WISE_API_TOKEN).`);
          return undefined;
        }
        return reconcileLedger(services.db, { partner, since: options.since });
      });
      if (!report) {
        process.exitCode = 1;
        return;
      }
      console.log(options.json ? JSON.stringify(report, null, 2) : formatReconciliation(report));
      process.exitCode = report.ok ? 0 : 1;
    });
}

function parseSince(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('give an ISO date, e.g. 2026-11-01 or 2026-11-01T12:00:00Z.');
  }
  return date;
}

const CHECK_TITLES: Record<ReconciliationCheck, string> = {
  bank_credits: 'bank payments vs pay-ins posted',
  suspense: 'suspense vs the exceptions queue',
  bank_account: 'bank account vs the statements',
  payouts: 'payouts vs their postings and transfers',
  payout_partner: 'payouts vs the partner',
  refunds: 'refunds vs their postings',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The report for people: a summary, the counts per check, then the differences grouped by check. */
function formatReconciliation(report: ReconciliationReport): string {
  const errors = report.differences.filter((d) => d.severity === 'error').length;
  const warnings = report.differences.length - errors;
  const lines = [
    report.differences.length === 0
      ? `Ledger reconciled at ${report.checkedAt}: no differences.`
      : `Ledger reconciliation at ${report.checkedAt}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}.`,
    report.partner
      ? `Partner ${report.partner.name} asked about ${plural(report.counts.payout_partner.checked, 'payout')} (sent, or paid since ${report.partner.since}).`
      : 'Partner not asked (--partner asks it).',
    '',
    `${'CHECK'.padEnd(16)}${'CHECKED'.padStart(8)}${'ERRORS'.padStart(8)}${'WARNINGS'.padStart(10)}  WHAT`,
  ];
  for (const check of RECONCILIATION_CHECKS) {
    const count = report.counts[check];
    const checked = check === 'payout_partner' && !report.partner ? '-' : String(count.checked);
    lines.push(
      `${check.padEnd(16)}${checked.padStart(8)}${String(count.errors).padStart(8)}${String(count.warnings).padStart(10)}  ${CHECK_TITLES[check]}`,
    );
  }
  for (const check of RECONCILIATION_CHECKS) {
    const differences = report.differences.filter((d) => d.check === check);
    if (differences.length === 0) continue;
    lines.push('', `${check}: ${CHECK_TITLES[check]}`);
    for (const d of differences) {
      lines.push(
        `  ${d.severity.toUpperCase().padEnd(8)} ${d.subject}`,
        `           expected  ${d.expected}`,
        `           actual    ${d.actual}`,
        `           ${d.detail}`,
      );
    }
  }
  return lines.join('\n');
}
