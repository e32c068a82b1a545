/**
 * Starting and stopping a whole Drop server: database (external or embedded), migrations, job
 * worker, health monitor, HTTP. `main.ts` calls this for `npm start`; tests call it to get a real
 * server on a free port.
 */
import type { DropConfig } from '@drop/config';
import {
  checkHealth,
  DatabaseKeyRing,
  ErrorRateMonitor,
  HealthMonitor,
  type Mailer,
  type PayoutPartner,
  RateBook,
  type RateSource,
} from '@drop/core';
import { createPool, type Db, migrate, openDatabase } from '@drop/db';
import {
  type MailCapture,
  NorgesBankRateSource,
  SmtpMailer,
  startMailCapture,
  sumsubKycProviderFrom,
  WisePayoutPartner,
} from '@drop/integrations';
import { createLogger, createMetrics, createOpsNotifier, type Logger, type OpsNotifier } from '@drop/observability';
import { migrateJobQueue, startWorker, type WorkerHandle } from '@drop/worker';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { observeHealth } from './routes/health.ts';

export interface RunningDrop {
  app: FastifyInstance;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  logger: Logger;
  healthMonitor: HealthMonitor;
  keyRing: DatabaseKeyRing;
  /** Outside production without SMTP_URL: the local SMTP server customer mail goes to. */
  mailCapture: MailCapture | undefined;
  stop(reason?: string): Promise<void>;
}

/**
 * The payout partner, resolved once the server listens: outside production the Wise client talks
 * to the simulator on this very server, whose address and webhook key exist only then. Jobs and
 * webhooks reach it only after that.
 */
class DeferredPayoutPartner implements PayoutPartner {
  readonly name = 'wise';
  #partner: PayoutPartner | undefined;
  resolve(partner: PayoutPartner) {
    this.#partner = partner;
  }
  #ready(): PayoutPartner {
    if (!this.#partner) throw new Error('the payout partner is not ready yet');
    return this.#partner;
  }
  send(order: Parameters<PayoutPartner['send']>[0]) {
    return this.#ready().send(order);
  }
  parseWebhook(raw: Buffer, headers: Parameters<PayoutPartner['parseWebhook']>[1]) {
    return this.#ready().parseWebhook(raw, headers);
  }
}

