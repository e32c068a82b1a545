/**
 * Drop's composition root: every service the server, the job worker and the `drop` CLI use is
 * built here, from the validated configuration, once per process. The processes differ only in
 * the options they pass (their connection name, their logger, whether they serve the simulators
 * themselves, whether they capture mail).
 */
import type { DropConfig } from '@drop/config';
import {
  AmlScreening,
  type AuditCheckpointing,
  createNationalIdProtector,
  DatabaseKeyRing,
  type KycProvider,
  type Mailer,
  type NationalIdProtector,
  type OpsChecksSettings,
  type PayoutPartner,
  type PayoutPartnerStatusSource,
  RateBook,
  type RateSource,
  ScreeningIndexHolder,
  SequenceKidAllocator,
} from '@drop/core';
import { type Db, type OpenDatabase, openDatabase } from '@drop/db';
import {
  type MailCapture,
  NorgesBankRateSource,
  SmtpMailer,
  startMailCapture,
  sumsubKycProviderFrom,
  WisePayoutPartner,
} from '@drop/integrations';
import { createLogger, createMetrics, createOpsNotifier, type Logger, type Metrics, type OpsNotifier } from '@drop/observability';
import { ScreeningIndex } from '@drop/screening';
import { auditCheckpointing } from './audit-checkpointing.ts';

export interface BuildServicesOptions {
  /** Names this process's database connections (`drop-api`, `drop-cli`, …). */
  applicationName: string;
  /** Default: pino at LOG_LEVEL on stdout. */
  logger?: Logger;
  /** Default: Slack at SLACK_WEBHOOK_URL (or the log). */
  notifier?: OpsNotifier;
  /**
   * Where the local simulators (Wise, Norges Bank) are served, for a process that serves them
   * itself: the server, whose address is known only once it listens (until then this throws, so a
   * job that needs a simulator fails and is retried). Default: the server at PUBLIC_URL.
   */
  simulatorsUrl?: () => string;
  /** The Wise simulator's webhook key, for a process that serves that simulator and takes its webhooks. */
  wiseSimulatorPublicKey?: () => string;
  /** Outside production without SMTP_URL, send customer mail to a local capture server (the server does; the others send none). */
  captureMail?: boolean;
}

export interface Services {
  config: DropConfig;
  logger: Logger;
  metrics: Metrics;
  notifier: OpsNotifier;
  database: OpenDatabase;
  db: Db;
  /** Identity verification: Sumsub, or its simulator. */
  kycProvider: KycProvider;
  /** Who pays recipients: Wise, or its simulator; built at first use (`get()` builds it now). */
  payoutPartner: LazyPayoutPartner;
  /** Customer email; undefined when neither SMTP_URL nor a capture is set. */
  mailer: Mailer | undefined;
  /** The local SMTP server customer mail goes to, when `captureMail` started one. */
  mailCapture: MailCapture | undefined;
  /** Reference rates for the corridors' currencies (Norges Bank or its simulator); the caller refreshes it. */
  rates: RateBook;
  /** KIDs for new transfers, from the database sequence in blocks. */
  kids: SequenceKidAllocator;
  nationalIds: NationalIdProtector;
  /**
   * The in-memory sanctions/PEP screening index over the current version of every list, built at
   * the first `get()` and rebuilt when a new version lands (in any process).
   */
  screening: ScreeningIndexHolder<ScreeningIndex>;
  /** Screening in Drop's flows (KYC approval, recipients, transfers, continuous), over `screening`. */
  aml: AmlScreening;
  /** Session signing keys (needs the migrated schema): JWT_SECRET until a rotation, then the keys in `signing_keys`. */
  loadKeyRing(): Promise<DatabaseKeyRing>;
  /** The audit chain's signed checkpoints outside the database: keys and stores (AUDIT_CHECKPOINT_*). */
  auditCheckpoints: AuditCheckpointing;
  /** Closes what was opened here: the mail capture, the pool (and the embedded database). */
  close(): Promise<void>;
}

