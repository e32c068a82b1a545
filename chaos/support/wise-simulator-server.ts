/**
 * The payout partner for the chaos run, in its own process so its ledger of payouts outlives
 * every kill of Drop's API and worker: the Wise simulator (packages/simulators, the same one the
 * server mounts in development) on a Fastify server of its own. Drop's API and worker reach it
 * through WISE_API_URL and verify its webhooks with WISE_WEBHOOK_PUBLIC_KEY, as they would reach
 * Wise. Like Wise, it keeps delivering a webhook the receiver did not take (Wise retries for days;
 * here for about two minutes), so an API that is down when a payout completes hears of it later.
 *
 * `GET /chaos/payouts` lists every transfer it holds with its completed fundings (the harness's
 * "no payout twice" check) and the webhook deliveries. Arguments: port, Drop's webhook URL, and
 * the file to write the webhook public key (PEM) to once listening.
 */
import { writeFile } from 'node:fs/promises';
import { registerWiseSimulator } from '@drop/simulators';
import Fastify from 'fastify';

const [port, webhookUrl, keyFile, payDelayMs] = process.argv.slice(2);
if (!port || !webhookUrl || !keyFile) throw new Error('usage: wise-simulator-server <port> <webhook-url> <key-file> [pay-delay-ms]');

const app = Fastify({ logger: false });
const quiet = { info: () => undefined, warn: () => undefined };
const wise = await registerWiseSimulator(app, {
  prefix: '/wise-sim',
  webhookUrl,
  autoOutcome: 'paid',
  payDelayMs: Number(payDelayMs ?? 1000),
  webhookRetryDelaysMs: [200, 500, 1000, 2000, 3000, 5000, 5000, 10_000, 10_000, 15_000, 15_000, 30_000, 30_000],
  logger: quiet,
});
app.get('/chaos/payouts', async () => ({
  transfers: wise.transfers().map((transfer) => ({
    id: transfer.id,
    customerTransactionId: transfer.customerTransactionId,
    state: transfer.state,
    payments: transfer.payments,
    reference: transfer.reference,
  })),
  deliveries: wise.deliveries().map((delivery) => ({
    transferId: delivery.transferId,
    currentState: delivery.currentState,
    status: delivery.status,
    attempts: delivery.attempts,
  })),
}));
await app.listen({ port: Number(port), host: '127.0.0.1' });
await writeFile(keyFile, wise.publicKeyPem);
process.stdout.write('wise simulator ready\n');
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
