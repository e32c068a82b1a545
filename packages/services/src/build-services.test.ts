import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadConfig } from '@drop/config';
import { createLogger } from '@drop/observability';
import { createTestDatabase } from '../../../test/support/database.ts';
import { buildServices, workerServices } from './build-services.ts';

const logger = createLogger({ level: 'silent' });

const database = await createTestDatabase();
after(() => database.drop());

describe('buildServices', () => {
  it('builds every service from the configuration, on the configured database, and closes it', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, KID_METHOD: 'MOD11', KID_LENGTH: '10' });
    const services = await buildServices(config, { applicationName: 'services-test', logger });
    try {
      assert.equal(services.config, config);
      assert.equal(services.database.embedded, false);
      const { rows } = await services.db.query<{ name: string }>('SELECT current_setting($1) AS name', ['application_name']);
      assert.equal(rows[0]?.name, 'services-test');
      assert.deepEqual(services.kids.format, { method: 'MOD11', length: 10 });
      assert.equal(services.mailer, undefined, 'no SMTP_URL and no capture asked for: no mailer');
      assert.equal(services.mailCapture, undefined);
      const keyRing = await services.loadKeyRing();
      keyRing.stop();
      const forJobs = workerServices(services);
      assert.equal(forJobs.payoutPartner, services.payoutPartner);
      assert.equal(forJobs.kycProvider, services.kycProvider);
      assert.equal(forJobs.appUrl, config.http.publicUrl);
      assert.equal(forJobs.importShippedLists, false, 'tests import lists themselves');
      const screening = await services.screening.current();
      assert.deepEqual(screening.versions, [], 'no list imported: an empty index');
      assert.deepEqual(screening.index.screen({ name: 'Vladimir Putin', schema: 'Person' }), []);
    } finally {
      await services.close();
    }
    await assert.rejects(services.db.query('SELECT 1'), 'the pool is closed');
  });

  it('builds the payout partner at its first use, so a process that never pays needs no Wise token', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, PAYOUT_SIMULATOR_ENABLED: 'false' });
    const services = await buildServices(config, { applicationName: 'services-test', logger });
    try {
      assert.equal(services.payoutPartner.name, 'wise');
      assert.throws(() => services.payoutPartner.get(), /apiToken is required/);
    } finally {
      await services.close();
    }
  });

  it('sends the payout partner and the rate source to simulators at an address known only later (the server once it listens)', async () => {
    let listening: string | undefined;
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
    const services = await buildServices(config, {
      applicationName: 'services-test',
      logger,
      simulatorsUrl: () => {
        if (!listening) throw new Error('not listening yet');
        return listening;
      },
    });
    try {
      assert.throws(() => services.payoutPartner.get(), /not listening yet/);
      await assert.rejects(services.rates.refresh(), /not listening yet/);
      listening = 'http://127.0.0.1:9';
      assert.equal(services.payoutPartner.get().name, 'wise', 'built once the address is known');
    } finally {
      await services.close();
    }
  });

  it('with captureMail, outside production without SMTP_URL, sends customer mail to a local capture server', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
    const services = await buildServices(config, { applicationName: 'services-test', logger, captureMail: true });
    try {
      assert.ok(services.mailCapture);
      assert.ok(services.mailer);
    } finally {
      await services.close();
    }
  });
});
