/**
 * Drop's one configuration module. Every setting is read here, once, from the environment and
 * validated with zod; nothing else in the code base reads `process.env`. `.env.example` at the
 * repository root documents each variable.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isNorwegianAccountNumber, isNorwegianIban } from '@drop/check-digits';
import { corridorsFromJson, tierLimitsFromJson } from '@drop/core/settings';
import { z } from 'zod';

/**
 * The goAML reporting-entity id outside production: a placeholder, so a report exported in
 * development is never mistaken for Drop's. Production refuses it: ØKOKRIM's FIU gives the real one.
 */
export const DEVELOPMENT_FIU_REPORTING_ENTITY_ID = '1000';
/** Receipts printed outside production say plainly that they come from a development build. */
export const DEVELOPMENT_COMPANY_ADDRESS = 'Development address, not for customers';
export const DEVELOPMENT_COMPANY_LICENCE = 'Development build: not a licensed payment service';

/** Secrets that ship in the repository for development; production refuses to run with them. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-jwt-secret-not-for-production-use';
/** Signs audit checkpoints outside production (an Ed25519 PKCS#8 key, base64): published here, so it proves nothing. */
export const DEVELOPMENT_AUDIT_CHECKPOINT_KEY = 'MC4CAQAwBQYDK2VwBCIEIET2RItUEudG5xFDeFX139O9bXDfDLsVsokfUPBKKUCr';
export const DEVELOPMENT_DATA_ENCRYPTION_KEY = Buffer.from('drop-development-only-data-key-1').toString('base64');
export const DEVELOPMENT_BANKID_CLIENT_SECRET = 'development-only-bankid-client-secret';
export const DEVELOPMENT_SUMSUB_SECRET_KEY = 'development-only-sumsub-secret-key';
export const DEVELOPMENT_SUMSUB_WEBHOOK_SECRET = 'development-only-sumsub-webhook-secret';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/**
 * A setting holding JSON, parsed and checked at start by `parse` (unset: `parse(undefined)`, the
 * defaults). Bad JSON or a value `parse` refuses fails `loadConfig` with the problem named.
 */
