import { verifyAuditChain } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

export function registerAudit(program: Command, context: () => CliContext): void {
  const audit = program.command('audit').description('The tamper-evident audit log');

  audit
    .command('verify')
    .description('Walk the audit_log hash chain and name the first broken row. Exits 1 if the chain is broken.')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await withServices(context(), (services) => verifyAuditChain(services.db));
      if (options.json) {
        console.log(JSON.stringify(report, null, 2));
      } else if (report.ok) {
        console.log(`Audit chain intact: ${report.rowsChecked} rows.`);
        if (report.head) console.log(`Head: seq ${report.head.seq}, hash ${report.head.hash}`);
      } else if (report.firstBroken) {
        console.log(`Audit chain BROKEN after ${report.rowsChecked} good rows.`);
        console.log(
          `First broken row: seq ${report.firstBroken.seq}, id ${report.firstBroken.id} (${report.firstBroken.reason.replaceAll('_', ' ')})`,
        );
      }
      process.exitCode = report.ok ? 0 : 1;
    });
}
