/**
 * A local Sumsub for development and tests (the server should mount it only when
 * `SUMSUB_SIMULATOR_ENABLED`, which production refuses). It speaks the parts of Sumsub's protocol
 * Drop's client uses (reference/mission-anchors.md §3.2, reliability-security-anchors.md §7):
 *
 * - REST under `<mountPath>/resources/...`: create applicant, find by externalUserId, get by id,
 *   SDK access token. Every request must carry X-App-Token and a valid X-App-Access-Sig over
 *   `ts + METHOD + path-with-query + raw body` (the path as Sumsub sees it: without the mount
 *   prefix), with ts within 5 minutes; otherwise 401 "Request signature mismatch".
 * - Webhooks (applicantCreated / Pending / Reviewed / OnHold) POSTed to Drop with X-Payload-Digest
 *   over the exact bytes, asynchronously, retried (see webhooks.ts), recorded, re-sendable.
 * - Pages: `<mountPath>/` dashboard (decide, redeliver) and `<mountPath>/websdk?accessToken=` – a
 *   stand-alone stand-in for Sumsub's WebSDK camera step.
 * - `<mountPath>/websdk/sns-websdk-builder.js`: the embeddable WebSDK stand-in with Sumsub's JS API
 *   (websdk-script.ts); it calls `<mountPath>/websdk/session` and `<mountPath>/websdk/submit` with
 *   JSON `{ accessToken }`.
 *
 * Everything is in memory in one process. Request bodies are read raw (for the signature) by the
 * simulator's own content-type parsers inside an encapsulated plugin, so the app's parsers are
 * untouched.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { formatSumsubTimestamp, verifyRequestSignature, type WebhookDigestAlgorithm } from '@drop/integrations';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SimulatorLogger } from '../logger.ts';
import { renderDashboard, renderMessagePage, renderWebSdk } from './pages.ts';
import {
  ApplicantStore,
  canSubmitDocuments,
  DECISIONS,
  type Decision,
  rejectExternally,
  type SimApplicant,
  SimulatorError,
  type WebhookType,
} from './state.ts';
import { type DeliveryRecord, WebhookDispatcher } from './webhooks.ts';
import { renderWebSdkScript } from './websdk-script.ts';

export type { Decision } from './state.ts';
export { DECISIONS } from './state.ts';
export type { DeliveryRecord } from './webhooks.ts';

export interface SumsubSimulatorOptions {
  /** e.g. '/sumsub-sim'; Drop's client then uses `${publicUrl}/sumsub-sim` as its baseUrl. */
  mountPath: string;
  /** What Drop's client signs with. */
  appToken: string;
  secretKey: string;
  /** Drop's webhook receiver, e.g. `${publicUrl}/api/webhooks/sumsub`. */
  webhookUrl: string;
  webhookSecret: string;
  webhookAlgorithm?: WebhookDigestAlgorithm;
  /** Where the WebSDK stand-in sends the customer afterwards, e.g. `${publicUrl}/kyc`. */
  returnUrl: string;
  logger?: SimulatorLogger;
  /** Waits between webhook attempts (4 attempts by default: 200 ms, 1 s, 3 s). */
  webhookRetryDelaysMs?: readonly number[];
  /** A webhook answer slower than this counts as a failed attempt (Sumsub: 5 s). */
  webhookTimeoutMs?: number;
}

export interface SumsubDelivery {
  id: string;
  type: string;
  applicantId: string;
  /** Last HTTP status; 'error' after a network error or timeout; 'pending' before the first answer. */
  status: number | 'error' | 'pending';
  attempts: number;
  body: string;
  headers: Record<string, string>;
  createdAtMs: number;
}

