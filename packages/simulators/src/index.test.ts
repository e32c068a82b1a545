import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '@drop/config';
import Fastify from 'fastify';
import { registerSimulators } from './index.ts';

const quiet = { info: () => undefined, warn: () => undefined };

async function mountedWith(env: Record<string, string>) {
  const app = Fastify();
  const mounted = await registerSimulators(app, {
    config: loadConfig({ NODE_ENV: 'test', ...env }),
    logger: quiet,
    listeningUrl: () => undefined,
  });
  await app.ready();
  const routes = app.printRoutes({ commonPrefix: false });
  await app.close();
  return { mounted, routes };
}

describe('registerSimulators', () => {
  it('mounts every simulator the configuration turns on (all, by default outside production)', async () => {
    const { mounted, routes } = await mountedWith({});
    for (const path of ['/test-bankid', '/sumsub-sim', '/norges-bank-sim', '/wise-sim', '/aws-sim'])
      assert.ok(routes.includes(path), `${path} is mounted`);
    assert.ok(mounted.sumsub && mounted.wise && mounted.aws);
  });

  it('mounts none that the configuration turns off', async () => {
    const { mounted, routes } = await mountedWith({
      BANKID_TEST_PROVIDER_ENABLED: 'false',
      SUMSUB_SIMULATOR_ENABLED: 'false',
      PAYOUT_SIMULATOR_ENABLED: 'false',
      NORGES_BANK_SIMULATOR_ENABLED: 'false',
      AWS_SIMULATOR_ENABLED: 'false',
    });
    for (const path of ['/test-bankid', '/sumsub-sim', '/norges-bank-sim', '/wise-sim', '/aws-sim'])
      assert.ok(!routes.includes(path), `${path} is not mounted`);
    assert.deepEqual(mounted, { sumsub: undefined, wise: undefined, aws: undefined });
  });

  it('refuses to mount any in production, even given a configuration that slipped past loadConfig', async () => {
    const config = { ...loadConfig({ NODE_ENV: 'test', SUMSUB_SIMULATOR_ENABLED: 'false' }), isProduction: true };
    const app = Fastify();
    await assert.rejects(registerSimulators(app, { config, logger: quiet, listeningUrl: () => undefined }), /never run in production/);
    await app.close();
  });
});
