/**
 * The HTTP application: Fastify with zod contracts. Transport only: parse, authorize, call the core,
 * serialize. Built without listening so tests can inject requests or listen on a free port.
 */
import { randomUUID } from 'node:crypto';
import {
  type BeforeTransferCommit,
  createEmailCodeHasher,
  EDD_THRESHOLD_ORE,
  type ErrorRateMonitor,
  type KeyRing,
  type PayoutPartner,
  type RateBook,
  type SlaRecorder,
} from '@drop/core';
import type { Services } from '@drop/services';
import type { SumsubSimulator, WiseSimulator } from '@drop/simulators';
import fastifyCookie from '@fastify/cookie';
import fastifyFormBody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { BankIdRelyingParty } from './auth/bankid-relying-party.ts';
import type { CustomerAuthOptions } from './auth/customer-auth.ts';
import { type BackOfficeRoute, registerStaffAccessControl } from './auth/staff-access.ts';
import { registerCsrfProtection } from './http/csrf.ts';
import { clientErrorHandler, errorHandler, frameworkErrorHandler } from './http/errors.ts';
import { registerMediaTypeGuard } from './http/media-types.ts';
import { registerOpenApi } from './http/openapi.ts';
import { lazyChildLoggerFactory } from './http/request-logger.ts';
import { registerRequestMetrics } from './http/request-metrics.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { serializerCompiler } from './http/serializer.ts';
import { registerTextGuard } from './http/text-guard.ts';
import { registerWebApps } from './http/web-apps.ts';
import { amlRoutes } from './routes/aml.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { authRoutes } from './routes/auth.ts';
import { backOfficeRoutes } from './routes/back-office.ts';
import { caseRoutes } from './routes/cases.ts';
import { companyRoutes } from './routes/company.ts';
import { customerProfileRoutes } from './routes/customer-profile.ts';
import { emailRoutes } from './routes/email.ts';
import { erasureRoutes } from './routes/erasure.ts';
import { healthRoutes } from './routes/health.ts';
import { kycRoutes } from './routes/kyc.ts';
import { meRoutes } from './routes/me.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { paymentRoutes } from './routes/payments.ts';
import { payoutWebhookRoutes } from './routes/payout-webhooks.ts';
import { privacyRoutes, privacyStaffRoutes } from './routes/privacy.ts';
import { quoteRoutes } from './routes/quotes.ts';
import { recipientRoutes } from './routes/recipients.ts';
import { sepaPayoutRoutes } from './routes/sepa-payouts.ts';
import { slaRoutes } from './routes/sla.ts';
import { staffRoutes } from './routes/staff.ts';
import { staffAdminRoutes } from './routes/staff-admin.ts';
import { strRoutes } from './routes/strs.ts';
import { sumsubWebhookRoutes } from './routes/sumsub-webhook.ts';
import { transferRoutes } from './routes/transfers.ts';

