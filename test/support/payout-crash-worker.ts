/**
 * A worker that dies at the worst moment: it sends one payout and is killed (SIGKILL, no cleanup)
 * right after the partner answered and before the answer is recorded. Used by
 * apps/api/test/payout-crash.test.ts. Arguments: database URL, Wise API base URL, transfer id.
 */
import { sendPayout } from '@drop/core';
import { createPool } from '@drop/db';
import { WisePayoutPartner } from '@drop/integrations';

const [databaseUrl, wiseUrl, transactionId] = process.argv.slice(2);
if (!databaseUrl || !wiseUrl || !transactionId) throw new Error('usage: payout-crash-worker <database-url> <wise-url> <transaction-id>');
const db = createPool({
  url: databaseUrl,
  max: 2,
  applicationName: 'payout-crash-worker',
  connectTimeoutMs: 5000,
  statementTimeoutMs: 10_000,
});
const partner = new WisePayoutPartner({ baseUrl: wiseUrl, apiToken: 'simulator-token', profileId: 1001 });
await sendPayout(db, partner, transactionId, {
  afterPartnerAnswered: () => {
    process.stdout.write('partner answered; dying\n');
    process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('not killed?\n');
