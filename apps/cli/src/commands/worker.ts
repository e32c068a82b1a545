import { workerServices } from '@drop/services';
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
      // Payouts go to Wise, or (outside production) to the simulator on the server at PUBLIC_URL.
      const services = await ctx.openServices();
      try {
        services.payoutPartner.get(); // a wrong Wise setting stops the worker here, not at the first payout
      } catch (error) {
        await services.close();
        throw error;
      }
      const worker = await startWorker({
        ...workerServices(services),
        db: services.db,
        concurrency: options.concurrency ?? ctx.config.worker.concurrency,
      });
      console.log('Worker running; Ctrl-C or SIGTERM stops it after the running jobs finish.');
      const stop = async () => {
        await worker.stop();
        await services.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop());
      process.once('SIGINT', () => void stop());
      await worker.stopped;
    });
}
