import { SmtpMailer, sumsubKycProviderFrom, WisePayoutPartner } from '@drop/integrations';
import { createOpsNotifier } from '@drop/observability';
import { startWorker } from '@drop/worker';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

export function registerWorker(program: Command, context: () => CliContext): void {
  program
    .command('worker')
    .description('Run the background job worker on its own (set WORKER_MODE=off on the servers). Stops gracefully on SIGTERM.')
    .option('--concurrency <n>', 'jobs run at once', (value) => Number.parseInt(value, 10))
    .action(async (options: { concurrency?: number }) => {
      const ctx = context();
      const database = await ctx.openDatabase();
      const notifier = createOpsNotifier({
        slackWebhookUrl: ctx.config.alerts.slackWebhookUrl,
        environment: ctx.config.env,
        logger: ctx.logger,
      });
      const worker = await startWorker({
        db: database.db,
        logger: ctx.logger,
        notifier,
        concurrency: options.concurrency ?? ctx.config.worker.concurrency,
        kycProvider: sumsubKycProviderFrom(ctx.config.sumsub),
        // Payouts go to Wise, or (outside production) to the simulator on the server at PUBLIC_URL.
        payoutPartner: new WisePayoutPartner({
          baseUrl: ctx.config.payouts.wise.apiUrl ?? `${ctx.config.http.publicUrl}/wise-sim`,
          apiToken: ctx.config.payouts.wise.apiToken ?? '',
          profileId: ctx.config.payouts.wise.profileId,
          webhookPublicKey: ctx.config.payouts.wise.webhookPublicKey,
        }),
        sepaPayouts: ctx.config.payouts.sepa.rail,
        ...(ctx.config.mail.smtpUrl ? { mailer: new SmtpMailer({ url: ctx.config.mail.smtpUrl, from: ctx.config.mail.from }) } : {}),
        appUrl: ctx.config.http.publicUrl,
      });
      console.log('Worker running; Ctrl-C or SIGTERM stops it after the running jobs finish.');
      const stop = async () => {
        await worker.stop();
        await database.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop());
      process.once('SIGINT', () => void stop());
      await worker.runner.promise;
    });
}