/** Opens the database and builds every service from `config`. */
export async function buildServices(config: DropConfig, options: BuildServicesOptions): Promise<Services> {
  const logger = options.logger ?? createLogger({ level: config.log.level, format: config.log.format });
  const metrics = createMetrics();
  const notifier =
    options.notifier ??
    createOpsNotifier({
      slackWebhookUrl: config.alerts.slackWebhookUrl,
      environment: config.env,
      logger,
      onOutcome: (alert, outcome) => metrics.opsAlertsSent.inc({ kind: alert.kind, outcome }),
    });
  const simulatorsUrl = options.simulatorsUrl ?? (() => config.http.publicUrl);
  const auditCheckpoints = auditCheckpointing(config.auditCheckpoints, config.aws);

  // The login from AWS Secrets Manager (DATABASE_CREDENTIALS_SECRET_ID), kept fresh in the
  // background; the SDK is loaded only then.
  let secretCredentials: { current(): { user: string; password: string }; stop(): void } | undefined;
  if (config.database.credentialsSecretId && config.database.url) {
    const { SecretCredentialsCache } = await import('@drop/integrations/secrets-manager');
    secretCredentials = await SecretCredentialsCache.start({
      secretId: config.database.credentialsSecretId,
      region: config.aws.region,
      endpointUrl: config.aws.endpointUrl,
      refreshMs: config.database.credentialsRefreshMs,
      onError: (error) =>
        logger.warn({ err: error }, 'could not refresh the database login from Secrets Manager; the last one stays in use'),
    });
  }
  const cachedLogin = secretCredentials;

  const database = await openDatabase({
    database: config.database,
    ...(cachedLogin ? { credentials: () => cachedLogin.current() } : {}),
    applicationName: options.applicationName,
    log: {
      info: (message) => logger.info(message),
      debug: (message) => logger.debug(message),
      warn: (object, message) => logger.warn(object, message),
    },
  }).catch((error: unknown) => {
    secretCredentials?.stop();
    throw error;
  });

  // Customer mail: SMTP, or (outside production, where SMTP_URL is required) a local capture.
  let mailCapture: MailCapture | undefined;
  let mailer: Mailer | undefined;
  try {
    if (config.mail.smtpUrl) {
      mailer = new SmtpMailer({ url: config.mail.smtpUrl, from: config.mail.from });
    } else if (options.captureMail && !config.isProduction) {
      mailCapture = await startMailCapture({ port: 0 });
      mailer = new SmtpMailer({ url: mailCapture.url, from: config.mail.from });
    }
  } catch (error) {
    await database.close();
    throw error;
  }

  const wise = config.payouts.wise;
  const payoutPartner = new LazyPayoutPartner(
    () =>
      new WisePayoutPartner({
        baseUrl: wise.apiUrl ?? `${simulatorsUrl()}/wise-sim`,
        apiToken: wise.apiToken ?? '',
        profileId: wise.profileId,
        webhookPublicKey:
          options.wiseSimulatorPublicKey && config.simulators.payoutSimulator && !wise.apiUrl
            ? options.wiseSimulatorPublicKey()
            : wise.webhookPublicKey,
      }),
  );

  // Reference rates: Norges Bank, or (outside production) its simulator.
  const norgesBankUrl = config.money.norgesBankApiUrl;
  const rateSource: RateSource = norgesBankUrl
    ? new NorgesBankRateSource({ baseUrl: norgesBankUrl })
    : {
        name: 'norges-bank',
        fetchLatest: (currencies) => new NorgesBankRateSource({ baseUrl: `${simulatorsUrl()}/norges-bank-sim` }).fetchLatest(currencies),
      };
  const rates = new RateBook({
    source: rateSource,
    currencies: [...new Set(config.money.corridors.map((c) => c.currency))],
    maxAgeDays: config.money.ratesMaxAgeDays,
  });

  const screening = new ScreeningIndexHolder(database.db, {
    // In slices, so the server answers requests and signals while the index builds.
    build: (snapshots) => ScreeningIndex.buildAsync(snapshots),
    onRebuild: (event) => {
      if ('error' in event) logger.error({ err: event.error }, 'the screening index could not be rebuilt; the previous one stays in use');
      else logger.info({ versions: event.versions, records: event.records, ms: Math.round(event.ms) }, 'screening index built');
    },
  });

  return {
    config,
    logger,
    metrics,
    notifier,
    database,
    db: database.db,
    kycProvider: sumsubKycProviderFrom(config.sumsub),
    payoutPartner,
    mailer,
    mailCapture,
    rates,
    kids: new SequenceKidAllocator(config.payIn.kid),
    nationalIds: createNationalIdProtector(config.auth.dataEncryptionKey),
    screening,
    aml: new AmlScreening(screening),
    loadKeyRing: () =>
      // Reloaded now and then, and at once when a token names a key this process has not seen.
      DatabaseKeyRing.load(database.db, {
        envSecret: config.auth.jwtSecret,
        dataEncryptionKey: config.auth.dataEncryptionKey,
        refreshIntervalMs: 5000,
      }),
    auditCheckpoints,
    async close() {
      auditCheckpoints.close();
      await screening.close().catch(() => undefined);
      await mailCapture?.close().catch(() => undefined);
      await database.close();
      secretCredentials?.stop();
    },
  };
}