export async function startDrop(config: DropConfig, options: { logger?: Logger; notifier?: OpsNotifier } = {}): Promise<RunningDrop> {
  const startedAt = Date.now();
  const logger = options.logger ?? createLogger({ level: config.log.level });
  const metrics = createMetrics();
  const notifier =
    options.notifier ??
    createOpsNotifier({
      slackWebhookUrl: config.alerts.slackWebhookUrl,
      environment: config.env,
      logger,
      onOutcome: (alert, outcome) => metrics.opsAlertsSent.inc({ kind: alert.kind, outcome }),
    });

  const database = await openDatabase({
    database: config.database,
    applicationName: 'drop-api',
    log: {
      info: (message) => logger.info(message),
      debug: (message) => logger.debug(message),
      warn: (object, message) => logger.warn(object, message),
    },
  });

  // Customer mail: SMTP, or (outside production, where SMTP_URL is required) a local capture.
  let mailCapture: MailCapture | undefined;
  let mailer: Mailer | undefined;
  if (config.mail.smtpUrl) {
    mailer = new SmtpMailer({ url: config.mail.smtpUrl, from: config.mail.from });
  } else if (!config.isProduction) {
    mailCapture = await startMailCapture({ port: 0 });
    mailer = new SmtpMailer({ url: mailCapture.url, from: config.mail.from });
  }
  const payoutPartner = new DeferredPayoutPartner();

  let worker: WorkerHandle | undefined;
  let workerDb: Db | undefined;
  try {
    if (config.database.migrateOnStart) {
      const client = await database.db.connect();
      try {
        const applied = await migrate(client, (message) => logger.debug(message));
        if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
      } finally {
        client.release();
      }
      await migrateJobQueue(database.db, logger);
    }
    if (config.worker.mode === 'inline') {
      // Jobs get their own small pool: graphile-worker holds a LISTEN connection and its jobs
      // can be slow, and neither should take connections that HTTP requests are waiting for.
      workerDb = createPool({
        url: database.url,
        max: config.worker.concurrency + 2,
        connectTimeoutMs: config.database.connectTimeoutMs,
        statementTimeoutMs: config.database.statementTimeoutMs,
        applicationName: 'drop-worker',
        onIdleError: (error) => logger.warn({ err: error }, 'idle worker database connection lost'),
      });
      worker = await startWorker({
        db: workerDb,
        logger,
        notifier,
        concurrency: config.worker.concurrency,
        metrics,
        kycProvider: sumsubKycProviderFrom(config.sumsub),
        payoutPartner,
        sepaPayouts: config.payouts.sepa.rail,
        ...(mailer ? { mailer } : {}),
        appUrl: config.http.publicUrl,
      });
    }
  } catch (error) {
    await worker?.stop().catch(() => undefined);
    await workerDb?.end().catch(() => undefined);
    await mailCapture?.close().catch(() => undefined);
    await database.close();
    throw error;
  }

  const errorRate = new ErrorRateMonitor({
    notifier,
    windowSeconds: config.alerts.errorWindowSeconds,
    threshold: config.alerts.errorRateThreshold,
    minCount: config.alerts.errorMinCount,
  });
  const healthMonitor = new HealthMonitor({
    probe: () => checkHealth(database.db, { version: config.version, startedAt, timeoutMs: config.health.checkTimeoutMs }),
    notifier,
    intervalMs: config.health.monitorIntervalMs,
    onReport: (report) => observeHealth(metrics, report),
    onError: (error) => logger.error({ err: error }, 'health monitor probe or alert failed'),
  });

  // Signing keys live in the database after a rotation; reload them now and then, and at once
  // when a token names a key this instance has not seen.
  const keyRing = await DatabaseKeyRing.load(database.db, {
    envSecret: config.auth.jwtSecret,
    dataEncryptionKey: config.auth.dataEncryptionKey,
    refreshIntervalMs: 5000,
  });
  // Reference rates: Norges Bank, or (outside production) the simulator on this very server,
  // which is only reachable once it listens.
  let ownUrl = '';
  const rateSource: RateSource = config.money.norgesBankApiUrl
    ? new NorgesBankRateSource({ baseUrl: config.money.norgesBankApiUrl })
    : {
        name: 'norges-bank',
        fetchLatest: (currencies) => new NorgesBankRateSource({ baseUrl: `${ownUrl}/norges-bank-sim` }).fetchLatest(currencies),
      };
  const corridors = config.money.corridors;
  const rates = new RateBook({
    source: rateSource,
    currencies: [...new Set(corridors.map((c) => c.currency))],
    maxAgeDays: config.money.ratesMaxAgeDays,
  });
  const app = await buildApp({ config, db: database.db, logger, metrics, errorRate, notifier, keyRing, rates, startedAt, payoutPartner });
  const address = await app.listen({ host: config.http.host, port: config.http.port });
  const url = address.replace('[::1]', 'localhost');
  ownUrl = url;
  app.listeningUrl = url;
  const wise = config.payouts.wise;
  payoutPartner.resolve(
    new WisePayoutPartner({
      baseUrl: wise.apiUrl ?? `${url}/wise-sim`,
      apiToken: wise.apiToken ?? '',
      profileId: wise.profileId,
      webhookPublicKey: config.simulators.payoutSimulator && !wise.apiUrl ? app.wiseSimulator.publicKeyPem : wise.webhookPublicKey,
    }),
  );
  await rates.refresh().then(
    (set) => logger.info({ source: set.source, date: set.date, currencies: set.rates.size }, 'reference rates loaded'),
    (error) => logger.error({ err: error }, 'reference rates could not be loaded: quotes are refused until they are'),
  );
  const stopRateRefresh = rates.startAutoRefresh(config.money.ratesRefreshMinutes * 60_000, (error) =>
    logger.warn({ err: error }, 'reference rate refresh failed; the previous rates stay in use while fresh enough'),
  );
  healthMonitor.start();
  logger.info({ url, version: config.version, env: config.env, embeddedDatabase: database.embedded }, 'Drop is listening');
  await notifier.send({
    kind: 'app_started',
    severity: 'info',
    title: `Drop ${config.version} started`,
    fields: { env: config.env, url: config.http.publicUrl, worker: config.worker.mode },
  });

  let stopping: Promise<void> | undefined;
  return {
    app,
    url,
    logger,
    healthMonitor,
    keyRing,
    mailCapture,
    stop(reason = 'shutdown') {
      stopping ??= (async () => {
        logger.info({ reason }, 'Drop is stopping: draining requests and jobs');
        await notifier.send({ kind: 'app_stopping', severity: 'info', title: `Drop ${config.version} stopping`, fields: { reason } });
        // Stop taking requests and wait for those in flight (and for a running probe), then let
        // running jobs finish.
        await Promise.all([app.close(), healthMonitor.stop()]);
        stopRateRefresh();
        keyRing.stop();
        await worker?.stop();
        await workerDb?.end();
        await mailCapture?.close();
        await database.close();
        logger.info('Drop stopped');
      })();
      return stopping;
    },
  };
}
