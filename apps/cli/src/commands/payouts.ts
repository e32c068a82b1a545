import { open, rm } from 'node:fs/promises';
import { exportSepaPayouts } from '@drop/core';
import { buildPain001 } from '@drop/integrations';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

export function registerPayouts(program: Command, context: () => CliContext): void {
  const payouts = program.command('payouts').description('Money out: payouts Drop’s own bank pays from SEPA files');

  payouts
    .command('sepa-export')
    .description(
      'Put every euro payout waiting for the bank (SEPA_PAYOUTS=bank) into a new SEPA credit-transfer file (pain.001.001.09) ' +
        'to upload to the bank: those payouts become sent, audited. The bank statements of the EUR account settle them ' +
        '(drop payments import). Makes no file when no payout is waiting.',
    )
    .option('--out <file>', 'write the XML to this file (default: stdout, with the summary on stderr)')
    .action(async (options: { out?: string }) => {
      const ctx = context();
      // Opened first (never over an existing file): once the export commits, its payouts count as
      // sent, so there must be somewhere to put the file. It stays in the database either way.
      const out = options.out ? await open(options.out, 'wx') : undefined;
      let file: Awaited<ReturnType<typeof exportSepaPayouts>>;
      try {
        file = await withServices(ctx, (services) =>
          exportSepaPayouts(services.db, { debtor: ctx.config.payouts.sepa.debtor, createdBy: ctx.actor, writeFile: buildPain001 }),
        );
        if (file) await out?.writeFile(file.xml);
      } finally {
        await out?.close();
      }
      // The XML alone on stdout, so it can be piped; what it holds goes beside it.
      const say = options.out ? console.log : console.error;
      if (!file) {
        if (options.out) await rm(options.out);
        say('No SEPA payouts waiting: no file made.');
        return;
      }
      if (!out) process.stdout.write(file.xml);
      say(
        `SEPA file ${file.fileId} (MsgId ${file.messageId}): ${file.count} payout${file.count === 1 ? '' : 's'}, ` +
          `EUR ${file.controlSum}, debtor ${ctx.config.payouts.sepa.debtor.iban}${options.out ? `, written to ${options.out}` : ''}.`,
      );
    });
}