/**
 * The payout partner, built at its first use: a process that serves the Wise simulator itself
 * knows its address only once it listens, and a CLI command that never pays needs no Wise token.
 * A failed build is not kept, so a later use tries again.
 */
export class LazyPayoutPartner implements PayoutPartner, PayoutPartnerStatusSource {
  readonly name = 'wise';
  #build: () => WisePayoutPartner;
  #partner: WisePayoutPartner | undefined;
  constructor(build: () => WisePayoutPartner) {
    this.#build = build;
  }
  /** The partner, built now if it was not yet (throws when it cannot be: a missing token, no address yet). */
  get(): WisePayoutPartner {
    this.#partner ??= this.#build();
    return this.#partner;
  }
  send(order: Parameters<PayoutPartner['send']>[0]) {
    return this.get().send(order);
  }
  parseWebhook(raw: Buffer, headers: Parameters<PayoutPartner['parseWebhook']>[1]) {
    return this.get().parseWebhook(raw, headers);
  }
  fetchState(partnerReference: string) {
    return this.get().fetchState(partnerReference);
  }
}

/** The routine checks' settings (`drop checks`, the worker's morning checks). */
export function opsChecksSettings(config: DropConfig, embedded: boolean): OpsChecksSettings {
  return {
    version: config.version,
    healthTimeoutMs: config.health.checkTimeoutMs,
    latencyAlertMs: config.health.dbLatencyAlertMs,
    storage: {
      limitBytes: config.checks.storageLimitBytes,
      minFreeBytes: config.checks.minFreeStorageBytes,
      // The embedded server's disk is measured; another server's is not visible from here.
      embeddedDir: embedded ? config.database.embedded.dir : undefined,
    },
    backupDir: config.backup.dir,
  };
}

/** What the job worker's tasks use, from the services (startWorker takes these plus its pool and concurrency). */
export function workerServices(services: Services) {
  return {
    logger: services.logger,
    notifier: services.notifier,
    metrics: services.metrics,
    kycProvider: services.kycProvider,
    payoutPartner: services.payoutPartner,
    sepaPayouts: services.config.payouts.sepa.rail,
    ...(services.mailer ? { mailer: services.mailer } : {}),
    appUrl: services.config.http.publicUrl,
    importShippedLists: services.config.screening.importShippedLists,
    skipShippedLists: services.config.screening.openSanctionsLicensed ? [] : ['os'],
    aml: services.aml,
    opsChecks: opsChecksSettings(services.config, services.database.embedded),
    auditCheckpoints: services.auditCheckpoints,
  };
}