export interface SumsubSimulator {
  /** An operator's decision; 404 / 409 SimulatorError if the applicant is unknown or not in a state that allows it. */
  decide(applicantId: string, decision: Decision): Promise<void>;
  /** What the WebSDK step does: documents in, review pending. */
  submitDocuments(applicantId: string): Promise<void>;
  deliveries(): SumsubDelivery[];
  /** Re-sends the exact same bytes and headers once; resolves to the HTTP status, rejects on a network error. */
  redeliver(deliveryId: string): Promise<number>;
  /** Applicants as the REST API shows them. */
  applicants(): Array<Record<string, unknown>>;
  /** Resolves when no automatic webhook delivery is in progress. */
  settled(): Promise<void>;
}

export { SimulatorError } from './state.ts';

const JSON_LIMIT_BYTES = 64 * 1024;
const FORM_LIMIT_BYTES = 16 * 1024;
const MAX_TOKENS = 10_000;
const DEFAULT_TOKEN_TTL_SECONDS = 600;
const MAX_TOKEN_TTL_SECONDS = 24 * 60 * 60;

const createApplicantBody = z.looseObject({
  externalUserId: z.string().trim().min(1).max(512),
  fixedInfo: z.record(z.string(), z.unknown()).optional(),
});

const accessTokenBody = z.looseObject({
  userId: z.string().trim().min(1).max(512),
  levelName: z.string().trim().min(1).max(256),
  ttlInSecs: z.number().int().positive().max(MAX_TOKEN_TTL_SECONDS).optional(),
});

interface AccessToken {
  externalUserId: string;
  levelName: string;
  expiresAtMs: number;
}