/** The services from `buildServices` (the composition root) that routes use, and the server's own monitors. */
export interface AppDependencies
  extends Pick<Services, 'config' | 'db' | 'logger' | 'metrics' | 'notifier' | 'kycProvider' | 'kids' | 'nationalIds' | 'aml'>,
    Partial<Pick<Services, 'mailer'>> {
  errorRate: ErrorRateMonitor;
  /** Counts the API's requests for the SLA report (a server has one; tests without it count nothing). */
  sla?: SlaRecorder;
  /** Session signing keys: the database key ring in a server, a fixed ring in some tests. */
  keyRing: KeyRing;
  /** Reference exchange rates, refreshed by the runtime (Norges Bank or its simulator). */
  rates: RateBook;
  /** Checks inside the transaction that creates a transfer (AML screening plugs in here). */
  beforeTransferCommit?: readonly BeforeTransferCommit[];
  /** Who pays recipients; its webhooks are served at /api/webhooks/<name>. */
  payoutPartner?: PayoutPartner;
  startedAt: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    childLoggerFactory: lazyChildLoggerFactory,
    // Accept a caller's request id (from a load balancer) only when it is well-formed.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 256 * 1024,
    // Only the configured number of proxy hops may tell us the client's address: with 0, a forged
    // X-Forwarded-For is ignored and rate limits key on the socket address.
    trustProxy: (_address: string, hop: number) => hop < deps.config.http.trustProxyHops,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
    // Malformed paths and HTTP are problem documents with a code too (errors.ts).
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  registerTextGuard(app);
  // Hooks on every request are callback-style where nothing is awaited: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // While shutting down, answer the requests in flight and then close their connections: a
  // keep-alive connection that was busy when close() began would otherwise hold the server open
  // until its keep-alive timeout.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });

  const { config } = deps;
  const publicUrl = config.http.publicUrl;
  // Sign-in forms are answered with a redirect to BankID, which CSP form-action must allow; the
  // verification page embeds Sumsub's WebSDK (its script, its frame, its API calls).
  const webSdkOrigin = new URL(config.sumsub.webSdkScriptUrl).origin;
  const sumsubOrigins = config.simulators.sumsubSimulator ? [] : [webSdkOrigin, 'https://api.sumsub.com', 'https://in.sumsub.com'];
  await registerSecurityHeaders(app, {
    formActionOrigins: [new URL(config.bankid.issuer).origin],
    scriptOrigins: config.simulators.sumsubSimulator ? [] : [webSdkOrigin],
    frameOrigins: sumsubOrigins,
    connectOrigins: sumsubOrigins,
  });
  registerRequestMetrics(app, deps.metrics, deps.errorRate, deps.logger, deps.sla);
  await app.register(fastifyCookie);
  // HTML forms (the BankID sign-in button) post application/x-www-form-urlencoded.
  await app.register(fastifyFormBody, { bodyLimit: 16 * 1024 });
  // Per-route limits (sign-in); 429 problem documents with Retry-After.
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'FST_RATE_LIMITED',
      message: `Too many attempts. Try again in ${context.after}.`,
    }),
  });
  registerCsrfProtection(app, { publicUrl });
  registerMediaTypeGuard(app);
  await registerOpenApi(app, { version: deps.config.version, publicUrl: deps.config.http.publicUrl });

  await app.register(healthRoutes, {
    db: deps.db,
    metrics: deps.metrics,
    version: deps.config.version,
    startedAt: deps.startedAt,
    timeoutMs: deps.config.health.checkTimeoutMs,
  });
  await app.register(metricsRoutes, { db: deps.db, metrics: deps.metrics, token: deps.config.metrics.token });

  const redirectUri = `${publicUrl}/api/auth/bankid/callback`;
  const bankid = new BankIdRelyingParty({
    issuer: config.bankid.issuer,
    clientId: config.bankid.clientId,
    clientSecret: config.bankid.clientSecret,
    scopes: config.bankid.scopes,
    redirectUri,
    allowHttp: !config.isProduction,
  });
  const ring = deps.keyRing;
  const rateLimitMultiplier = config.http.customerRateLimitMultiplier;
  const customerAuth: CustomerAuthOptions = { db: deps.db, ring, issuer: publicUrl, idleSeconds: config.auth.sessionIdleSeconds };
  await app.register(authRoutes, {
    db: deps.db,
    bankid,
    ring,
    protector: deps.nationalIds,
    publicUrl,
    minLoa: config.bankid.minLoa,
    signInRateLimitPerMinute: config.http.signInRateLimitPerMinute,
    sessionLifetimeSeconds: config.auth.sessionMaxLifetimeSeconds,
    customerAuth,
  });
  await app.register(meRoutes, { db: deps.db, customerAuth });
  await app.register(emailRoutes, {
    db: deps.db,
    customerAuth,
    mailer: deps.mailer,
    codes: createEmailCodeHasher(config.auth.dataEncryptionKey),
  });

  const kycProvider = deps.kycProvider;
  await app.register(kycRoutes, {
    db: deps.db,
    rateLimitMultiplier,
    provider: kycProvider,
    levelName: config.sumsub.levelName,
    limits: config.kyc.tierLimits,
    customerAuth,
    webSdkScriptUrl: config.sumsub.webSdkScriptUrl,
  });
  await app.register(sumsubWebhookRoutes, {
    db: deps.db,
    provider: kycProvider,
    webhookSecret: config.sumsub.webhookSecret,
    screening: deps.aml,
  });

  await app.register(companyRoutes, { company: config.company, supportEmail: config.support.email });
  await app.register(quoteRoutes, {
    db: deps.db,
    rates: deps.rates,
    corridors: config.money.corridors,
    quoteTtlSeconds: config.money.quoteTtlSeconds,
    customerAuth,
    rateLimitMultiplier,
  });
  await app.register(recipientRoutes, { db: deps.db, customerAuth, screening: deps.aml, rateLimitMultiplier });
  await app.register(transferRoutes, {
    db: deps.db,
    rateLimitMultiplier,
    limits: config.kyc.tierLimits,
    eddThresholdOre: EDD_THRESHOLD_ORE,
    ledgerShards: config.money.ledgerShards,
    kids: deps.kids,
    payInAccount: config.payIn.account,
    company: config.company,
    rates: deps.rates,
    corridors: config.money.corridors,
    quoteTtlSeconds: config.money.quoteTtlSeconds,
    customerAuth,
    screening: deps.aml.transfers,
    beforeCommit: deps.beforeTransferCommit ?? [],
  });
  // The customer's data export; nothing of AML work in it (hvitvaskingsloven § 26).
  await app.register(privacyRoutes, {
    db: deps.db,
    customerAuth,
    limits: config.kyc.tierLimits,
    company: config.company,
    rateLimitMultiplier,
  });

  const backOffice = registerStaffAccessControl(app, { db: deps.db, idleSeconds: config.auth.staffSessionIdleSeconds });
  app.decorate('backOfficeRoutes', backOffice);
  await app.register(staffRoutes, {
    db: deps.db,
    notifier: deps.notifier,
    dataEncryptionKey: config.auth.dataEncryptionKey,
    sessionLifetimeSeconds: config.auth.staffSessionMaxLifetimeSeconds,
    signInRateLimitPerMinute: config.http.signInRateLimitPerMinute,
  });
  await app.register(backOfficeRoutes, { db: deps.db, screening: deps.aml });
  // The customer profile and staff administration (issue 16).
  await app.register(customerProfileRoutes, { db: deps.db, nationalIds: deps.nationalIds, limits: config.kyc.tierLimits });
  await app.register(staffAdminRoutes, { db: deps.db, dataEncryptionKey: config.auth.dataEncryptionKey });
  await app.register(amlRoutes, { db: deps.db });
  await app.register(approvalRoutes, { db: deps.db });
  await app.register(caseRoutes, { db: deps.db });
  await app.register(paymentRoutes, { db: deps.db, payIn: { ...config.payIn, sepaAccountIban: config.payouts.sepa.statementIban } });
  await app.register(sepaPayoutRoutes, { db: deps.db, debtor: config.payouts.sepa.debtor });
  // Suspicious-transaction reports (issue 13).
  await app.register(strRoutes, { db: deps.db, nationalIds: deps.nationalIds, reportingEntity: config.reportingEntity });
  // Erasure requests (customer and staff) and the retention rules (issue 14).
  await app.register(erasureRoutes, { db: deps.db, customerAuth });
  // Privacy requests and their deadlines in the console (issue 14).
  await app.register(privacyStaffRoutes, { db: deps.db });
  // The monthly SLA report (issue 15).
  await app.register(slaRoutes, {
    db: deps.db,
    errorSpike: { threshold: config.alerts.errorRateThreshold, minCount: config.alerts.errorMinCount },
  });
  app.decorate('listeningUrl', undefined);
  // Local stand-ins for BankID, Sumsub, Norges Bank and Wise: only those configured, loaded only then
  // (never in production, whose image does not carry them).
  if (Object.values(config.simulators).some(Boolean)) {
    const { registerSimulators } = await import('@drop/simulators');
    const simulators = await registerSimulators(app, { config, logger: deps.logger, listeningUrl: () => app.listeningUrl });
    if (simulators.sumsub) app.decorate('sumsubSimulator', simulators.sumsub);
    if (simulators.wise) app.decorate('wiseSimulator', simulators.wise);
  }
  if (deps.payoutPartner) await app.register(payoutWebhookRoutes, { db: deps.db, partner: deps.payoutPartner });
  await registerWebApps(app);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every back-office route with its access policy. */
    backOfficeRoutes: BackOfficeRoute[];
    /** The local Sumsub simulator, when enabled (tests drive its decisions). */
    sumsubSimulator: SumsubSimulator;
    /** The local Wise (payout partner) simulator, when enabled. */
    wiseSimulator: WiseSimulator;
    /** Where this server listens, once it does (the simulators call back to it). */
    listeningUrl: string | undefined;
  }
}
