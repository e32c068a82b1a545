import { verifyLedger } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withDatabase } from '../context.ts';

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
      const report = await withDatabase(context(), (database) => verifyLedger(database.db));
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
}
