import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PRODUCTION_ENV } from '../../../test/support/production-env.ts';
import {
  ConfigError,
  DEVELOPMENT_BANKID_CLIENT_SECRET,
  DEVELOPMENT_DATA_ENCRYPTION_KEY,
  DEVELOPMENT_FIU_REPORTING_ENTITY_ID,
  DEVELOPMENT_JWT_SECRET,
  loadConfig,
} from './config.ts';

const rootVersion = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const SIMULATOR_FLAGS = [
  'BANKID_TEST_PROVIDER_ENABLED',
  'SUMSUB_SIMULATOR_ENABLED',
  'PAYOUT_SIMULATOR_ENABLED',
  'NORGES_BANK_SIMULATOR_ENABLED',
  'AWS_SIMULATOR_ENABLED',
] as const;

const goodProduction = PRODUCTION_ENV;

/** Every setting production requires, in the order the problems name them. */
const REQUIRED_IN_PRODUCTION = [
  'DATABASE_URL',
  'JWT_SECRET',
  'AUDIT_CHECKPOINT_SIGNING_KEY',
  'AUDIT_CHECKPOINT_BUCKET',
  'DATA_ENCRYPTION_KEY',
  'BANKID_ISSUER',
  'BANKID_CLIENT_ID',
  'BANKID_CLIENT_SECRET',
  'SUMSUB_APP_TOKEN',
  'SUMSUB_SECRET_KEY',
  'SUMSUB_WEBHOOK_SECRET',
  'WISE_API_URL',
  'WISE_API_TOKEN',
  'WISE_WEBHOOK_PUBLIC_KEY',
  'SMTP_URL',
  'COMPANY_ORG_NUMBER',
  'COMPANY_ADDRESS',
  'COMPANY_LICENCE',
  'FIU_REPORTING_ENTITY_ID',
  'PUBLIC_URL',
];

/** Runs `load` and returns the ConfigError it throws; fails if it throws anything else or nothing. */
function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected loadConfig to throw a ConfigError');
}

function problemNaming(error: ConfigError, name: string): string | undefined {
  return error.problems.find((problem) => problem.includes(name));
}

describe('LOG_FORMAT', () => {
  it('is pretty in development and JSON in test and production unless set', () => {
    assert.equal(loadConfig({ NODE_ENV: 'development' }).log.format, 'pretty');
    assert.equal(loadConfig({ NODE_ENV: 'test' }).log.format, 'json');
    assert.equal(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: 'json' }).log.format, 'json');
    assert.equal(loadConfig({ NODE_ENV: 'test', LOG_FORMAT: 'pretty' }).log.format, 'pretty');
    assert.equal(loadConfig({ NODE_ENV: 'development', LOG_FORMAT: '' }).log.format, 'pretty', 'empty is unset');
  });

  it('refuses an unknown format', () => {
    assert.throws(
      () => loadConfig({ LOG_FORMAT: 'xml' }),
      (error: unknown) => error instanceof ConfigError && error.problems.some((problem) => problem.includes('LOG_FORMAT')),
    );
  });
});