function jsonSetting<T>(parse: (json: string | undefined) => T) {
  return z.preprocess(emptyAsUndefined, z.string().optional()).transform((json, context): T => {
    try {
      return parse(json);
    } catch (error) {
      const message = error instanceof SyntaxError ? `is not valid JSON (${error.message})` : String((error as Error).message ?? error);
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
  });
}

/** Drop's EUR account when SEPA_DEBTOR_IBAN is unset: a test number (BBAN 1503.05.12348), not the pay-in account. */
export const DEVELOPMENT_SEPA_DEBTOR_IBAN = 'NO3715030512348';
export const DEVELOPMENT_SEPA_DEBTOR_BIC = 'DNBANOKKXXX';

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // json: one object a line (the log platform's format); pretty: readable lines. Unset: pretty in
  // development, json in test and production.
  LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['json', 'pretty']).optional()),

  DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  // The owner's login (the tables' owner): migrations, the application role's grants, backups and
  // restores. DATABASE_URL is then the application's login, a member of drop_app that owns nothing.
  // Unset: DATABASE_URL does both (a login that may not change the schema only checks it is current).
  DATABASE_OWNER_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  // The database login as a JSON file like an RDS secret ({"username","password",…}), read for each
  // new connection; `drop secrets rotate-db-password` rewrites it. Host and database: DATABASE_URL.
  DATABASE_CREDENTIALS_FILE: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  // Or the login in AWS Secrets Manager (an RDS secret's name or ARN, in AWS_REGION), read at start
  // and every DATABASE_CREDENTIALS_REFRESH_SECONDS; `drop secrets rotate-db-password` writes it.
  DATABASE_CREDENTIALS_SECRET_ID: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  DATABASE_CREDENTIALS_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  // Backups (`drop db backup`): the repository folder (base backups, archived WAL, logical dumps,
  // restore reports), how many days backups are kept, and how often the embedded server archives
  // a WAL segment at the latest (bounds the RPO of point-in-time recovery).
  BACKUP_DIR: z.string().min(1).default('.data/backups'),
  BACKUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  // The audit chain's head, signed and kept outside the database every hour (the worker's
  // audit:checkpoint job, `drop audit checkpoint`), so `drop audit verify` detects a cut tail.
  // The signing key: Ed25519, PEM or the base64 of its PKCS#8 DER (`drop audit checkpoint-key`
  // makes one); a key the database never holds. Required in production.
  AUDIT_CHECKPOINT_SIGNING_KEY: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  // The public key `drop audit verify` checks signatures with (PEM or base64 SPKI DER). Unset: the
  // signing key's own.
  AUDIT_CHECKPOINT_PUBLIC_KEY: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  // A local directory for checkpoints (development, an operator's copy). Unset: .data/audit-checkpoints
  // outside production, none in production.
  AUDIT_CHECKPOINT_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  // The S3 bucket with Object Lock (infra/lib: drop-audit-checkpoints), in AWS_REGION through
  // AWS_ENDPOINT_URL when set; objects under AUDIT_CHECKPOINT_PREFIX, locked in compliance mode for
  // AUDIT_CHECKPOINT_RETENTION_DAYS. Required in production.
  AUDIT_CHECKPOINT_BUCKET: z.preprocess(emptyAsUndefined, z.string().min(3).optional()),
  AUDIT_CHECKPOINT_PREFIX: z.string().default('audit-checkpoints/'),
  AUDIT_CHECKPOINT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(1825),
  BACKUP_ARCHIVE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  MIGRATE_ON_START: z.preprocess(emptyAsUndefined, booleanFromEnv.default(true)),

  JWT_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  // 32 random bytes, base64: master key for data at rest (national id numbers, signing keys); HKDF subkeys per use.
  DATA_ENCRYPTION_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .base64()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64')
      .optional(),
  ),
  SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(30).default(300),
  SESSION_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(300).default(43_200),
  STAFF_SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(60).default(900),
  STAFF_SESSION_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(300).default(28_800),

  // BankID (OpenID Connect). Outside production the defaults point at the local test provider.
  BANKID_ISSUER: z.preprocess(emptyAsUndefined, z.url().optional()),
  BANKID_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  BANKID_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),
  BANKID_SCOPES: z.string().min(6).default('openid profile nnin_altsub'),
  BANKID_MIN_LOA: z.coerce.number().int().min(3).max(4).default(4),

  // Sumsub (KYC). Outside production the defaults point at the local simulator.
  SUMSUB_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  SUMSUB_APP_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(8).optional()),
  SUMSUB_SECRET_KEY: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),
  SUMSUB_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),
  SUMSUB_LEVEL_NAME: z.string().min(1).default('basic-kyc-level'),
  // Sumsub's WebSDK builder script; outside production the simulator serves one with the same API.
  SUMSUB_WEBSDK_SCRIPT_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  // Optional override of the tier limits: {"1":{"perTransferNok":…,"thirtyDaysNok":…,"twelveMonthsNok":…},"2":{…}}
  KYC_TIER_LIMITS: jsonSetting(tierLimitsFromJson),

  // Sending money. Reference rates come from Norges Bank's open data API (outside production the
  // default is the local simulator serving the same API from shipped fixtures).
  NORGES_BANK_API_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  RATES_REFRESH_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  RATES_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(14).default(7),
  // Optional per-country overrides of margins and fees: {"DE":{"marginBps":40,"fee":{"fixedNok":19,…}},…}
  CORRIDORS: jsonSetting(corridorsFromJson),
  QUOTE_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(1800),
  // Shared ledger accounts (bank, fees, FX, partner) are split into this many rows so concurrent
  // transfers do not queue on one hot row; 1 = one row each.
  LEDGER_SHARDS: z.coerce.number().int().min(1).max(64).default(16),

  // Money in. Customers pay by bank transfer to Drop's client account with a KID; the bank's
  // agreement fixes the KID's check-digit method and length. The default account is a test
  // number (the textbook 8601.11.17947); production sets the real one.
  PAYIN_ACCOUNT: z
    .string()
    .regex(/^\d{4}\.?\d{2}\.?\d{5}$/, 'must be an 11-digit Norwegian account number')
    .refine((value) => isNorwegianAccountNumber(value.replace(/\./g, '')), 'fails the account number check digit (MOD11)')
    .default('8601.11.17947'),
  KID_METHOD: z.enum(['MOD10', 'MOD11']).default('MOD10'),
  KID_LENGTH: z.coerce.number().int().min(6).max(25).default(12),
  // A payment booked up to this many days after its quote expired is still honoured at the quote's
  // rate (a bank payment made on Friday evening is booked on Monday); later ones go to the
  // exceptions queue.
  PAYIN_LATE_TOLERANCE_DAYS: z.coerce.number().int().min(0).max(14).default(3),

  // Money out: payouts through Wise Platform. Outside production the payout simulator on this
  // server speaks the same API (WISE_API_URL unset → the server's own /wise-sim), with its own
  // webhook signing key.
  WISE_API_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  WISE_API_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(8).optional()),
  WISE_PROFILE_ID: z.coerce.number().int().positive().default(1001),
  // Wise's webhook public key (PEM), to verify X-Signature-SHA256.
  WISE_WEBHOOK_PUBLIC_KEY: z.preprocess(emptyAsUndefined, z.string().includes('PUBLIC KEY').optional()),
  // Money out, second rail: euros to IBANs paid by Drop's own bank with SEPA credit-transfer files
  // (pain.001) that staff export, confirmed by the bank's statements of Drop's EUR account.
  // 'partner' (the default): Wise pays every payout. 'bank': EUR payouts to IBANs go by SEPA.
  SEPA_PAYOUTS: z.enum(['partner', 'bank']).default('partner'),
  SEPA_DEBTOR_NAME: z.string().trim().min(2).max(70).default('Drop AS'),
  // Drop's EUR account (a Norwegian IBAN) and its bank's BIC. Unset: a test account (production
  // with SEPA_PAYOUTS=bank requires both).
  SEPA_DEBTOR_IBAN: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value) => value.replace(/\s/g, '').toUpperCase())
      .refine(isNorwegianIban, 'must be a Norwegian IBAN (NO + 13 digits) with valid check digits')
      .optional(),
  ),
  SEPA_DEBTOR_BIC: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'must be a BIC (8 or 11 characters)')
      .optional(),
  ),
  // Customer email. Without SMTP_URL (outside production) mail goes to a local capture server.
  SMTP_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^smtps?:\/\//, 'must be smtp:// or smtps://')
      .optional(),
  ),
  // Where customers write to Drop (the contact page, the terms and the privacy notice show it).
  SUPPORT_EMAIL: z.email().default('kundeservice@getdrop.no'),
  MAIL_FROM: z.string().min(3).default('Drop <no-reply@getdrop.no>'),
  // The company on receipts and in emails (Brønnøysundregistrene, Finanstilsynet). The defaults are
  // development placeholders; production refuses them (the organisation number 000 000 000 too).
  COMPANY_NAME: z.string().min(2).default('Drop AS'),
  COMPANY_ORG_NUMBER: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d{3} ?\d{3} ?\d{3}$/, 'must be a 9-digit organisation number')
      .default('000 000 000'),
  ),
  COMPANY_ADDRESS: z.preprocess(emptyAsUndefined, z.string().trim().min(2).default(DEVELOPMENT_COMPANY_ADDRESS)),
  COMPANY_LICENCE: z.preprocess(emptyAsUndefined, z.string().trim().min(2).max(200).default(DEVELOPMENT_COMPANY_LICENCE)),
  // Drop as a reporting entity to ØKOKRIM's FIU (STRs, issue 13): the name and organisation number
  // are COMPANY_NAME and COMPANY_ORG_NUMBER; the FIU gives Drop its goAML reporting-entity id, and
  // the reports carry Drop's postal address as parts. Development defaults are placeholders.
  // goAML's rentity_id is an integer.
  FIU_REPORTING_ENTITY_ID: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .regex(/^\d{1,9}$/, "must be the FIU's numeric reporting-entity id")
      .default(DEVELOPMENT_FIU_REPORTING_ENTITY_ID),
  ),
  REPORTING_ENTITY_STREET: z.string().trim().min(2).max(100).default('Storgata 1'),
  REPORTING_ENTITY_POSTAL_CODE: z
    .string()
    .trim()
    .regex(/^\d{4}$/, 'must be a Norwegian postal code (4 digits)')
    .default('0155'),
  REPORTING_ENTITY_CITY: z.string().trim().min(2).max(100).default('Oslo'),

  WORKER_MODE: z.enum(['inline', 'off']).default('inline'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  // On a database without sanctions lists the worker imports the files shipped with Drop (default
  // on, except in tests, which import lists themselves).
  SANCTIONS_SHIPPED_LISTS: z.preprocess(emptyAsUndefined, booleanFromEnv.optional()),
  // OpenSanctions data (the shipped PEP list among it) is CC BY-NC: free for non-commercial use
  // only. Production imports it only when Drop holds an OpenSanctions data licence (set true).
  OPENSANCTIONS_LICENSED: z.preprocess(emptyAsUndefined, booleanFromEnv.optional()),

  // Proxies in front of Drop whose X-Forwarded-For entry is trusted (App Runner: 1). 0 = use the
  // socket address; a client cannot then pick its own address to dodge rate limits.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  // Multiplies the per-customer limits on quotes, transfers, recipients, KYC starts and exports
  // (apps/api/src/http/customer-rate-limits.ts). 1 in production; load tests raise it.
  CUSTOMER_RATE_LIMIT_MULTIPLIER: z.coerce.number().int().min(1).default(1),

  HEALTH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).default(2000),
  HEALTH_MONITOR_INTERVAL_MS: z.coerce.number().int().min(200).default(5000),
  // Runbook §9: alert when the database round trip is over this many ms for this many probes in a row.
  HEALTH_DB_LATENCY_ALERT_MS: z.coerce.number().positive().default(100),
  HEALTH_DB_LATENCY_ALERT_PROBES: z.coerce.number().int().min(1).max(100).default(3),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
  // How often each server writes its buffered health probes and request counts for the SLA report.
  SLA_FLUSH_INTERVAL_MS: z.coerce.number().int().min(100).default(10000),

  // When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`.
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),

  // Runbook 3.2's storage check (`drop checks weekly`): the database's allocated storage (RDS
  // AllocatedStorage; unset: unknown, the embedded server's disk is measured instead) and the free
  // space under which it fails (the runbook's 2 GB).
  DATABASE_STORAGE_LIMIT_GB: z.preprocess(emptyAsUndefined, z.coerce.number().positive().optional()),
  DATABASE_MIN_FREE_STORAGE_GB: z.coerce.number().positive().default(2),

  SLACK_WEBHOOK_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  ALERT_ERROR_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  ALERT_ERROR_RATE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.05),
  ALERT_ERROR_MIN_COUNT: z.coerce.number().int().min(1).default(10),

  // AWS (the runbooks' RDS, App Runner and ECR steps, `drop aws …`, through the AWS SDK v3). The
  // defaults are the runbooks' names; credentials come from the SDK's own chain (environment, profile,
  // role). AWS_ENDPOINT_URL is the SDK's standard override: set it to the local stand-in
  // (`<server>/aws-sim` while AWS_SIMULATOR_ENABLED) to run the commands against it.
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
    .default('eu-west-1'),
  AWS_FAILOVER_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-north-1')
    .default('eu-north-1'),
  AWS_ENDPOINT_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  AWS_RDS_INSTANCE: z.string().min(1).default('drop-db'),
  AWS_RDS_INSTANCE_CLASS: z.string().min(1).default('db.t4g.micro'),
  AWS_RDS_DB_NAME: z.string().min(1).default('dropapp'),
  AWS_RDS_USERNAME: z.string().min(1).default('dropuser'),
  AWS_APPRUNNER_SERVICE_ARN: z
    .string()
    .regex(/^arn:aws:apprunner:[a-z0-9-]+:\d{12}:service\/[^/]+\/[0-9a-f]+$/, 'must be an App Runner service ARN')
    .default('arn:aws:apprunner:eu-west-1:324480209768:service/drop-web/8e45b0d335304487a1880f4e32d6aeec'),
  AWS_ECR_REPOSITORY: z.string().min(1).default('drop-web'),
  // How often `drop aws …` asks while it waits (snapshot available, instance available, service
  // RUNNING), and for how long at most.
  AWS_WAIT_INTERVAL_SECONDS: z.coerce.number().min(0.05).max(300).default(15),
  AWS_WAIT_TIMEOUT_MINUTES: z.coerce.number().min(0.1).max(240).default(60),

  // Local stand-ins for third parties. On by default outside production; production refuses them.
  BANKID_TEST_PROVIDER_ENABLED: z.preprocess(emptyAsUndefined, booleanFromEnv.optional()),
  SUMSUB_SIMULATOR_ENABLED: z.preprocess(emptyAsUndefined, booleanFromEnv.optional()),
  PAYOUT_SIMULATOR_ENABLED: z.preprocess(emptyAsUndefined, booleanFromEnv.optional()),
  NORGES_BANK_SIMULATOR_ENABLED: z.preprocess(emptyAsUndefined, booleanFromEnv.optional()),
  // The AWS stand-in (RDS, App Runner, ECR wire protocols) at /aws-sim on the server.
  AWS_SIMULATOR_ENABLED: z.preprocess(emptyAsUndefined, booleanFromEnv.optional()),
  // The payout simulator pays each funded payout after this delay ('paid'), or waits for its
  // control API ('manual': tests decide each outcome).
  PAYOUT_SIMULATOR_OUTCOME: z.enum(['paid', 'manual']).default('paid'),
  PAYOUT_SIMULATOR_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
});