function normaliseMountPath(value: string): string {
  const mountPath = value.replace(/\/+$/, '');
  if (!mountPath.startsWith('/') || mountPath.length < 2 || /[?#\s]/.test(mountPath)) {
    throw new Error(`Sumsub simulator: mountPath must be a path like '/sumsub-sim', not '${value}'`);
  }
  return mountPath;
}

function requireUrl(name: string, value: string): URL {
  const url = URL.parse(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new Error(`Sumsub simulator: ${name} must be an http(s) URL`);
  return url;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function constantTimeEquals(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function correlationId(): string {
  return `req-${randomUUID()}`;
}

/** Sumsub's error body: `{ description, code, correlationId }`. */
function sendSumsubError(reply: FastifyReply, code: number, description: string): FastifyReply {
  return reply
    .code(code)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ description, code, correlationId: correlationId() }));
}

function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** The applicant as Sumsub's REST API returns it (the fields Drop reads, plus a few for realism). */
function applicantJson(applicant: SimApplicant): Record<string, unknown> {
  const createdAt = formatSumsubTimestamp(applicant.createdAtMs).slice(0, 19);
  return {
    id: applicant.id,
    createdAt,
    key: 'DROPLOCAL',
    clientId: 'drop-local',
    inspectionId: applicant.inspectionId,
    externalUserId: applicant.externalUserId,
    ...(applicant.fixedInfo ? { fixedInfo: applicant.fixedInfo } : {}),
    type: 'individual',
    levelName: applicant.levelName,
    lang: 'nb',
    review: {
      reviewId: applicant.reviewId,
      attemptId: applicant.attemptId,
      attemptCnt: applicant.attemptCnt,
      levelName: applicant.levelName,
      createDate: formatSumsubTimestamp(applicant.createdAtMs),
      ...(applicant.reviewDateMs === undefined ? {} : { reviewDate: formatSumsubTimestamp(applicant.reviewDateMs) }),
      reviewStatus: applicant.reviewStatus,
      priority: 0,
      ...(applicant.reviewResult ? { reviewResult: applicant.reviewResult } : {}),
    },
  };
}

export async function registerSumsubSimulator(app: FastifyInstance, options: SumsubSimulatorOptions): Promise<SumsubSimulator> {
  const mountPath = normaliseMountPath(options.mountPath);
  if (!options.appToken || !options.secretKey || !options.webhookSecret) {
    throw new Error('Sumsub simulator: appToken, secretKey and webhookSecret are required');
  }
  requireUrl('webhookUrl', options.webhookUrl);
  const returnOrigin = requireUrl('returnUrl', options.returnUrl).origin;
  const logger: SimulatorLogger = options.logger ?? {
    info: (o, m) => app.log.info(o, m),
    warn: (o, m) => app.log.warn(o, m),
  };

  const store = new ApplicantStore();
  const tokens = new Map<string, AccessToken>();
  const dispatcher = new WebhookDispatcher({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    algorithm: options.webhookAlgorithm ?? 'HMAC_SHA256_HEX',
    retryDelaysMs: options.webhookRetryDelaysMs ?? [200, 1000, 3000],
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    logger,
    keep: 1000,
  });

  function emit(applicant: SimApplicant, type: WebhookType): void {
    const id = correlationId();
    // Field order and format like Sumsub's webhooks; the digest covers exactly these bytes.
    const body = JSON.stringify({
      applicantId: applicant.id,
      inspectionId: applicant.inspectionId,
      correlationId: id,
      externalUserId: applicant.externalUserId,
      levelName: applicant.levelName,
      type,
      reviewStatus: applicant.reviewStatus,
      ...(applicant.reviewResult ? { reviewResult: applicant.reviewResult } : {}),
      createdAtMs: formatSumsubTimestamp(Date.now()),
      sandboxMode: true,
      clientId: 'drop-local',
    });
    dispatcher.enqueue({ type, applicantId: applicant.id, correlationId: id, body });
  }

  function createApplicant(input: { externalUserId: string; levelName: string; fixedInfo?: Record<string, unknown> }): SimApplicant {
    const applicant = store.create({ ...input, now: Date.now() });
    logger.info({ applicantId: applicant.id, levelName: applicant.levelName }, 'Sumsub simulator: applicant created');
    emit(applicant, 'applicantCreated');
    return applicant;
  }

  async function submitDocuments(applicantId: string): Promise<void> {
    const applicant = store.submitDocuments(applicantId);
    logger.info({ applicantId, attempt: applicant.attemptCnt }, 'Sumsub simulator: documents submitted');
    emit(applicant, 'applicantPending');
  }

  async function decide(applicantId: string, decision: Decision): Promise<void> {
    if (!DECISIONS.includes(decision)) throw new SimulatorError(400, `Unknown decision '${String(decision)}'`);
    const { applicant, webhook } = store.decide(applicantId, decision, Date.now());
    logger.info({ applicantId, decision }, 'Sumsub simulator: decision');
    emit(applicant, webhook);
  }

  function issueToken(externalUserId: string, levelName: string, ttlInSecs: number): string {
    const now = Date.now();
    if (tokens.size >= MAX_TOKENS) {
      for (const [key, value] of tokens) if (value.expiresAtMs <= now) tokens.delete(key);
      if (tokens.size >= MAX_TOKENS) {
        const oldest = tokens.keys().next().value;
        if (oldest !== undefined) tokens.delete(oldest);
      }
    }
    const token = `_act-sbx-${randomBytes(24).toString('base64url')}`;
    tokens.set(token, { externalUserId, levelName, expiresAtMs: now + ttlInSecs * 1000 });
    return token;
  }

  function validToken(value: unknown): AccessToken | undefined {
    if (typeof value !== 'string' || !value) return undefined;
    const token = tokens.get(value);
    if (!token) return undefined;
    if (token.expiresAtMs <= Date.now()) {
      tokens.delete(value);
      return undefined;
    }
    return token;
  }

  // ---- REST API ------------------------------------------------------------------------------

  async function handleApi(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const rawUrl = request.raw.url ?? request.url;
    // Sumsub sees `/resources/...`: the mount prefix is ours, not part of the signed path.
    const path = rawUrl.slice(mountPath.length);
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    if (request.body !== undefined && body === undefined) return sendSumsubError(reply, 400, 'Expected a JSON body');

    const tokenOk = constantTimeEquals(options.appToken, header(request, 'x-app-token'));
    const signatureOk = verifyRequestSignature(options.secretKey, {
      ts: header(request, 'x-app-access-ts'),
      signature: header(request, 'x-app-access-sig'),
      method: request.method,
      path,
      body,
      toleranceSeconds: 300,
    });
    if (!tokenOk || !signatureOk) {
      logger.warn({ method: request.method, path: path.split('?')[0], tokenOk }, 'Sumsub simulator: request signature mismatch');
      return sendSumsubError(reply, 401, 'Request signature mismatch');
    }

    const url = new URL(path, 'http://sumsub.invalid');
    let json: unknown;
    if (body !== undefined && body.length > 0) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        return sendSumsubError(reply, 400, 'Request body is not valid JSON');
      }
    }

    try {
      if (request.method === 'POST' && url.pathname === '/resources/applicants') {
        const levelName = url.searchParams.get('levelName')?.trim();
        if (!levelName) return sendSumsubError(reply, 400, 'levelName is required');
        const parsed = createApplicantBody.safeParse(json);
        if (!parsed.success) return sendSumsubError(reply, 400, `Invalid applicant: ${z.prettifyError(parsed.error)}`);
        const applicant = createApplicant({
          externalUserId: parsed.data.externalUserId,
          levelName,
          ...(parsed.data.fixedInfo ? { fixedInfo: parsed.data.fixedInfo } : {}),
        });
        return sendJson(reply, applicantJson(applicant));
      }

      const one = /^\/resources\/applicants\/([^/]+)\/one$/.exec(url.pathname);
      if (request.method === 'GET' && one?.[1]) {
        const segment = one[1];
        const byExternal = '-;externalUserId=';
        let applicant: SimApplicant | undefined;
        try {
          applicant = segment.startsWith(byExternal)
            ? store.byExternalUserId(decodeURIComponent(segment.slice(byExternal.length)))
            : store.get(decodeURIComponent(segment));
        } catch {
          return sendSumsubError(reply, 400, 'Malformed applicant reference');
        }
        if (!applicant) return sendSumsubError(reply, 404, 'Applicant not found');
        return sendJson(reply, applicantJson(applicant));
      }

      const reject = /^\/resources\/applicants\/([^/]+)\/-\/reject$/.exec(url.pathname);
      if (request.method === 'POST' && reject?.[1]) {
        if (!store.get(decodeURIComponent(reject[1]))) return sendSumsubError(reply, 404, 'Applicant not found');
        const applicant = rejectExternally(store, decodeURIComponent(reject[1]), Date.now());
        logger.info({ applicantId: applicant.id }, 'Sumsub simulator: rejected through the API');
        emit(applicant, 'applicantReviewed');
        return sendJson(reply, { ok: 1 });
      }

      if (request.method === 'POST' && url.pathname === '/resources/accessTokens/sdk') {
        const parsed = accessTokenBody.safeParse(json);
        if (!parsed.success) {
          return sendSumsubError(
            reply,
            400,
            `Invalid access token request (Sumsub expects userId, levelName, ttlInSecs): ${z.prettifyError(parsed.error)}`,
          );
        }
        const { userId, levelName, ttlInSecs = DEFAULT_TOKEN_TTL_SECONDS } = parsed.data;
        return sendJson(reply, { token: issueToken(userId, levelName, ttlInSecs), userId });
      }
    } catch (error) {
      if (error instanceof SimulatorError) return sendSumsubError(reply, error.status, error.message);
      throw error;
    }
    return sendSumsubError(reply, 404, `Not found: ${request.method} ${url.pathname}`);
  }

  // ---- Pages -----------------------------------------------------------------------------------

  const pagePolicy = (withReturn: boolean) =>
    `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'${
      withReturn ? ` ${returnOrigin}` : ''
    }; frame-ancestors 'none'; base-uri 'none'`;

  function sendPage(reply: FastifyReply, status: number, html: string, withReturn = false): FastifyReply {
    return reply
      .code(status)
      .header('content-security-policy', pagePolicy(withReturn))
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  const dashboardLink = { href: `${mountPath}/`, label: 'Tilbake til oversikten' };

  const webSdkScript = renderWebSdkScript(mountPath);

  /** `accessToken` from a JSON body (kept raw by the simulator's parser). */
  function jsonAccessToken(request: FastifyRequest): string | undefined {
    if (!Buffer.isBuffer(request.body)) return undefined;
    try {
      const parsed: unknown = JSON.parse(request.body.toString('utf8'));
      const value = typeof parsed === 'object' && parsed !== null ? (parsed as { accessToken?: unknown }).accessToken : undefined;
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  function formValue(request: FastifyRequest, name: string): string | undefined {
    return request.body instanceof URLSearchParams ? (request.body.get(name) ?? undefined) : undefined;
  }

  async function runAction(reply: FastifyReply, action: () => Promise<unknown>): Promise<FastifyReply> {
    try {
      await action();
    } catch (error) {
      if (error instanceof SimulatorError)
        return sendPage(reply, error.status, renderMessagePage('Ikke mulig', error.message, dashboardLink));
      if (error instanceof Error) return sendPage(reply, 502, renderMessagePage('Feilet', error.message, dashboardLink));
      throw error;
    }
    return reply.header('cache-control', 'no-store').redirect(`${mountPath}/`, 303);
  }

  const routes: FastifyPluginAsync = async (scope) => {
    // Only the simulator's own parsers in here: JSON stays raw bytes (the signature covers them),
    // forms become URLSearchParams.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: JSON_LIMIT_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
      (_request, body, done) => done(null, new URLSearchParams(String(body))),
    );

    scope.route({ method: ['GET', 'POST'], url: `${mountPath}/resources/*`, handler: handleApi });

    scope.get(`${mountPath}/`, async (_request, reply) =>
      sendPage(
        reply,
        200,
        renderDashboard({ mountPath, webhookUrl: options.webhookUrl, applicants: store.all(), deliveries: dispatcher.list() }),
      ),
    );

    scope.post<{ Params: { id: string } }>(`${mountPath}/applicants/:id/decide`, async (request, reply) => {
      const decision = formValue(request, 'decision');
      if (!DECISIONS.includes(decision as Decision)) {
        return sendPage(reply, 400, renderMessagePage('Ugyldig avgjørelse', `Ukjent avgjørelse: ${decision ?? '(ingen)'}`, dashboardLink));
      }
      return runAction(reply, () => decide(request.params.id, decision as Decision));
    });

    scope.post<{ Params: { id: string } }>(`${mountPath}/applicants/:id/submit`, async (request, reply) =>
      runAction(reply, () => submitDocuments(request.params.id)),
    );

    scope.post<{ Params: { id: string } }>(`${mountPath}/deliveries/:id/redeliver`, async (request, reply) => {
      if (!dispatcher.get(request.params.id))
        return sendPage(reply, 404, renderMessagePage('Ukjent leveranse', request.params.id, dashboardLink));
      return runAction(reply, () => dispatcher.redeliver(request.params.id));
    });

    scope.get<{ Querystring: { accessToken?: string } }>(`${mountPath}/websdk`, async (request, reply) => {
      const accessToken = typeof request.query.accessToken === 'string' ? request.query.accessToken : '';
      const token = validToken(accessToken);
      if (!token) {
        return sendPage(
          reply,
          401,
          renderMessagePage('Lenken er utløpt', 'Tilgangstokenet er ukjent eller utløpt. Start verifiseringen på nytt fra Drop.', {
            href: options.returnUrl,
            label: 'Tilbake til Drop',
          }),
          true,
        );
      }
      const html = renderWebSdk({
        mountPath,
        returnUrl: options.returnUrl,
        accessToken,
        externalUserId: token.externalUserId,
        levelName: token.levelName,
        applicant: store.byExternalUserId(token.externalUserId),
      });
      return sendPage(reply, 200, html, true);
    });

    scope.get(`${mountPath}/websdk/sns-websdk-builder.js`, async (_request, reply) =>
      reply.code(200).header('cache-control', 'no-store').type('application/javascript; charset=utf-8').send(webSdkScript),
    );

    // The embedded stand-in asks who is verifying and whether there is anything to send.
    scope.post(`${mountPath}/websdk/session`, async (request, reply) => {
      const accessToken = jsonAccessToken(request);
      const token = validToken(accessToken);
      if (!token) return sendSumsubError(reply.header('cache-control', 'no-store'), 401, 'Access token is unknown or expired');
      const applicant = store.byExternalUserId(token.externalUserId);
      const fixedInfo = applicant?.fixedInfo;
      const name = [fixedInfo?.firstName, fixedInfo?.lastName].filter((part) => typeof part === 'string' && part).join(' ');
      const retry = applicant?.reviewResult?.reviewRejectType === 'RETRY' ? applicant.reviewResult.moderationComment : undefined;
      return sendJson(reply.header('cache-control', 'no-store'), {
        externalUserId: token.externalUserId,
        levelName: token.levelName,
        name: name || null,
        reviewStatus: applicant?.reviewStatus ?? 'init',
        moderationComment: retry ?? null,
        canSubmit: applicant ? canSubmitDocuments(applicant) : true,
      });
    });

    // Documents in: a form post from the stand-alone page (redirects back to Drop), or JSON from
    // the embedded stand-in (answers JSON; the script then fires idCheck.onApplicantSubmitted).
    scope.post(`${mountPath}/websdk/submit`, async (request, reply) => {
      const asJson = Buffer.isBuffer(request.body);
      const token = validToken(asJson ? jsonAccessToken(request) : formValue(request, 'accessToken'));
      const back = { href: options.returnUrl, label: 'Tilbake til Drop' };
      reply.header('cache-control', 'no-store');
      if (!token) {
        if (asJson) return sendSumsubError(reply, 401, 'Access token is unknown or expired');
        return sendPage(reply, 401, renderMessagePage('Lenken er utløpt', 'Tilgangstokenet er ukjent eller utløpt.', back), true);
      }
      let applicantId: string;
      try {
        // Like Sumsub's WebSDK, a token for a user without an applicant creates one on the token's level.
        const applicant =
          store.byExternalUserId(token.externalUserId) ??
          createApplicant({ externalUserId: token.externalUserId, levelName: token.levelName });
        applicantId = applicant.id;
        await submitDocuments(applicant.id);
      } catch (error) {
        if (error instanceof SimulatorError) {
          if (asJson) return sendSumsubError(reply, error.status, error.message);
          return sendPage(reply, error.status, renderMessagePage('Ikke mulig', error.message, back), true);
        }
        throw error;
      }
      if (asJson) return sendJson(reply, { ok: true, applicantId });
      return reply.redirect(options.returnUrl, 303);
    });
  };
  await app.register(routes);

  // Nothing new is sent once the server starts closing; retries waiting to run are dropped.
  app.addHook('preClose', async () => {
    dispatcher.stop();
  });
  app.addHook('onClose', async () => {
    await dispatcher.settled();
  });

  logger.info({ mountPath, webhookUrl: options.webhookUrl }, 'Sumsub simulator mounted');

  const toDelivery = (record: DeliveryRecord): SumsubDelivery => ({
    id: record.id,
    type: record.type,
    applicantId: record.applicantId,
    status: record.status,
    attempts: record.attempts,
    body: record.body,
    headers: { ...record.headers },
    createdAtMs: record.createdAtMs,
  });

  return {
    decide,
    submitDocuments,
    deliveries: () => dispatcher.list().map(toDelivery),
    redeliver: (deliveryId) => dispatcher.redeliver(deliveryId),
    applicants: () => store.all().map(applicantJson),
    settled: () => dispatcher.settled(),
  };
}
