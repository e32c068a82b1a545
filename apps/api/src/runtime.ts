/**
 * Starting and stopping a whole Drop server: database (external or embedded), migrations, job
 * worker, health monitor, HTTP. `main.ts` calls this for `npm start`; tests call it to get a real
 * server on a free port.
 */
import type { DropConfig } from '@drop/config';
import { type AmlScreening, checkHealth, type DatabaseKeyRing, ErrorRateMonitor, HealthMonitor, SlaRecorder } from '@drop/core';
import { createPool, type Db } from '@drop/db';
import type { MailCapture } from '@drop/integrations';
import type { Logger, OpsNotifier } from '@drop/observability';
import { buildServices, workerServices } from '@drop/services';
import { migrateDatabase, startWorker, type WorkerHandle } from '@drop/worker';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { observeHealth } from './routes/health.ts';

export interface RunningDrop {
  app: FastifyInstance;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  logger: Logger;
  healthMonitor: HealthMonitor;
  /** The SLA's probes and request counts in memory (tests flush it). */
  sla: SlaRecorder;
  keyRing: DatabaseKeyRing;
  /** Outside production without SMTP_URL: the local SMTP server customer mail goes to. */
  mailCapture: MailCapture | undefined;
  /** Sanctions and PEP screening over this process's index (tests wait for a new list version through it). */
  aml: AmlScreening;
  stop(reason?: string): Promise<void>;
}

export async function startDrop(config: DropConfig, options: { logger?: Logger; notifier?: OpsNotifier } = {}): Promise<RunningDrop> {
  const startedAt = Date.now();
  // Outside production this server serves the simulators the Wise and Norges Bank clients talk to;
  // their address and the Wise simulator's webhook key exist only once it listens. Jobs and
  // webhooks reach the payout partner only after that.
  let ownUrl: string | undefined;
  let served: FastifyInstance | undefined;
  const services = await buildServices(config, {
    applicationName: 'drop-api',
    ...options,
    captureMail: true,
    simulatorsUrl: () => {
      if (!ownUrl) throw new Error('the payout partner is not ready yet (the server is not listening)');
      return ownUrl;
    },
    wiseSimulatorPublicKey: () => {
      if (!served) throw new Error('the payout partner is not ready yet (the server is not built)');
      return served.wiseSimulator.publicKeyPem;
    },
  });
  const { logger, metrics, notifier, database, mailCapture } = services;

  let worker: WorkerHandle | undefined;
  let workerDb: Db | undefined;
  try {
    if (config.database.migrateOnStart) {
      const applied = await database.withOwner((owner) => migrateDatabase(owner, logger));
      if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
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
      worker = await startWorker({ ...workerServices(services), db: workerDb, concurrency: config.worker.concurrency });
    }
  } catch (error) {
    await worker?.stop().catch(() => undefined);
    await workerDb?.end().catch(() => undefined);
    await services.close();
    throw error;
  }

  const errorRate = new ErrorRateMonitor({
    notifier,
    windowSeconds: config.alerts.errorWindowSeconds,
    threshold: config.alerts.errorRateThreshold,
    minCount: config.alerts.errorMinCount,
  });
  // The SLA's probes and request counts, buffered and written every few seconds (kept while the database is down).
  const sla = new SlaRecorder({
    db: database.db,
    flushIntervalMs: config.sla.flushIntervalMs,
    onError: (error) => logger.warn({ err: error, pending: sla.pending() }, 'SLA statistics not written yet; kept for the next flush'),
  });
  const healthMonitor = new HealthMonitor({
    probe: () => checkHealth(database.db, { version: config.version, startedAt, timeoutMs: config.health.checkTimeoutMs }),
    notifier,
    intervalMs: config.health.monitorIntervalMs,
    latencyThresholdMs: config.health.dbLatencyAlertMs,
    latencyProbes: config.health.dbLatencyAlertProbes,
    onReport: (report) => {
      observeHealth(metrics, report);
      sla.recordProbe(report, config.health.monitorIntervalMs);
    },
    onError: (error) => logger.error({ err: error }, 'health monitor probe or alert failed'),
  });

  const keyRing = await services.loadKeyRing();
  const { rates } = services;
  const app = await buildApp({ ...services, errorRate, sla, keyRing, startedAt });
  served = app;
  const address = await app.listen({ host: config.http.host, port: config.http.port });
  const url = address.replace('[::1]', 'localhost');
  ownUrl = url;
  app.listeningUrl = url;
  // Built now, so a wrong Wise setting fails the start rather than the first payout.
  services.payoutPartner.get();
  // The screening index is built from the lists in the background now, so the first KYC approval,
  // recipient or transfer does not wait for it (a build takes seconds).
  void services.screening.get().catch((error) => logger.error({ err: error }, 'the screening index could not be built'));
  await rates.refresh().then(
    (set) => logger.info({ source: set.source, date: set.date, currencies: set.rates.size }, 'reference rates loaded'),
    (error) => logger.error({ err: error }, 'reference rates could not be loaded: quotes are refused until they are'),
  );
  const stopRateRefresh = rates.startAutoRefresh(config.money.ratesRefreshMinutes * 60_000, (error) =>
    logger.warn({ err: error }, 'reference rate refresh failed; the previous rates stay in use while fresh enough'),
  );
  healthMonitor.start();
  sla.start();
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
    sla,
    keyRing,
    mailCapture,
    aml: services.aml,
    stop(reason = 'shutdown') {
      stopping ??= (async () => {
        logger.info({ reason }, 'Drop is stopping: draining requests and jobs');
        await notifier.send({ kind: 'app_stopping', severity: 'info', title: `Drop ${config.version} stopping`, fields: { reason } });
        // Stop taking requests and wait for those in flight (and for a running probe), then let
        // running jobs finish.
        await Promise.all([app.close(), healthMonitor.stop()]);
        await sla.stop();
        stopRateRefresh();
        keyRing.stop();
        await worker?.stop();
        await workerDb?.end();
        await services.close();
        logger.info('Drop stopped');
      })();
      return stopping;
    },
  };
}