/** Every environment variable Drop reads; `.env.example` documents each (a test checks). */
export const SETTING_NAMES: readonly string[] = Object.keys(environmentSchema.shape);

export type DropConfig = Readonly<ReturnType<typeof toConfig>>;

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function readPackageVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version: string };
  return pkg.version;
}

function toConfig(env: z.infer<typeof environmentSchema>) {
  const production = env.NODE_ENV === 'production';
  const simulatorDefault = !production;
  const simulators = {
    bankidTestProvider: env.BANKID_TEST_PROVIDER_ENABLED ?? simulatorDefault,
    sumsubSimulator: env.SUMSUB_SIMULATOR_ENABLED ?? simulatorDefault,
    payoutSimulator: env.PAYOUT_SIMULATOR_ENABLED ?? simulatorDefault,
    norgesBankSimulator: env.NORGES_BANK_SIMULATOR_ENABLED ?? simulatorDefault,
    awsSimulator: env.AWS_SIMULATOR_ENABLED ?? simulatorDefault,
  };
  return {
    env: env.NODE_ENV,
    isProduction: production,
    version: readPackageVersion(),
    http: {
      host: env.HOST,
      port: env.PORT,
      publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
      trustProxyHops: env.TRUST_PROXY_HOPS,
      signInRateLimitPerMinute: env.SIGN_IN_RATE_LIMIT_PER_MINUTE,
      customerRateLimitMultiplier: env.CUSTOMER_RATE_LIMIT_MULTIPLIER,
    },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json') },
    database: {
      url: env.DATABASE_URL,
      ownerUrl: env.DATABASE_OWNER_URL,
      credentialsFile: env.DATABASE_CREDENTIALS_FILE,
      credentialsSecretId: env.DATABASE_CREDENTIALS_SECRET_ID,
      credentialsRefreshMs: env.DATABASE_CREDENTIALS_REFRESH_SECONDS * 1000,
      poolMax: env.DATABASE_POOL_MAX,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      migrateOnStart: env.MIGRATE_ON_START,
      embedded: {
        dir: env.EMBEDDED_PG_DIR,
        port: env.EMBEDDED_PG_PORT,
        // The embedded server archives its WAL into the backup repository (point-in-time recovery).
        archive: { walDir: path.join(env.BACKUP_DIR, 'wal'), timeoutSeconds: env.BACKUP_ARCHIVE_TIMEOUT_SECONDS },
      },
    },
    backup: { dir: env.BACKUP_DIR, retentionDays: env.BACKUP_RETENTION_DAYS },
    auditCheckpoints: {
      signingKey: env.AUDIT_CHECKPOINT_SIGNING_KEY ?? (production ? undefined : DEVELOPMENT_AUDIT_CHECKPOINT_KEY),
      publicKey:
        env.AUDIT_CHECKPOINT_PUBLIC_KEY ?? env.AUDIT_CHECKPOINT_SIGNING_KEY ?? (production ? undefined : DEVELOPMENT_AUDIT_CHECKPOINT_KEY),
      dir: env.AUDIT_CHECKPOINT_DIR ?? (production ? undefined : '.data/audit-checkpoints'),
      bucket: env.AUDIT_CHECKPOINT_BUCKET,
      prefix: env.AUDIT_CHECKPOINT_PREFIX,
      retentionDays: env.AUDIT_CHECKPOINT_RETENTION_DAYS,
    },
    auth: {
      jwtSecret: env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
      /** base64 of 32 bytes */
      dataEncryptionKey: env.DATA_ENCRYPTION_KEY ?? DEVELOPMENT_DATA_ENCRYPTION_KEY,
      sessionIdleSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
      sessionMaxLifetimeSeconds: env.SESSION_MAX_LIFETIME_SECONDS,
      staffSessionIdleSeconds: env.STAFF_SESSION_IDLE_TIMEOUT_SECONDS,
      staffSessionMaxLifetimeSeconds: env.STAFF_SESSION_MAX_LIFETIME_SECONDS,
    },
    sumsub: {
      // The defaults follow the simulator switch: the local simulator when it is on, Sumsub when not.
      baseUrl:
        env.SUMSUB_BASE_URL ??
        (simulators.sumsubSimulator ? `${env.PUBLIC_URL ?? `http://localhost:${env.PORT}`}/sumsub-sim` : 'https://api.sumsub.com'),
      appToken: env.SUMSUB_APP_TOKEN ?? 'drop-local-app-token',
      secretKey: env.SUMSUB_SECRET_KEY ?? DEVELOPMENT_SUMSUB_SECRET_KEY,
      webhookSecret: env.SUMSUB_WEBHOOK_SECRET ?? DEVELOPMENT_SUMSUB_WEBHOOK_SECRET,
      levelName: env.SUMSUB_LEVEL_NAME,
      webSdkScriptUrl:
        env.SUMSUB_WEBSDK_SCRIPT_URL ??
        (simulators.sumsubSimulator
          ? `${env.PUBLIC_URL ?? `http://localhost:${env.PORT}`}/sumsub-sim/websdk/sns-websdk-builder.js`
          : 'https://static.sumsub.com/idensic/static/sns-websdk-builder.js'),
    },
    kyc: { tierLimits: env.KYC_TIER_LIMITS },
    money: {
      // Unset while the simulator is on: the server then fetches from its own /norges-bank-sim.
      norgesBankApiUrl: env.NORGES_BANK_API_URL ?? (simulators.norgesBankSimulator ? undefined : 'https://data.norges-bank.no'),
      ratesRefreshMinutes: env.RATES_REFRESH_MINUTES,
      ratesMaxAgeDays: env.RATES_MAX_AGE_DAYS,
      corridors: env.CORRIDORS,
      quoteTtlSeconds: env.QUOTE_TTL_SECONDS,
      ledgerShards: env.LEDGER_SHARDS,
    },
    payouts: {
      simulator: { outcome: env.PAYOUT_SIMULATOR_OUTCOME, delayMs: env.PAYOUT_SIMULATOR_DELAY_MS },
      wise: {
        apiUrl: env.WISE_API_URL,
        apiToken: env.WISE_API_TOKEN ?? (simulators.payoutSimulator ? 'simulator-token' : undefined),
        profileId: env.WISE_PROFILE_ID,
        webhookPublicKey: env.WISE_WEBHOOK_PUBLIC_KEY,
      },
      sepa: {
        rail: env.SEPA_PAYOUTS,
        debtor: {
          name: env.SEPA_DEBTOR_NAME,
          iban: env.SEPA_DEBTOR_IBAN ?? DEVELOPMENT_SEPA_DEBTOR_IBAN,
          bic: env.SEPA_DEBTOR_BIC ?? DEVELOPMENT_SEPA_DEBTOR_BIC,
        },
        // Whose statements settle SEPA payouts: the EUR account when the rail is on or the account
        // is set (so payouts already in files still settle after switching back to 'partner').
        statementIban: env.SEPA_DEBTOR_IBAN ?? (env.SEPA_PAYOUTS === 'bank' ? DEVELOPMENT_SEPA_DEBTOR_IBAN : undefined),
      },
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    support: { email: env.SUPPORT_EMAIL },
    company: { name: env.COMPANY_NAME, orgNumber: env.COMPANY_ORG_NUMBER, address: env.COMPANY_ADDRESS, licence: env.COMPANY_LICENCE },
    reportingEntity: {
      name: env.COMPANY_NAME,
      orgNumber: env.COMPANY_ORG_NUMBER.replace(/ /g, ''),
      fiuEntityId: env.FIU_REPORTING_ENTITY_ID,
      address: {
        street: env.REPORTING_ENTITY_STREET,
        postalCode: env.REPORTING_ENTITY_POSTAL_CODE,
        city: env.REPORTING_ENTITY_CITY,
        country: 'NO',
      },
    },
    payIn: {
      account: env.PAYIN_ACCOUNT.replace(/\./g, ''),
      kid: { method: env.KID_METHOD, length: env.KID_LENGTH },
      lateToleranceDays: env.PAYIN_LATE_TOLERANCE_DAYS,
    },
    bankid: {
      // The local test provider is mounted at /test-bankid on this server.
      issuer: env.BANKID_ISSUER ?? `${env.PUBLIC_URL ?? `http://localhost:${env.PORT}`}/test-bankid`,
      clientId: env.BANKID_CLIENT_ID ?? 'drop-local',
      clientSecret: env.BANKID_CLIENT_SECRET ?? DEVELOPMENT_BANKID_CLIENT_SECRET,
      scopes: env.BANKID_SCOPES,
      minLoa: env.BANKID_MIN_LOA,
    },
    worker: { mode: env.WORKER_MODE, concurrency: env.WORKER_CONCURRENCY },
    screening: {
      importShippedLists: env.SANCTIONS_SHIPPED_LISTS ?? env.NODE_ENV !== 'test',
      openSanctionsLicensed: env.OPENSANCTIONS_LICENSED ?? !production,
    },
    health: {
      checkTimeoutMs: env.HEALTH_CHECK_TIMEOUT_MS,
      monitorIntervalMs: env.HEALTH_MONITOR_INTERVAL_MS,
      dbLatencyAlertMs: env.HEALTH_DB_LATENCY_ALERT_MS,
      dbLatencyAlertProbes: env.HEALTH_DB_LATENCY_ALERT_PROBES,
    },
    checks: {
      storageLimitBytes: env.DATABASE_STORAGE_LIMIT_GB === undefined ? undefined : Math.round(env.DATABASE_STORAGE_LIMIT_GB * 1024 ** 3),
      minFreeStorageBytes: Math.round(env.DATABASE_MIN_FREE_STORAGE_GB * 1024 ** 3),
    },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    metrics: { token: env.METRICS_TOKEN },
    sla: { flushIntervalMs: env.SLA_FLUSH_INTERVAL_MS },
    alerts: {
      slackWebhookUrl: env.SLACK_WEBHOOK_URL,
      errorWindowSeconds: env.ALERT_ERROR_WINDOW_SECONDS,
      errorRateThreshold: env.ALERT_ERROR_RATE_THRESHOLD,
      errorMinCount: env.ALERT_ERROR_MIN_COUNT,
    },
    aws: {
      region: env.AWS_REGION,
      failoverRegion: env.AWS_FAILOVER_REGION,
      endpointUrl: env.AWS_ENDPOINT_URL,
      rds: {
        instance: env.AWS_RDS_INSTANCE,
        instanceClass: env.AWS_RDS_INSTANCE_CLASS,
        dbName: env.AWS_RDS_DB_NAME,
        username: env.AWS_RDS_USERNAME,
      },
      appRunnerServiceArn: env.AWS_APPRUNNER_SERVICE_ARN,
      ecrRepository: env.AWS_ECR_REPOSITORY,
      wait: { intervalMs: Math.round(env.AWS_WAIT_INTERVAL_SECONDS * 1000), timeoutMs: Math.round(env.AWS_WAIT_TIMEOUT_MINUTES * 60_000) },
    },
    simulators,
  };
}

/** The checks that only production makes: every one names the setting at fault. */
function productionProblems(env: z.infer<typeof environmentSchema>, config: ReturnType<typeof toConfig>): string[] {
  const problems: string[] = [];
  if (!env.DATABASE_URL) problems.push('DATABASE_URL is required in production (the embedded database is for development)');
  if (!env.JWT_SECRET) problems.push('JWT_SECRET is required in production');
  else if (env.JWT_SECRET === DEVELOPMENT_JWT_SECRET) problems.push('JWT_SECRET is the development default');
  if (!env.AUDIT_CHECKPOINT_SIGNING_KEY) problems.push('AUDIT_CHECKPOINT_SIGNING_KEY is required in production');
  else if (env.AUDIT_CHECKPOINT_SIGNING_KEY === DEVELOPMENT_AUDIT_CHECKPOINT_KEY)
    problems.push('AUDIT_CHECKPOINT_SIGNING_KEY is the development default');
  if (!env.AUDIT_CHECKPOINT_BUCKET && !env.AUDIT_CHECKPOINT_DIR)
    problems.push(
      'AUDIT_CHECKPOINT_BUCKET is required in production (an S3 bucket with Object Lock; AUDIT_CHECKPOINT_DIR only for a local check)',
    );
  if (!env.DATA_ENCRYPTION_KEY) problems.push('DATA_ENCRYPTION_KEY is required in production');
  else if (env.DATA_ENCRYPTION_KEY === DEVELOPMENT_DATA_ENCRYPTION_KEY) problems.push('DATA_ENCRYPTION_KEY is the development default');
  if (!env.BANKID_ISSUER) problems.push('BANKID_ISSUER is required in production');
  if (!env.BANKID_CLIENT_ID) problems.push('BANKID_CLIENT_ID is required in production');
  if (!env.BANKID_CLIENT_SECRET) problems.push('BANKID_CLIENT_SECRET is required in production');
  else if (env.BANKID_CLIENT_SECRET === DEVELOPMENT_BANKID_CLIENT_SECRET) problems.push('BANKID_CLIENT_SECRET is the development default');
  if (!env.SUMSUB_APP_TOKEN) problems.push('SUMSUB_APP_TOKEN is required in production');
  if (!env.SUMSUB_SECRET_KEY) problems.push('SUMSUB_SECRET_KEY is required in production');
  else if (env.SUMSUB_SECRET_KEY === DEVELOPMENT_SUMSUB_SECRET_KEY) problems.push('SUMSUB_SECRET_KEY is the development default');
  if (!env.SUMSUB_WEBHOOK_SECRET) problems.push('SUMSUB_WEBHOOK_SECRET is required in production');
  else if (env.SUMSUB_WEBHOOK_SECRET === DEVELOPMENT_SUMSUB_WEBHOOK_SECRET)
    problems.push('SUMSUB_WEBHOOK_SECRET is the development default');
  if (!env.WISE_API_URL) problems.push('WISE_API_URL is required in production');
  if (!env.WISE_API_TOKEN) problems.push('WISE_API_TOKEN is required in production');
  if (!env.WISE_WEBHOOK_PUBLIC_KEY) problems.push('WISE_WEBHOOK_PUBLIC_KEY is required in production');
  if (env.SEPA_PAYOUTS === 'bank') {
    if (!env.SEPA_DEBTOR_IBAN) problems.push('SEPA_DEBTOR_IBAN is required in production with SEPA_PAYOUTS=bank');
    if (!env.SEPA_DEBTOR_BIC) problems.push('SEPA_DEBTOR_BIC is required in production with SEPA_PAYOUTS=bank');
  }
  if (!env.SMTP_URL) problems.push('SMTP_URL is required in production (customers are told about their money by email)');
  if (env.COMPANY_ORG_NUMBER.replace(/ /g, '') === '000000000') {
    problems.push('COMPANY_ORG_NUMBER is required in production (it is printed on receipts)');
  }
  if (env.COMPANY_ADDRESS === DEVELOPMENT_COMPANY_ADDRESS) {
    problems.push("COMPANY_ADDRESS is required in production (Drop's registered address, printed on receipts)");
  }
  if (env.COMPANY_LICENCE === DEVELOPMENT_COMPANY_LICENCE) {
    problems.push("COMPANY_LICENCE is required in production (Drop's licence as receipts state it)");
  }
  if (env.FIU_REPORTING_ENTITY_ID === DEVELOPMENT_FIU_REPORTING_ENTITY_ID) {
    problems.push(
      `FIU_REPORTING_ENTITY_ID is required in production (the goAML reporting-entity id ØKOKRIM gave Drop; ${DEVELOPMENT_FIU_REPORTING_ENTITY_ID} is the development placeholder)`,
    );
  }
  if (!env.PUBLIC_URL) problems.push('PUBLIC_URL is required in production');
  else if (!env.PUBLIC_URL.startsWith('https://')) problems.push('PUBLIC_URL must be https in production');
  for (const [name, enabled] of Object.entries({
    BANKID_TEST_PROVIDER_ENABLED: config.simulators.bankidTestProvider,
    SUMSUB_SIMULATOR_ENABLED: config.simulators.sumsubSimulator,
    PAYOUT_SIMULATOR_ENABLED: config.simulators.payoutSimulator,
    NORGES_BANK_SIMULATOR_ENABLED: config.simulators.norgesBankSimulator,
    AWS_SIMULATOR_ENABLED: config.simulators.awsSimulator,
  })) {
    if (enabled) problems.push(`${name} must be false in production (simulators never run in production)`);
  }
  return problems;
}

/**
 * Reads and validates the configuration. Throws ConfigError naming every bad or missing setting.
 * Call once at start and pass the result down.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): DropConfig {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const config = toConfig(parsed.data);
  // Statements of the EUR account settle SEPA payouts; it must not be the account customers pay to.
  if (config.payouts.sepa.debtor.iban.slice(4) === config.payIn.account) {
    throw new ConfigError(["SEPA_DEBTOR_IBAN is the PAYIN_ACCOUNT: SEPA payouts need Drop's EUR account, not the NOK client account"]);
  }
  if (config.database.credentialsFile && config.database.credentialsSecretId) {
    throw new ConfigError(['DATABASE_CREDENTIALS_FILE and DATABASE_CREDENTIALS_SECRET_ID are both set: the login has one source']);
  }
  if (config.isProduction) {
    const problems = productionProblems(parsed.data, config);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  return deepFreeze(config);
}

/** Frozen all the way down: a setting cannot be changed after it was validated. */
function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) deepFreeze(child);
  }
  return Object.freeze(value);
}