describe('loadConfig', () => {
  it('with an empty environment uses the development defaults', () => {
    const config = loadConfig({});
    assert.equal(config.env, 'development');
    assert.equal(config.isProduction, false);
    assert.equal(config.http.port, 3000);
    assert.equal(config.http.host, '127.0.0.1');
    assert.equal(config.http.publicUrl, 'http://localhost:3000');
    assert.equal(config.log.level, 'info');
    assert.equal(config.log.format, 'pretty', 'readable logs in development');
    assert.deepEqual(config.worker, { mode: 'inline', concurrency: 4 });
    assert.equal(config.database.url, undefined);
    assert.equal(config.database.migrateOnStart, true);
    assert.equal(config.auth.jwtSecret, DEVELOPMENT_JWT_SECRET);
    assert.deepEqual(config.simulators, {
      bankidTestProvider: true,
      sumsubSimulator: true,
      payoutSimulator: true,
      norgesBankSimulator: true,
      awsSimulator: true,
    });
  });

  it('in the test environment turns the simulators on by default', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    assert.equal(config.env, 'test');
    assert.deepEqual(config.simulators, {
      bankidTestProvider: true,
      sumsubSimulator: true,
      payoutSimulator: true,
      norgesBankSimulator: true,
      awsSimulator: true,
    });
  });

  it('reads PORT, HOST and a simulator switched off', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', SUMSUB_SIMULATOR_ENABLED: 'false' });
    assert.equal(config.http.port, 8080);
    assert.equal(config.http.host, '0.0.0.0');
    assert.equal(config.http.publicUrl, 'http://localhost:8080');
    assert.deepEqual(config.simulators, {
      bankidTestProvider: true,
      sumsubSimulator: false,
      payoutSimulator: true,
      norgesBankSimulator: true,
      awsSimulator: true,
    });
  });

  for (const port of ['abc', '70000', '-1', '3.5']) {
    it(`refuses PORT=${port} and names PORT`, () => {
      const error = configErrorOf(() => loadConfig({ PORT: port }));
      assert.equal(error.problems.length, 1, error.problems.join('\n'));
      assert.match(error.problems[0] ?? '', /^PORT: /);
      assert.match(error.message, /PORT/);
    });
  }

  it('names every bad setting at once, not just the first', () => {
    const error = configErrorOf(() => loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', WORKER_MODE: 'sometimes' }));
    assert.deepEqual(error.problems.map((problem) => problem.split(':')[0]).sort(), ['LOG_LEVEL', 'PORT', 'WORKER_MODE']);
  });

  it('refuses a JWT_SECRET shorter than 32 characters in any environment', () => {
    const error = configErrorOf(() => loadConfig({ JWT_SECRET: 'short' }));
    assert.ok(problemNaming(error, 'JWT_SECRET'), error.problems.join('\n'));
  });

  it('in production with nothing set names every required setting', () => {
    const error = configErrorOf(() => loadConfig({ NODE_ENV: 'production' }));
    for (const name of REQUIRED_IN_PRODUCTION) assert.ok(problemNaming(error, name), error.problems.join('\n'));
    assert.equal(error.problems.length, REQUIRED_IN_PRODUCTION.length, error.problems.join('\n'));
    assert.match(error.message, /DATABASE_URL[\s\S]*JWT_SECRET[\s\S]*PUBLIC_URL/);
  });

  it('in production treats empty strings as unset', () => {
    const empty = Object.fromEntries(REQUIRED_IN_PRODUCTION.map((name) => [name, '']));
    const error = configErrorOf(() => loadConfig({ NODE_ENV: 'production', ...empty }));
    assert.deepEqual(error.problems.map((problem) => problem.split(' ')[0]).sort(), [...REQUIRED_IN_PRODUCTION].sort());
  });

  it('in production refuses the development national-id key and BankID client secret', () => {
    const error = configErrorOf(() =>
      loadConfig({
        ...goodProduction,
        DATA_ENCRYPTION_KEY: DEVELOPMENT_DATA_ENCRYPTION_KEY,
        BANKID_CLIENT_SECRET: DEVELOPMENT_BANKID_CLIENT_SECRET,
      }),
    );
    assert.deepEqual(error.problems, ['DATA_ENCRYPTION_KEY is the development default', 'BANKID_CLIENT_SECRET is the development default']);
  });

  it('refuses a national-id key that is not 32 bytes of base64', () => {
    const error = configErrorOf(() => loadConfig({ DATA_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }));
    assert.ok(problemNaming(error, 'DATA_ENCRYPTION_KEY'), error.problems.join('\n'));
  });

  it('in production refuses the development JWT secret', () => {
    const error = configErrorOf(() => loadConfig({ ...goodProduction, JWT_SECRET: DEVELOPMENT_JWT_SECRET }));
    assert.deepEqual(error.problems, ['JWT_SECRET is the development default']);
  });

  it('in production refuses the development FIU reporting-entity id, set or left to its default; takes a real one', () => {
    for (const env of [
      { ...goodProduction, FIU_REPORTING_ENTITY_ID: DEVELOPMENT_FIU_REPORTING_ENTITY_ID },
      { ...goodProduction, FIU_REPORTING_ENTITY_ID: '' },
    ]) {
      const error = configErrorOf(() => loadConfig(env));
      assert.equal(error.problems.length, 1, error.problems.join('\n'));
      assert.match(error.problems[0] ?? '', /^FIU_REPORTING_ENTITY_ID is required in production/);
    }
    const { FIU_REPORTING_ENTITY_ID: _, ...withoutId } = goodProduction;
    assert.match(configErrorOf(() => loadConfig(withoutId)).problems.join('\n'), /FIU_REPORTING_ENTITY_ID/);
    assert.equal(loadConfig(goodProduction).reportingEntity.fiuEntityId, '4711');
    // Outside production the placeholder stays the default, so development and tests need nothing.
    assert.equal(loadConfig({}).reportingEntity.fiuEntityId, DEVELOPMENT_FIU_REPORTING_ENTITY_ID);
  });

  it('in production refuses a PUBLIC_URL that is not https', () => {
    const error = configErrorOf(() => loadConfig({ ...goodProduction, PUBLIC_URL: 'http://getdrop.no' }));
    assert.deepEqual(error.problems, ['PUBLIC_URL must be https in production']);
  });

  for (const flag of SIMULATOR_FLAGS) {
    it(`in production refuses ${flag}=true and names it`, () => {
      const error = configErrorOf(() => loadConfig({ ...goodProduction, [flag]: 'true' }));
      assert.equal(error.problems.length, 1, error.problems.join('\n'));
      assert.ok(problemNaming(error, flag), error.problems.join('\n'));
      for (const other of SIMULATOR_FLAGS.filter((name) => name !== flag)) {
        assert.equal(problemNaming(error, other), undefined);
      }
    });
  }

  it('in production with a database, a strong secret and an https URL loads with every simulator off', () => {
    const config = loadConfig(goodProduction);
    assert.equal(config.env, 'production');
    assert.equal(config.isProduction, true);
    assert.equal(config.database.url, goodProduction.DATABASE_URL);
    assert.equal(config.auth.jwtSecret, goodProduction.JWT_SECRET);
    assert.equal(config.http.publicUrl, 'https://getdrop.no');
    assert.deepEqual(config.simulators, {
      bankidTestProvider: false,
      sumsubSimulator: false,
      payoutSimulator: false,
      norgesBankSimulator: false,
      awsSimulator: false,
    });
  });

  it('in production accepts simulator flags that are explicitly false', () => {
    const config = loadConfig({
      ...goodProduction,
      BANKID_TEST_PROVIDER_ENABLED: 'false',
      SUMSUB_SIMULATOR_ENABLED: '0',
      PAYOUT_SIMULATOR_ENABLED: 'no',
      NORGES_BANK_SIMULATOR_ENABLED: 'false',
      AWS_SIMULATOR_ENABLED: 'false',
    });
    assert.deepEqual(config.simulators, {
      bankidTestProvider: false,
      sumsubSimulator: false,
      payoutSimulator: false,
      norgesBankSimulator: false,
      awsSimulator: false,
    });
  });

  it('returns a configuration frozen all the way down', () => {
    const config = loadConfig({});
    assert.ok(Object.isFrozen(config));
    for (const section of [config.http, config.database, config.database.embedded, config.simulators, config.alerts, config.auth]) {
      assert.ok(Object.isFrozen(section));
    }
    assert.throws(() => {
      (config as { env: string }).env = 'production';
    }, TypeError);
    assert.throws(() => {
      (config.simulators as { payoutSimulator: boolean }).payoutSimulator = false;
    }, TypeError);
    assert.equal(config.env, 'development');
    assert.equal(config.simulators.payoutSimulator, true);
  });

  it('parses CORRIDORS at start: unset gives the default corridors, a value overrides them', () => {
    const defaults = loadConfig({}).money.corridors;
    assert.ok(defaults.some((c) => c.country === 'SE' && c.marginBps === 35));
    const tuned = loadConfig({ CORRIDORS: '{"SE":{"marginBps":30,"fixedFeeNok":15,"maximumFeeNok":null}}' }).money.corridors;
    const sweden = tuned.find((c) => c.country === 'SE');
    assert.equal(sweden?.marginBps, 30);
    assert.equal(sweden?.fee.fixedOre, 1500n);
    assert.equal(sweden?.fee.maximumOre, undefined);
    assert.equal(tuned.length, defaults.length);
  });

  it('refuses a bad CORRIDORS value at start, naming the setting and the problem', () => {
    for (const [value, problem] of [
      ['{"SE":', /not valid JSON/],
      ['[]', /JSON object keyed by country/],
      ['{"LK":{"marginBps":100}}', /unknown country 'LK'/],
      ['{"SE":{"margin":100}}', /SE\.margin is not a known setting/],
      ['{"SE":{"marginBps":1.5}}', /marginBps/],
      ['{"SE":{"minSendNok":"20"}}', /minSend must exceed the fee/],
    ] as const) {
      const error = configErrorOf(() => loadConfig({ CORRIDORS: value }));
      assert.match(problemNaming(error, 'CORRIDORS') ?? '', problem, value);
    }
  });

  it('parses KYC_TIER_LIMITS at start: unset gives the defaults, a tier given overrides only that tier', () => {
    const defaults = loadConfig({}).kyc.tierLimits;
    assert.equal(defaults[1].perTransferOre, 5_000_000n);
    const limits = loadConfig({ KYC_TIER_LIMITS: '{"2":{"perTransferNok":300000,"thirtyDaysNok":600000,"twelveMonthsNok":2500000}}' }).kyc
      .tierLimits;
    assert.deepEqual(limits[1], defaults[1]);
    assert.deepEqual(limits[2], { perTransferOre: 30_000_000n, thirtyDaysOre: 60_000_000n, twelveMonthsOre: 250_000_000n });
  });

  it('refuses a bad KYC_TIER_LIMITS value at start, naming the setting and the problem', () => {
    for (const [value, problem] of [
      ['not json', /not valid JSON/],
      ['[1]', /JSON object keyed by tier/],
      ['{"3":{"perTransferNok":1,"thirtyDaysNok":1,"twelveMonthsNok":1}}', /unknown tier '3'/],
      ['{"1":{"perTransferNok":1,"thirtyDaysNok":1}}', /1\.twelveMonthsNok must be whole kroner/],
      ['{"1":{"perTransferNok":1.5,"thirtyDaysNok":1,"twelveMonthsNok":1}}', /1\.perTransferNok must be whole kroner/],
      ['{"1":{"perTransferNok":1,"thirtyDaysNok":1,"twelveMonthsNok":1,"daily":1}}', /1\.daily is not a known setting/],
    ] as const) {
      const error = configErrorOf(() => loadConfig({ KYC_TIER_LIMITS: value }));
      assert.match(problemNaming(error, 'KYC_TIER_LIMITS') ?? '', problem, value);
    }
  });

  it('reports the root package.json version', () => {
    assert.match(rootVersion, /^\d+\.\d+\.\d+/);
    assert.equal(loadConfig({}).version, rootVersion);
  });
});
