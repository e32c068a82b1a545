/**
 * The Sumsub simulator, driven over real HTTP by Drop's real Sumsub client (signed requests, its
 * retry policy), with its webhooks received by an endpoint on the same server that keeps the raw
 * bytes and headers and checks them with Drop's `verifyWebhookDigest`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  createSumsubClient,
  parseSumsubTimestamp,
  type SumsubClient,
  SumsubError,
  signedRequestHeaders,
  verifyWebhookDigest,
  webhookSchema,
} from '@drop/integrations';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { freePort } from '../../../../test/support/embedded.ts';
import { waitFor } from '../test-support.ts';
import { registerSumsubSimulator, SimulatorError, type SumsubSimulator } from './index.ts';

const APP_TOKEN = 'sbx:drop-local-app-token';
const SECRET_KEY = 'drop-local-secret-key-0123456789';
const WEBHOOK_SECRET = 'drop-local-webhook-secret-abcdef';
const LEVEL = 'drop-basic-kyc';
const MOUNT = '/sumsub-sim';

interface Received {
  raw: Buffer;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, unknown>;
  answered: number;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

describe('Sumsub simulator', () => {
  let app: FastifyInstance;
  let sim: SumsubSimulator;
  let origin: string;
  let baseUrl: string;
  let sumsub: SumsubClient;
  const received: Received[] = [];
  /** Statuses the receiver answers with next (200 once the list is empty). */
  const receiverPlan: number[] = [];
  /** Requests to the REST API with their statuses, to see what the client retried. */
  const apiCalls: Array<{ method: string; url: string; status: number }> = [];

  /** Webhooks for the applicant, in arrival order; only the accepted copy of each delivery. */
  const accepted = (applicantId: string, type?: string) =>
    received.filter(
      (hook) => hook.answered === 200 && hook.json.applicantId === applicantId && (type === undefined || hook.json.type === type),
    );

  const waitForWebhook = (applicantId: string, type: string, count = 1) =>
    waitFor(`${type} webhook #${count} for ${applicantId}`, () => accepted(applicantId, type)[count - 1]);

  const newUser = () => `user-${randomUUID()}`;

  /** Posts the WebSDK page's form as a browser does, without following the redirect. */
  const submitWebsdk = (accessToken: string) =>
    fetch(`${baseUrl}/websdk/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ accessToken }),
      redirect: 'manual',
    });

  async function createSubmitted(): Promise<string> {
    const applicant = await sumsub.createApplicant({ externalUserId: newUser(), levelName: LEVEL });
    await sim.submitDocuments(applicant.id);
    await waitForWebhook(applicant.id, 'applicantPending');
    return applicant.id;
  }

  before(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    baseUrl = `${origin}${MOUNT}`;
    app = Fastify();
    // Drop's receiver needs the exact bytes too: its own raw parser in an encapsulated plugin.
    const receiver: FastifyPluginAsync = async (scope) => {
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      scope.post('/api/webhooks/sumsub', async (request, reply) => {
        const raw = request.body as Buffer;
        const answered = receiverPlan.shift() ?? 200;
        received.push({ raw, headers: { ...request.headers }, json: JSON.parse(raw.toString('utf8')), answered });
        return reply.code(answered).send({ ok: answered === 200 });
      });
    };
    await app.register(receiver);
    // onSend runs before the answer leaves, so a call is recorded by the time the client sees it.
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.url.startsWith(`${MOUNT}/resources/`))
        apiCalls.push({ method: request.method, url: request.url, status: reply.statusCode });
      return payload;
    });
    sim = await registerSumsubSimulator(app, {
      mountPath: MOUNT,
      appToken: APP_TOKEN,
      secretKey: SECRET_KEY,
      webhookUrl: `${origin}/api/webhooks/sumsub`,
      webhookSecret: WEBHOOK_SECRET,
      returnUrl: `${origin}/kyc`,
      logger: { info() {}, warn() {} },
    });
    await app.listen({ host: '127.0.0.1', port });
    sumsub = createSumsubClient({ baseUrl, appToken: APP_TOKEN, secretKey: SECRET_KEY, retryBaseMs: 10 });
  });

  after(async () => {
    await app?.close();
  });

  it('creates an applicant like Sumsub and announces it with a correctly signed applicantCreated webhook', async () => {
    const externalUserId = newUser();
    const applicant = await sumsub.createApplicant({
      externalUserId,
      levelName: LEVEL,
      fixedInfo: { firstName: 'Kari', lastName: 'Nordmann' },
    });
    assert.match(applicant.id, /^[0-9a-f]{24}$/);
    assert.equal(applicant.externalUserId, externalUserId);
    assert.equal(applicant.levelName, LEVEL);
    assert.equal(applicant.review?.reviewStatus, 'init');
    assert.equal(applicant.review?.reviewResult, undefined);
    assert.match(String(applicant.createdAt), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const hook = await waitForWebhook(applicant.id, 'applicantCreated');
    assert.equal(headerValue(hook.headers['content-type']), 'application/json');
    assert.equal(headerValue(hook.headers['x-payload-digest-alg']), 'HMAC_SHA256_HEX');
    const verdict = verifyWebhookDigest(
      WEBHOOK_SECRET,
      hook.raw,
      headerValue(hook.headers['x-payload-digest']),
      headerValue(hook.headers['x-payload-digest-alg']),
    );
    assert.deepEqual(verdict, { ok: true, algorithm: 'HMAC_SHA256_HEX' });
    assert.equal(
      verifyWebhookDigest('another-secret', hook.raw, headerValue(hook.headers['x-payload-digest']), 'HMAC_SHA256_HEX').ok,
      false,
    );

    const payload = webhookSchema.parse(hook.json);
    assert.equal(payload.externalUserId, externalUserId);
    assert.equal(payload.levelName, LEVEL);
    assert.equal(payload.reviewStatus, 'init');
    assert.equal(payload.sandboxMode, true);
    assert.equal(hook.json.clientId, 'drop-local');
    assert.match(String(payload.inspectionId), /^[0-9a-f]{24}$/);
    assert.ok(payload.correlationId);
    assert.ok(Math.abs(parseSumsubTimestamp(payload.createdAtMs) - Date.now()) < 60_000);
  });

  it('finds an applicant by externalUserId and by id, 404 for an unknown user, and 409 for a second applicant', async () => {
    const externalUserId = `${newUser()}@drop.test`;
    const created = await sumsub.createApplicant({ externalUserId, levelName: LEVEL });

    const found = await sumsub.findApplicantByExternalUserId(externalUserId);
    assert.equal(found?.id, created.id);
    assert.equal((await sumsub.getApplicant(created.id)).externalUserId, externalUserId);
    assert.equal(await sumsub.findApplicantByExternalUserId(newUser()), undefined);
    await assert.rejects(
      sumsub.getApplicant('0123456789abcdef01234567'),
      (error: unknown) => error instanceof SumsubError && error.status === 404,
    );

    const before = apiCalls.length;
    await assert.rejects(
      sumsub.createApplicant({ externalUserId, levelName: LEVEL }),
      (error: unknown) => error instanceof SumsubError && error.status === 409 && String(error.description).includes(created.id),
    );
    assert.equal(apiCalls.length - before, 1, 'a 409 is not retried');

    // The error body is Sumsub's shape.
    const path = `/resources/applicants?levelName=${LEVEL}`;
    const body = JSON.stringify({ externalUserId });
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedRequestHeaders(APP_TOKEN, SECRET_KEY, { method: 'POST', path, body }) },
      body,
    });
    assert.equal(response.status, 409);
    const error = (await response.json()) as Record<string, unknown>;
    assert.equal(error.code, 409);
    assert.equal(typeof error.description, 'string');
    assert.match(String(error.correlationId), /^req-/);
  });

  it('issues SDK access tokens for Sumsub’s {userId, levelName, ttlInSecs} and refuses other shapes', async () => {
    const userId = newUser();
    const path = '/resources/accessTokens/sdk';
    const post = async (payload: unknown) => {
      const body = JSON.stringify(payload);
      return fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedRequestHeaders(APP_TOKEN, SECRET_KEY, { method: 'POST', path, body }) },
        body,
      });
    };
    const ok = await post({ userId, levelName: LEVEL, ttlInSecs: 600 });
    assert.equal(ok.status, 200);
    const token = (await ok.json()) as { token: string; userId: string };
    assert.equal(token.userId, userId);
    assert.ok(token.token.length >= 32);
    const second = (await (await post({ userId, levelName: LEVEL, ttlInSecs: 600 })).json()) as { token: string };
    assert.notEqual(second.token, token.token);

    // Sumsub names the field userId; a body with only externalUserId is a 400.
    const wrong = await post({ externalUserId: userId, levelName: LEVEL, ttlInSecs: 600 });
    assert.equal(wrong.status, 400);
    assert.match(String(((await wrong.json()) as { description: string }).description), /userId/);
  });

  it('walks an applicant through documents → pending → approve (GREEN) → later downgrade (RED FINAL)', async () => {
    const created = await sumsub.createApplicant({ externalUserId: newUser(), levelName: LEVEL });
    await waitForWebhook(created.id, 'applicantCreated');

    await sim.submitDocuments(created.id);
    const pending = await waitForWebhook(created.id, 'applicantPending');
    assert.equal(pending.json.reviewStatus, 'pending');
    assert.equal((await sumsub.getApplicant(created.id)).review?.reviewStatus, 'pending');
    await assert.rejects(sim.submitDocuments(created.id), (error: unknown) => error instanceof SimulatorError && error.status === 409);

    await sim.decide(created.id, 'approve');
    const reviewed = webhookSchema.parse((await waitForWebhook(created.id, 'applicantReviewed')).json);
    assert.equal(reviewed.reviewStatus, 'completed');
    assert.deepEqual(reviewed.reviewResult, { reviewAnswer: 'GREEN' });
    const approved = await sumsub.getApplicant(created.id);
    assert.equal(approved.review?.reviewStatus, 'completed');
    assert.equal(approved.review?.reviewResult?.reviewAnswer, 'GREEN');

    await sim.decide(created.id, 'downgrade');
    const downgraded = webhookSchema.parse((await waitForWebhook(created.id, 'applicantReviewed', 2)).json);
    assert.equal(downgraded.reviewStatus, 'completed');
    assert.equal(downgraded.reviewResult?.reviewAnswer, 'RED');
    assert.equal(downgraded.reviewResult?.reviewRejectType, 'FINAL');
    assert.ok(downgraded.reviewResult?.rejectLabels?.length);
    assert.ok(parseSumsubTimestamp(downgraded.createdAtMs) >= parseSumsubTimestamp(reviewed.createdAtMs));
    assert.equal((await sumsub.getApplicant(created.id)).review?.reviewResult?.reviewAnswer, 'RED');
    // Nothing more to decide after a final rejection.
    await assert.rejects(sim.decide(created.id, 'approve'), (error: unknown) => error instanceof SimulatorError && error.status === 409);
  });

  it('reject_retry asks for a new photo, lets the applicant submit again, and reject_final is final', async () => {
    const id = await createSubmitted();
    await sim.decide(id, 'reject_retry');
    const retry = webhookSchema.parse((await waitForWebhook(id, 'applicantReviewed')).json);
    assert.equal(retry.reviewStatus, 'completed');
    assert.equal(retry.reviewResult?.reviewAnswer, 'RED');
    assert.equal(retry.reviewResult?.reviewRejectType, 'RETRY');
    assert.deepEqual(retry.reviewResult?.rejectLabels, ['BAD_QUALITY']);
    assert.match(String(retry.reviewResult?.moderationComment), /nytt bilde/);

    await sim.submitDocuments(id);
    const again = await waitForWebhook(id, 'applicantPending', 2);
    assert.equal(again.json.reviewStatus, 'pending');
    assert.equal(again.json.reviewResult, undefined);

    await sim.decide(id, 'reject_final');
    const final = webhookSchema.parse((await waitForWebhook(id, 'applicantReviewed', 2)).json);
    assert.equal(final.reviewResult?.reviewAnswer, 'RED');
    assert.equal(final.reviewResult?.reviewRejectType, 'FINAL');
    assert.deepEqual(final.reviewResult?.rejectLabels, ['FORGERY']);
    assert.ok(final.reviewResult?.moderationComment);
    await assert.rejects(sim.submitDocuments(id), (error: unknown) => error instanceof SimulatorError && error.status === 409);
  });

  it('on_hold sends applicantOnHold, and a decision follows from there', async () => {
    const id = await createSubmitted();
    await sim.decide(id, 'on_hold');
    const hold = await waitForWebhook(id, 'applicantOnHold');
    assert.equal(hold.json.reviewStatus, 'onHold');
    assert.equal((await sumsub.getApplicant(id)).review?.reviewStatus, 'onHold');
    await sim.decide(id, 'approve');
    assert.equal((await waitForWebhook(id, 'applicantReviewed')).json.reviewStatus, 'completed');
  });

  it('refuses a wrong secret key, a wrong app token, a stale timestamp and a tampered body with 401, and the client does not retry', async () => {
    const wrongKey = createSumsubClient({ baseUrl, appToken: APP_TOKEN, secretKey: 'not-the-secret', retryBaseMs: 10 });
    const before = apiCalls.length;
    await assert.rejects(wrongKey.getApplicant('0123456789abcdef01234567'), (error: unknown) => {
      assert.ok(error instanceof SumsubError);
      assert.equal(error.status, 401);
      assert.equal(error.description, 'Request signature mismatch');
      return true;
    });
    assert.deepEqual(
      apiCalls.slice(before).map((call) => call.status),
      [401],
      'one attempt only',
    );

    const wrongToken = createSumsubClient({ baseUrl, appToken: 'sbx:someone-else', secretKey: SECRET_KEY, retryBaseMs: 10 });
    await assert.rejects(
      wrongToken.findApplicantByExternalUserId(newUser()),
      (error: unknown) => error instanceof SumsubError && error.status === 401,
    );

    const path = `/resources/applicants/-;externalUserId=${newUser()}/one`;
    const stale = await fetch(`${baseUrl}${path}`, {
      headers: signedRequestHeaders(APP_TOKEN, SECRET_KEY, { method: 'GET', path, now: Date.now() - 6 * 60 * 1000 }),
    });
    assert.equal(stale.status, 401);
    assert.deepEqual(
      { ...((await stale.json()) as Record<string, unknown>), correlationId: undefined },
      { description: 'Request signature mismatch', code: 401, correlationId: undefined },
    );
    const fresh = await fetch(`${baseUrl}${path}`, { headers: signedRequestHeaders(APP_TOKEN, SECRET_KEY, { method: 'GET', path }) });
    assert.equal(fresh.status, 404, 'the same request signed now gets past the signature check');

    // The signature covers the path as Sumsub sees it (no mount prefix) and the raw body.
    const createPath = `/resources/applicants?levelName=${LEVEL}`;
    const signedBody = JSON.stringify({ externalUserId: newUser() });
    const withMount = await fetch(`${baseUrl}${createPath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedRequestHeaders(APP_TOKEN, SECRET_KEY, { method: 'POST', path: `${MOUNT}${createPath}`, body: signedBody }),
      },
      body: signedBody,
    });
    assert.equal(withMount.status, 401);
    const tampered = await fetch(`${baseUrl}${createPath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedRequestHeaders(APP_TOKEN, SECRET_KEY, { method: 'POST', path: createPath, body: signedBody }),
      },
      body: signedBody.replace('user-', 'usEr-'),
    });
    assert.equal(tampered.status, 401);
    const unsigned = await fetch(`${baseUrl}${path}`);
    assert.equal(unsigned.status, 401);
  });

  it('redelivers a webhook byte for byte with the same headers', async () => {
    const created = await sumsub.createApplicant({ externalUserId: newUser(), levelName: LEVEL });
    const first = await waitForWebhook(created.id, 'applicantCreated');
    const delivery = sim.deliveries().find((candidate) => candidate.applicantId === created.id && candidate.type === 'applicantCreated');
    assert.ok(delivery);
    assert.equal(delivery.status, 200);
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.body, first.raw.toString('utf8'));

    assert.equal(await sim.redeliver(delivery.id), 200);
    const copies = accepted(created.id, 'applicantCreated');
    assert.equal(copies.length, 2);
    const [one, two] = copies as [Received, Received];
    assert.ok(one.raw.equals(two.raw), 'identical bytes');
    for (const name of ['content-type', 'x-payload-digest', 'x-payload-digest-alg'])
      assert.equal(two.headers[name], one.headers[name], name);
    assert.equal(sim.deliveries().find((candidate) => candidate.id === delivery.id)?.attempts, 2);
    await assert.rejects(sim.redeliver('no-such-delivery'));
  });

  it('retries a webhook the receiver refuses: 500, 500, then 200 makes three attempts', async () => {
    await sim.settled();
    receiverPlan.push(500, 500);
    const created = await sumsub.createApplicant({ externalUserId: newUser(), levelName: LEVEL });
    await waitForWebhook(created.id, 'applicantCreated');
    const delivery = await waitFor('the delivery record', () =>
      sim.deliveries().find((candidate) => candidate.applicantId === created.id && candidate.status === 200),
    );
    assert.equal(delivery.attempts, 3);
    const arrivals = received.filter((hook) => hook.json.applicantId === created.id);
    assert.deepEqual(
      arrivals.map((hook) => hook.answered),
      [500, 500, 200],
    );
    assert.ok(
      arrivals.every((hook) => hook.raw.equals(arrivals[0]?.raw ?? Buffer.alloc(0))),
      'every attempt sends the same bytes',
    );
  });

  it('serves a WebSDK stand-in that submits documents and returns the customer to Drop', async () => {
    const externalUserId = newUser();
    const created = await sumsub.createApplicant({
      externalUserId,
      levelName: LEVEL,
      fixedInfo: { firstName: 'Ola', lastName: 'Nordmann' },
    });
    const path = '/resources/accessTokens/sdk';
    const body = JSON.stringify({ userId: externalUserId, levelName: LEVEL, ttlInSecs: 600 });
    const tokenResponse = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedRequestHeaders(APP_TOKEN, SECRET_KEY, { method: 'POST', path, body }) },
      body,
    });
    const { token } = (await tokenResponse.json()) as { token: string };

    const page = await fetch(`${baseUrl}/websdk?accessToken=${encodeURIComponent(token)}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /form-action 'self'/);
    const html = await page.text();
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /ikke ekte Sumsub/);
    assert.match(html, /Ola Nordmann/);
    assert.ok(html.includes(externalUserId));
    assert.match(html, /data-testid="submit-documents"/);
    assert.match(html, /<form method="post" action="\/sumsub-sim\/websdk\/submit"/);
    assert.ok(html.includes(`href="${origin}/kyc"`), 'Avbryt goes back to Drop');
    assert.match(html, />Avbryt</);

    const submit = await submitWebsdk(token);
    assert.equal(submit.status, 303);
    assert.equal(submit.headers.get('location'), `${origin}/kyc`);
    await waitForWebhook(created.id, 'applicantPending');
    const after = await (await fetch(`${baseUrl}/websdk?accessToken=${encodeURIComponent(token)}`)).text();
    assert.doesNotMatch(after, /data-testid="submit-documents"/, 'nothing to submit while pending');

    const unknown = await fetch(`${baseUrl}/websdk?accessToken=_act-sbx-unknown`);
    assert.equal(unknown.status, 401);
    const forged = await submitWebsdk('_act-sbx-unknown');
    assert.equal(forged.status, 401);
  });

  it('WebSDK tokens expire after ttlInSecs, and a token for a new user creates the applicant on submit', async () => {
    const externalUserId = newUser();
    const path = '/resources/accessTokens/sdk';
    const issue = async (ttlInSecs: number) => {
      const body = JSON.stringify({ userId: externalUserId, levelName: LEVEL, ttlInSecs });
      const response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedRequestHeaders(APP_TOKEN, SECRET_KEY, { method: 'POST', path, body }) },
        body,
      });
      return ((await response.json()) as { token: string }).token;
    };
    const shortLived = await issue(1);
    const websdk = (token: string) => fetch(`${baseUrl}/websdk?accessToken=${encodeURIComponent(token)}`);
    assert.equal((await websdk(shortLived)).status, 200);
    const expired = await waitFor('the 1-second token to expire', async () => {
      const response = await websdk(shortLived);
      await response.arrayBuffer();
      return response.status === 401 ? response.status : undefined;
    });
    assert.equal(expired, 401);
    const late = await submitWebsdk(shortLived);
    assert.equal(late.status, 401);
    assert.equal(await sumsub.findApplicantByExternalUserId(externalUserId), undefined);

    const token = await issue(600);
    const submit = await submitWebsdk(token);
    assert.equal(submit.status, 303);
    const applicant = await sumsub.findApplicantByExternalUserId(externalUserId);
    assert.ok(applicant);
    assert.equal(applicant.review?.reviewStatus, 'pending');
    await waitForWebhook(applicant.id, 'applicantCreated');
    await waitForWebhook(applicant.id, 'applicantPending');
  });

  it('renders a dashboard with applicants, decision buttons and deliveries, and its forms work', async () => {
    const id = await createSubmitted();
    const page = await fetch(`${baseUrl}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /ikke ekte Sumsub/);
    for (const decision of ['approve', 'reject_retry', 'reject_final', 'on_hold']) {
      assert.ok(html.includes(`data-testid="decide-${decision}-${id}"`), decision);
    }
    assert.ok(!html.includes(`data-testid="decide-downgrade-${id}"`), 'downgrade only after GREEN');
    assert.ok(html.includes(`action="/sumsub-sim/applicants/${id}/decide"`));
    assert.ok(html.includes(`data-testid="status-${id}">pending<`));
    const someDelivery = sim.deliveries()[0];
    assert.ok(someDelivery);
    assert.ok(html.includes(`data-testid="redeliver-${someDelivery.id}"`));
    assert.match(html, /applicantPending/);

    const decided = await fetch(`${baseUrl}/applicants/${id}/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision: 'approve' }),
      redirect: 'manual',
    });
    assert.equal(decided.status, 303);
    assert.equal(decided.headers.get('location'), `${MOUNT}/`);
    await waitForWebhook(id, 'applicantReviewed');
    const afterHtml = await (await fetch(`${baseUrl}/`)).text();
    assert.ok(afterHtml.includes(`data-testid="decide-downgrade-${id}"`));

    const impossible = await fetch(`${baseUrl}/applicants/${id}/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision: 'on_hold' }),
      redirect: 'manual',
    });
    assert.equal(impossible.status, 409);
    const bogus = await fetch(`${baseUrl}/applicants/${id}/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision: 'bless' }),
      redirect: 'manual',
    });
    assert.equal(bogus.status, 400);

    const delivery = sim.deliveries().find((candidate) => candidate.applicantId === id && candidate.type === 'applicantReviewed');
    assert.ok(delivery);
    const redeliver = await fetch(`${baseUrl}/deliveries/${delivery.id}/redeliver`, { method: 'POST', redirect: 'manual' });
    assert.equal(redeliver.status, 303);
    assert.equal(accepted(id, 'applicantReviewed').length, 2);
  });
});
