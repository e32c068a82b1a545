/**
 * Drop's Wise payout client against the Wise simulator over real HTTP on loopback ports: the
 * simulator runs in a Fastify app (two mounts: one paying out by itself, one waiting for the
 * control API), and its signed webhooks go to a small HTTP receiver that keeps the raw bytes and
 * headers, which the client then authenticates and reads. Wise's failure answers that the
 * simulator never gives (500, 429, timeouts, unreadable bodies) come from a fake fetch.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type PayoutOrder, PayoutPartnerError, type PayoutPartnerEvent, WebhookSignatureError } from '@drop/core';
import {
  payoutStateOfWise,
  WISE_TRANSFER_STATES,
  WisePayoutPartner,
  wiseAmount,
  wiseRecipientAccount,
  wiseReference,
} from '@drop/integrations';
import Fastify, { type FastifyInstance } from 'fastify';
import { waitFor } from '../test-support.ts';
import { registerWiseSimulator, type WiseSimTransferView, type WiseSimulator } from './index.ts';

const TOKEN = 'drop-local-wise-token';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Delivery {
  path: string;
  raw: Buffer;
  headers: IncomingHttpHeaders;
  answered: number;
}

const deliveries: Delivery[] = [];
/** Statuses the receiver answers next, per path (200 when none is left). */
const receiverPlan = new Map<string, number[]>();

let receiver: Server;
let app: FastifyInstance;
let origin: string;
let autoSim: WiseSimulator;
let manualSim: WiseSimulator;
let auto: WisePayoutPartner;
let manual: WisePayoutPartner;

function order(overrides: Partial<PayoutOrder> = {}): PayoutOrder {
  return {
    transferId: `tx_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
    idempotencyKey: randomUUID(),
    amountMinor: 123_456n,
    currency: 'EUR',
    recipient: { name: 'Åse Ødegård', country: 'DE', rail: 'iban', details: { iban: 'DE89370400440532013000', bic: 'DEUTDEFF' } },
    reference: 'Drop tx_01JQ8Z6K4M2N7P9R3S5T – gave',
    ...overrides,
  };
}

/** The accepted, non-test deliveries for one transfer at one receiver path, read by `client`, in arrival order. */
function eventsFor(client: WisePayoutPartner, path: string, partnerReference: string): PayoutPartnerEvent[] {
  return deliveries
    .filter((d) => d.path === path && d.answered === 200 && d.headers['x-test-notification'] === undefined)
    .map((d) => client.parseWebhook(d.raw, d.headers))
    .filter((event): event is PayoutPartnerEvent => event?.partnerReference === partnerReference);
}

/** The manual mount's events for a transfer, as [Wise state, payout state], once funds_refunded (the last) has arrived. */
async function manualStatesUntilRefunded(partnerReference: string): Promise<Array<[string, string]>> {
  const events = await waitFor('the funds_refunded event', () => {
    const all = eventsFor(manual, '/hooks/manual', partnerReference);
    return all.some((e) => e.partnerState === 'funds_refunded') ? all : undefined;
  });
  return events.map((e) => [e.partnerState, e.state]);
}

function simTransfer(sim: WiseSimulator, partnerReference: string): WiseSimTransferView {
  const found = sim.transfers().find((t) => String(t.id) === partnerReference);
  assert.ok(found, `the simulator has transfer ${partnerReference}`);
  return found;
}

async function control(prefix: string, transferId: string, outcome: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${origin}${prefix}/_simulator/transfers/${transferId}/outcome`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ outcome }),
  });
  return { status: response.status, body: await response.json() };
}

before(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      const answered = receiverPlan.get(path)?.shift() ?? 200;
      deliveries.push({ path, raw: Buffer.concat(chunks), headers: request.headers, answered });
      response.writeHead(answered, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hooks = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  app = Fastify();
  autoSim = await registerWiseSimulator(app, {
    prefix: '/wise-sim',
    webhookUrl: `${hooks}/auto`,
    payDelayMs: 150,
    webhookRetryDelaysMs: [30, 60, 120],
  });
  manualSim = await registerWiseSimulator(app, {
    prefix: '/wise-manual/',
    webhookUrl: () => `${hooks}/manual`,
    autoOutcome: 'manual',
    profileId: 2002,
    webhookRetryDelaysMs: [30, 60, 120],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  auto = new WisePayoutPartner({
    baseUrl: `${origin}/wise-sim`,
    apiToken: TOKEN,
    profileId: autoSim.profileId,
    webhookPublicKey: autoSim.publicKeyPem,
    timeoutMs: 5000,
  });
  // As Drop would be set up: the key fetched from where the simulator publishes it.
  const published = await fetch(`${origin}/wise-manual/_simulator/public-key`);
  manual = new WisePayoutPartner({
    baseUrl: `${origin}/wise-manual`,
    apiToken: TOKEN,
    profileId: 2002,
    webhookPublicKey: await published.text(),
    timeoutMs: 5000,
  });
});

after(async () => {
  await app.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

describe('a payout through the Wise simulator', () => {
  test('is created and funded once, and its signed webhooks read processing until paid', async () => {
    const payout = order();
    const submission = await auto.send(payout);
    assert.equal(submission.state, 'processing');
    assert.match(submission.partnerReference, /^\d+$/);

    const paid = await waitFor('the paid event', () =>
      eventsFor(auto, '/hooks/auto', submission.partnerReference).find((e) => e.state === 'paid'),
    );
    const events = eventsFor(auto, '/hooks/auto', submission.partnerReference);
    assert.deepEqual(
      events.map((e) => [e.partnerState, e.state]),
      [
        ['incoming_payment_waiting', 'processing'],
        ['processing', 'processing'],
        ['funds_converted', 'processing'],
        ['outgoing_payment_sent', 'paid'],
      ],
    );
    assert.deepEqual(paid, events.at(-1));
    for (const event of events) assert.match(event.deliveryId ?? '', UUID);
    const times = events.map((e) => Date.parse(e.occurredAt));
    assert.ok(
      times.every((t, i) => i === 0 || t > (times[i - 1] ?? 0)),
      'occurred_at increases',
    );

    const made = simTransfer(autoSim, submission.partnerReference);
    assert.deepEqual(
      { ...made, history: made.history.map((h) => h.state), quoteUuid: UUID.test(made.quoteUuid) },
      {
        id: Number(submission.partnerReference),
        customerTransactionId: payout.idempotencyKey,
        state: 'outgoing_payment_sent',
        amount: '1234.56',
        currency: 'EUR',
        targetAccount: made.targetAccount,
        recipient: { type: 'iban', accountHolderName: 'Åse Ødegård', details: { legalType: 'PRIVATE', IBAN: 'DE89370400440532013000' } },
        reference: 'Drop tx_01JQ8Z6K4M2N7P9R3S5T – gave',
        quoteUuid: true,
        payments: 1,
        history: ['incoming_payment_waiting', 'processing', 'funds_converted', 'outgoing_payment_sent'],
      },
    );
    assert.deepEqual(await auto.fetchState(submission.partnerReference), {
      partnerReference: submission.partnerReference,
      state: 'paid',
      partnerState: 'outgoing_payment_sent',
    });
  });

  test('sent twice in a row with one idempotency key is one Wise transfer, funded once', async () => {
    const payout = order({ amountMinor: 5_000n });
    const first = await auto.send(payout);
    const second = await auto.send(payout);
    assert.equal(second.partnerReference, first.partnerReference);
    assert.ok(['processing', 'paid'].includes(second.state));
    const made = autoSim.transfers().filter((t) => t.customerTransactionId === payout.idempotencyKey);
    assert.deepEqual(
      made.map((t) => [String(t.id), t.amount, t.payments]),
      [[first.partnerReference, '50', 1]],
    );
  });

  test('sent five times at once with one idempotency key is one Wise transfer, funded once', async () => {
    const payout = order({ amountMinor: 777n });
    const results = await Promise.all(Array.from({ length: 5 }, () => manual.send(payout)));
    assert.deepEqual(new Set(results.map((r) => r.partnerReference)).size, 1);
    assert.deepEqual(
      results.map((r) => r.state),
      ['processing', 'processing', 'processing', 'processing', 'processing'],
    );
    const made = manualSim.transfers().filter((t) => t.customerTransactionId === payout.idempotencyKey);
    assert.equal(made.length, 1);
    assert.equal(made[0]?.payments, 1);
    assert.equal(made[0]?.amount, '7.77');
  });

  test('a retry after the funding answer was lost finds the funded transfer and funds nothing more', async () => {
    let dropFundingAnswer = true;
    const lossy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (dropFundingAnswer && String(input).endsWith('/payments')) {
        dropFundingAnswer = false;
        throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
      }
      return response;
    };
    const client = new WisePayoutPartner({
      baseUrl: `${origin}/wise-manual`,
      apiToken: TOKEN,
      profileId: 2002,
      webhookPublicKey: manualSim.publicKeyPem,
      fetch: lossy,
    });
    const payout = order({ amountMinor: 4_200n });
    await assert.rejects(client.send(payout), (error: unknown) => {
      assert.ok(error instanceof PayoutPartnerError);
      assert.equal(error.retryable, true);
      assert.match(error.message, /socket hang up/);
      return true;
    });
    const retried = await client.send(payout);
    const made = manualSim.transfers().filter((t) => t.customerTransactionId === payout.idempotencyKey);
    assert.deepEqual(
      made.map((t) => [String(t.id), t.state, t.payments]),
      [[retried.partnerReference, 'processing', 1]],
    );
    assert.equal(retried.state, 'processing');
  });

  test('a key already used for another amount is refused, not taken as this payout', async () => {
    const payout = order({ amountMinor: 10_000n });
    const first = await manual.send(payout);
    await assert.rejects(manual.send({ ...payout, amountMinor: 20_000n }), (error: unknown) => {
      assert.ok(error instanceof PayoutPartnerError);
      assert.equal(error.retryable, false);
      assert.match(error.message, new RegExp(`Wise transfer ${first.partnerReference} .* is 100 EUR, not the 200 EUR`));
      return true;
    });
    assert.equal(manualSim.transfers().filter((t) => t.customerTransactionId === payout.idempotencyKey).length, 1);
  });

  test('failing before the payout arrives as failed: cancelled, then funds_refunded', async () => {
    const submission = await manual.send(order({ amountMinor: 99_00n }));
    const decided = await control('/wise-manual', submission.partnerReference, 'failed');
    assert.equal(decided.status, 200);
    assert.equal((decided.body as { state: string }).state, 'funds_refunded');
    assert.deepEqual(await manualStatesUntilRefunded(submission.partnerReference), [
      ['incoming_payment_waiting', 'processing'],
      ['processing', 'processing'],
      ['cancelled', 'failed'],
      ['funds_refunded', 'failed'],
    ]);
    const again = await control('/wise-manual', submission.partnerReference, 'paid');
    assert.equal(again.status, 409);
    assert.match(JSON.stringify(again.body), /is funds_refunded: it cannot be paid/);
  });

  test('bouncing back after the payout arrives as returned, then failed', async () => {
    const submission = await manual.send(order({ amountMinor: 250_00n }));
    const early = await control('/wise-manual', submission.partnerReference, 'bounced_back');
    assert.equal(early.status, 409, 'a transfer not yet paid out cannot bounce');
    assert.equal((await control('/wise-manual', submission.partnerReference, 'paid')).status, 200);
    assert.equal((await control('/wise-manual', submission.partnerReference, 'bounced_back')).status, 200);
    assert.deepEqual(await manualStatesUntilRefunded(submission.partnerReference), [
      ['incoming_payment_waiting', 'processing'],
      ['processing', 'processing'],
      ['funds_converted', 'processing'],
      ['outgoing_payment_sent', 'paid'],
      ['bounced_back', 'returned'],
      ['funds_refunded', 'failed'],
    ]);
    assert.equal((await control('/wise-manual', 'nope', 'paid')).status, 404);
    assert.equal((await control('/wise-manual', submission.partnerReference, 'lost')).status, 400);
  });

  test("pays each rail with Wise's recipient type, and cuts the reference to the currency's limit", async () => {
    const reference = 'Drop tx_01JQ8Z6K4M2N7P9R3S5T thanks';
    const cases: Array<{ payout: PayoutOrder; expected: Partial<WiseSimTransferView> }> = [
      {
        payout: order({
          currency: 'GBP',
          reference,
          recipient: {
            name: 'Ola Nordmann',
            country: 'GB',
            rail: 'bank_account',
            details: { sortCode: '404784', accountNumber: '70872490' },
          },
        }),
        expected: {
          amount: '1234.56',
          currency: 'GBP',
          reference: 'Drop tx_01JQ8Z6K',
          recipient: {
            type: 'sort_code',
            accountHolderName: 'Ola Nordmann',
            details: { legalType: 'PRIVATE', sortCode: '404784', accountNumber: '70872490' },
          },
        },
      },
      {
        payout: order({
          currency: 'USD',
          reference,
          recipient: {
            name: 'Jane Q Public',
            country: 'US',
            rail: 'bank_account',
            details: { routingNumber: '021000021', accountNumber: '123456789', accountType: 'checking' },
          },
        }),
        expected: {
          currency: 'USD',
          reference: 'Drop tx_01',
          recipient: {
            type: 'aba',
            accountHolderName: 'Jane Q Public',
            details: { legalType: 'PRIVATE', abartn: '021000021', accountNumber: '123456789', accountType: 'CHECKING' },
          },
        },
      },
      {
        payout: order({
          currency: 'INR',
          reference,
          recipient: {
            name: 'Priya Sharma',
            country: 'IN',
            rail: 'bank_account',
            details: { ifsc: 'SBIN0000300', accountNumber: '12345678901' },
          },
        }),
        expected: {
          currency: 'INR',
          reference: 'Drop tx_01JQ8Z6K',
          recipient: {
            type: 'indian',
            accountHolderName: 'Priya Sharma',
            details: { legalType: 'PRIVATE', ifscCode: 'SBIN0000300', accountNumber: '12345678901' },
          },
        },
      },
      {
        payout: order({
          currency: 'THB',
          reference,
          recipient: {
            name: 'Somchai Jaidee',
            country: 'TH',
            rail: 'bank_account',
            details: { bankCode: '004', accountNumber: '1234567890' },
          },
        }),
        expected: {
          currency: 'THB',
          reference,
          recipient: {
            type: 'thailand',
            accountHolderName: 'Somchai Jaidee',
            details: { legalType: 'PRIVATE', bankCode: '004', accountNumber: '1234567890' },
          },
        },
      },
      {
        payout: order({
          currency: 'VND',
          amountMinor: 2_500_000n,
          reference,
          recipient: {
            name: 'Nguyễn Văn An',
            country: 'VN',
            rail: 'bank_account',
            details: { bankCode: '970436', accountNumber: '0011001234567' },
          },
        }),
        expected: { amount: '2500000', currency: 'VND', reference: 'Drop tx_01' },
      },
    ];
    for (const { payout, expected } of cases) {
      const submission = await manual.send(payout);
      const made = simTransfer(manualSim, submission.partnerReference);
      const picked = Object.fromEntries(Object.keys(expected).map((key) => [key, made[key as keyof WiseSimTransferView]]));
      assert.deepEqual(picked, expected, `${payout.currency} to ${payout.recipient.country}`);
    }
  });

  test('a recipient Wise would refuse is refused with its message, and retrying will not help', async () => {
    const payout = order({ recipient: { name: 'Cher', country: 'FR', rail: 'iban', details: { iban: 'FR1420041010050500013M02606' } } });
    await assert.rejects(manual.send(payout), (error: unknown) => {
      assert.ok(error instanceof PayoutPartnerError);
      assert.equal(error.retryable, false);
      assert.match(
        error.message,
        /Wise answered 422 for the recipient account: NOT_VALID: Please enter the recipient's first and last name\. \(accountHolderName\)/,
      );
      return true;
    });
  });
});

describe('Wise webhooks', () => {
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

  async function oneDelivery(): Promise<Delivery> {
    const submission = await manual.send(order({ amountMinor: 1_00n }));
    return waitFor('a delivery', () =>
      deliveries.find(
        (d) =>
          d.path === '/hooks/manual' &&
          d.answered === 200 &&
          manual.parseWebhook(d.raw, d.headers)?.partnerReference === submission.partnerReference,
      ),
    );
  }

  function signedBy(key: KeyObject, body: object): { raw: Buffer; headers: Record<string, string> } {
    const raw = Buffer.from(JSON.stringify(body));
    return { raw, headers: { 'x-signature-sha256': sign('sha256', raw, key).toString('base64'), 'x-delivery-id': randomUUID() } };
  }

  const stateChange = (profileId: number, extra: Record<string, unknown> = {}) => ({
    data: {
      resource: { type: 'transfer', id: 4242, profile_id: profileId, account_id: 333 },
      current_state: 'outgoing_payment_sent',
      previous_state: 'funds_converted',
      occurred_at: '2026-03-02T10:15:30.123Z',
      ...extra,
    },
    subscription_id: randomUUID(),
    event_type: 'transfers#state-change',
    schema_version: '4.0.0',
    sent_at: '2026-03-02T10:15:31.000Z',
  });

  test('a delivery whose body was changed, or that another key signed, or that is unsigned, is refused', async () => {
    const delivery = await oneDelivery();
    assert.ok(manual.parseWebhook(delivery.raw, delivery.headers), 'the delivery as sent is authentic');

    const tampered = Buffer.from(delivery.raw.toString('utf8').replace('incoming_payment_waiting', 'outgoing_payment_sent'));
    assert.notDeepEqual(tampered, delivery.raw);
    assert.throws(() => manual.parseWebhook(tampered, delivery.headers), WebhookSignatureError);

    const wrongKey = new WisePayoutPartner({ baseUrl: origin, apiToken: TOKEN, profileId: 2002, webhookPublicKey: otherKey.publicKey });
    assert.throws(() => wrongKey.parseWebhook(delivery.raw, delivery.headers), WebhookSignatureError);
    const otherSimulatorsKey = new WisePayoutPartner({
      baseUrl: origin,
      apiToken: TOKEN,
      profileId: 2002,
      webhookPublicKey: autoSim.publicKeyPem,
    });
    assert.throws(() => otherSimulatorsKey.parseWebhook(delivery.raw, delivery.headers), WebhookSignatureError);

    const { 'x-signature-sha256': _signature, ...unsigned } = delivery.headers;
    assert.throws(() => manual.parseWebhook(delivery.raw, unsigned), /no X-Signature-SHA256/);
    assert.throws(() => manual.parseWebhook(delivery.raw, unsigned), WebhookSignatureError);
    assert.throws(
      () => manual.parseWebhook(delivery.raw, { ...delivery.headers, 'x-signature-sha256': 'not base64 at all!' }),
      WebhookSignatureError,
    );
  });

  test("a test notification is authentic and reads as nothing, though its body looks like a transfer's", async () => {
    const response = await fetch(`${origin}/wise-sim/_simulator/test-notification`, { method: 'POST' });
    assert.equal(response.status, 202);
    const test = await waitFor('the test notification', () =>
      deliveries.find((d) => d.path === '/hooks/auto' && d.headers['x-test-notification'] === 'true'),
    );
    assert.equal(auto.parseWebhook(test.raw, test.headers), null);
    const { 'x-test-notification': _test, ...asIfReal } = test.headers;
    assert.equal(auto.parseWebhook(test.raw, asIfReal)?.partnerReference, '111', 'without the header it would be read');
    assert.throws(() => auto.parseWebhook(Buffer.concat([test.raw, Buffer.from(' ')]), test.headers), WebhookSignatureError);
  });

  test("other event types and other profiles' transfers read as nothing; a malformed event is an error", () => {
    const client = new WisePayoutPartner({ baseUrl: origin, apiToken: TOKEN, profileId: 2002, webhookPublicKey: otherKey.publicKey });
    const ours = signedBy(otherKey.privateKey, stateChange(2002));
    assert.deepEqual(client.parseWebhook(ours.raw, ours.headers), {
      partnerReference: '4242',
      state: 'paid',
      partnerState: 'outgoing_payment_sent',
      occurredAt: '2026-03-02T10:15:30.123Z',
      deliveryId: ours.headers['x-delivery-id'],
    });
    const activeCases = signedBy(otherKey.privateKey, { ...stateChange(2002), event_type: 'transfers#active-cases' });
    assert.equal(client.parseWebhook(activeCases.raw, activeCases.headers), null);
    const theirs = signedBy(otherKey.privateKey, stateChange(31337));
    assert.equal(client.parseWebhook(theirs.raw, theirs.headers), null);
    const malformed = signedBy(otherKey.privateKey, stateChange(2002, { occurred_at: 'yesterday' }));
    assert.throws(
      () => client.parseWebhook(malformed.raw, malformed.headers),
      (error: unknown) => error instanceof Error && !(error instanceof WebhookSignatureError) && /malformed/.test(error.message),
    );
  });

  test('a delivery Drop does not accept is retried, with a new X-Delivery-Id each attempt', async () => {
    await manualSim.settled(); // earlier tests' deliveries must not take the planned answers
    receiverPlan.set('/hooks/manual', [500, 503]);
    const submission = await manual.send(order({ amountMinor: 3_00n }));
    await manualSim.settled();
    const attempts = deliveries.filter(
      (d) => d.path === '/hooks/manual' && JSON.parse(d.raw.toString('utf8')).data.resource.id === Number(submission.partnerReference),
    );
    assert.deepEqual(
      attempts.map((d) => [JSON.parse(d.raw.toString('utf8')).data.current_state, d.answered]),
      [
        ['incoming_payment_waiting', 500],
        ['incoming_payment_waiting', 503],
        ['incoming_payment_waiting', 200],
        ['processing', 200],
      ],
    );
    assert.equal(new Set(attempts.map((d) => d.headers['x-delivery-id'])).size, 4);
    assert.ok(
      attempts.slice(0, 3).every((d) => d.raw.equals(attempts[0]?.raw ?? Buffer.alloc(0))),
      'a retry sends the same bytes',
    );
  });
});

describe('the Wise API as the simulator serves it', () => {
  test("wants a bearer token and the simulator's own profile, and publishes its key", async () => {
    const noToken = await fetch(`${origin}/wise-sim/v1/transfers/50000001`);
    assert.equal(noToken.status, 401);
    assert.equal(((await noToken.json()) as { error: string }).error, 'unauthorized');
    const otherProfile = await fetch(`${origin}/wise-sim/v3/profiles/9999/quotes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sourceCurrency: 'EUR', targetCurrency: 'EUR', targetAmount: 10 }),
    });
    assert.equal(otherProfile.status, 403);
    const key = await fetch(`${origin}/wise-sim/_simulator/public-key`);
    assert.equal(await key.text(), autoSim.publicKeyPem);
    assert.match(autoSim.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  });

  test('refuses to fund a transfer twice, as Wise does', async () => {
    const submission = await manual.send(order({ amountMinor: 12_00n }));
    const again = await fetch(`${origin}/wise-manual/v3/profiles/2002/transfers/${submission.partnerReference}/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'BALANCE' }),
    });
    assert.equal(again.status, 422);
    assert.equal(((await again.json()) as { errors: Array<{ code: string }> }).errors[0]?.code, 'transfer.invalid-state');
    assert.equal(simTransfer(manualSim, submission.partnerReference).payments, 1);
  });
});

describe('WisePayoutPartner with a fake fetch', () => {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;

  /** Wise as a table: the first route whose path ends like the request's answers it. */
  function fakeWise(routes: Array<[suffix: string, answer: () => Response | Promise<Response>]>) {
    const calls: Array<{ method: string; url: string; body: string | undefined; authorization: string | undefined }> = [];
    const fetchFn: typeof fetch = async (input, init) => {
      const url = String(input);
      const headers = (init?.headers ?? {}) as Record<string, string>;
      calls.push({ method: init?.method ?? 'GET', url, body: init?.body as string | undefined, authorization: headers.authorization });
      const route = routes.find(([suffix]) => new URL(url).pathname.endsWith(suffix));
      if (!route) throw new Error(`unexpected call ${url}`);
      return route[1]();
    };
    const client = new WisePayoutPartner({
      baseUrl: 'https://wise.test/',
      apiToken: TOKEN,
      profileId: 1001,
      webhookPublicKey: key,
      fetch: fetchFn,
      timeoutMs: 50,
    });
    return { client, calls };
  }

  const json = (status: number, body: unknown) => () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const account = json(200, { id: 7 });
  const quote = json(200, { id: randomUUID(), sourceCurrency: 'EUR', targetCurrency: 'EUR', rate: 1 });
  const transfer = (payout: PayoutOrder, status = 'incoming_payment_waiting') =>
    json(200, { id: 99, status, targetCurrency: 'EUR', targetValue: 1234.56, customerTransactionId: payout.idempotencyKey });

  async function refusal(promise: Promise<unknown>): Promise<PayoutPartnerError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof PayoutPartnerError, `a PayoutPartnerError, not ${String(error)}`);
      return error;
    }
    assert.fail('expected a refusal');
  }

  test('sends the exact amount, the token, and the four calls in order', async () => {
    const payout = order();
    const { client, calls } = fakeWise([
      ['/v1/accounts', account],
      ['/quotes', quote],
      ['/v1/transfers', transfer(payout)],
      ['/payments', json(201, { type: 'BALANCE', status: 'COMPLETED', errorCode: null })],
    ]);
    assert.deepEqual(await client.send(payout), { partnerReference: '99', state: 'processing' });
    assert.deepEqual(
      calls.map((c) => `${c.method} ${new URL(c.url).pathname}`),
      ['POST /v1/accounts', 'POST /v3/profiles/1001/quotes', 'POST /v1/transfers', 'POST /v3/profiles/1001/transfers/99/payments'],
    );
    assert.ok(calls.every((c) => c.authorization === `Bearer ${TOKEN}`));
    assert.match(calls[1]?.body ?? '', /"targetAmount":1234\.56,/);
    assert.deepEqual(JSON.parse(calls[1]?.body ?? '{}'), {
      sourceCurrency: 'EUR',
      targetCurrency: 'EUR',
      targetAmount: 1234.56,
      targetAccount: 7,
      payOut: 'BANK_TRANSFER',
      preferredPayIn: 'BALANCE',
    });
    const created = JSON.parse(calls[2]?.body ?? '{}');
    assert.deepEqual(created, {
      targetAccount: 7,
      quoteUuid: created.quoteUuid,
      customerTransactionId: payout.idempotencyKey,
      details: { reference: 'Drop tx_01JQ8Z6K4M2N7P9R3S5T – gave' },
    });
    assert.match(created.quoteUuid, UUID);
    assert.deepEqual(JSON.parse(calls[3]?.body ?? '{}'), { type: 'BALANCE' });
  });

  test('a 500 is retryable, a 400 is not and carries what Wise said', async () => {
    const payout = order();
    const serverError = await refusal(
      fakeWise([['/v1/accounts', json(500, { errors: [{ code: 'ERROR', message: 'Internal error' }] })]]).client.send(payout),
    );
    assert.equal(serverError.retryable, true);
    assert.match(serverError.message, /Wise answered 500 for the recipient account: ERROR: Internal error/);

    const badRequest = await refusal(
      fakeWise([
        ['/v1/accounts', account],
        [
          '/quotes',
          json(400, {
            errors: [
              {
                code: 'error.greaterThanZero',
                message: "Please type in a number that's larger than 0.",
                path: 'targetAmount',
                arguments: [],
              },
            ],
          }),
        ],
      ]).client.send(payout),
    );
    assert.equal(badRequest.retryable, false);
    assert.match(
      badRequest.message,
      /400 for the quote: error\.greaterThanZero: Please type in a number that's larger than 0\. \(targetAmount\)/,
    );

    const unauthorized = await refusal(
      fakeWise([['/v1/accounts', json(401, { error: 'invalid_token', error_description: 'Invalid token' })]]).client.send(payout),
    );
    assert.equal(unauthorized.retryable, false);
    assert.match(unauthorized.message, /401 .*invalid_token: Invalid token/);
  });

  test('429, network errors, timeouts and unreadable answers are retryable', async () => {
    const payout = order();
    const limited = await refusal(fakeWise([['/v1/accounts', json(429, { message: 'Too many requests' })]]).client.send(payout));
    assert.equal(limited.retryable, true);

    const down = await refusal(
      fakeWise([
        ['/v1/accounts', () => Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:443') }))],
      ]).client.send(payout),
    );
    assert.deepEqual([down.retryable, /ECONNREFUSED/.test(down.message)], [true, true]);

    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const slow = new WisePayoutPartner({
      baseUrl: 'https://wise.test',
      apiToken: TOKEN,
      profileId: 1001,
      webhookPublicKey: key,
      fetch: hanging,
      timeoutMs: 30,
    });
    const timedOut = await refusal(slow.send(payout));
    assert.deepEqual([timedOut.retryable, timedOut.message], [true, 'Wise POST /v1/accounts failed: no answer within 30 ms']);

    const html = await refusal(
      fakeWise([
        ['/v1/accounts', account],
        ['/quotes', quote],
        ['/v1/transfers', () => new Response('<html>Bad gateway</html>', { status: 200 })],
      ]).client.send(payout),
    );
    assert.equal(html.retryable, true, 'Wise may have made the transfer: it must be retried, not failed');
  });

  test('funding: done when Wise says it is funded already, retryable on insufficient funds, refused on SCA', async () => {
    const payout = order();
    const already = fakeWise([
      ['/v1/accounts', account],
      ['/quotes', quote],
      ['/v1/transfers', transfer(payout)],
      ['/payments', json(422, { errors: [{ code: 'transfer.invalid-state', message: 'Transfer is not in a state to be funded' }] })],
      ['/v1/transfers/99', json(200, { id: 99, status: 'funds_converted', targetCurrency: 'EUR', targetValue: 1234.56 })],
    ]);
    assert.deepEqual(await already.client.send(payout), { partnerReference: '99', state: 'processing' });
    assert.deepEqual(already.calls.at(-1)?.method, 'GET');

    const cancelled = fakeWise([
      ['/v1/accounts', account],
      ['/quotes', quote],
      ['/v1/transfers', transfer(payout)],
      ['/payments', json(200, { type: 'BALANCE', status: 'REJECTED', errorCode: 'transfer.invalid-state' })],
      ['/v1/transfers/99', json(200, { id: 99, status: 'cancelled', targetCurrency: 'EUR', targetValue: 1234.56 })],
    ]);
    assert.deepEqual(await cancelled.client.send(payout), { partnerReference: '99', state: 'failed' });

    const paidAlready = fakeWise([
      ['/v1/accounts', account],
      ['/quotes', quote],
      ['/v1/transfers', transfer(payout, 'outgoing_payment_sent')],
    ]);
    assert.deepEqual(await paidAlready.client.send(payout), { partnerReference: '99', state: 'paid' });
    assert.equal(paidAlready.calls.length, 3, 'a transfer past waiting is not funded again');

    const poor = await refusal(
      fakeWise([
        ['/v1/accounts', account],
        ['/quotes', quote],
        ['/v1/transfers', transfer(payout)],
        ['/payments', json(200, { type: 'BALANCE', status: 'REJECTED', errorCode: 'transfer.insufficient_funds' })],
      ]).client.send(payout),
    );
    assert.deepEqual([poor.retryable, /insufficient_funds/.test(poor.message)], [true, true]);

    const sca = await refusal(
      fakeWise([
        ['/v1/accounts', account],
        ['/quotes', quote],
        ['/v1/transfers', transfer(payout)],
        ['/payments', json(403, { errors: [{ code: 'SCA_REQUIRED', message: 'This request requires strong customer authentication' }] })],
      ]).client.send(payout),
    );
    assert.equal(sca.retryable, false);
  });

  test('an order Wise cannot take is refused before any call', async () => {
    const { client, calls } = fakeWise([]);
    for (const [payout, why] of [
      [order({ idempotencyKey: 'tx_01-retry-1' }), /must be a UUID/],
      [
        order({
          currency: 'GBP',
          recipient: { name: 'Ola Nordmann', country: 'GB', rail: 'bank_account', details: { accountNumber: '70872490' } },
        }),
        /no sortCode/,
      ],
      [order({ currency: 'XXX' }), /XXX/],
      [order({ amountMinor: 0n }), /more than zero/],
      [
        order({
          currency: 'USD',
          recipient: {
            name: 'Jane Q Public',
            country: 'US',
            rail: 'bank_account',
            details: { routingNumber: '021000021', accountNumber: '1234', accountType: 'money market' },
          },
        }),
        /neither checking nor savings/,
      ],
    ] as const) {
      const error = await refusal(client.send(payout));
      assert.equal(error.retryable, false);
      assert.match(error.message, why);
    }
    assert.equal(calls.length, 0);
  });
});

describe('Wise mapping', () => {
  test("Wise's transfer states in Drop's words", () => {
    assert.deepEqual(
      [...WISE_TRANSFER_STATES, 'some_new_state'].map((state) => [state, payoutStateOfWise(state)]),
      [
        ['incoming_payment_waiting', 'processing'],
        ['incoming_payment_initiated', 'processing'],
        ['processing', 'processing'],
        ['funds_converted', 'processing'],
        ['outgoing_payment_sent', 'paid'],
        ['bounced_back', 'returned'],
        ['cancelled', 'failed'],
        ['funds_refunded', 'failed'],
        ['charged_back', 'failed'],
        ['some_new_state', 'processing'],
      ],
    );
  });

  test('amounts become exact decimal numbers of major units', () => {
    assert.deepEqual(
      [
        wiseAmount(123_456n, 'EUR'),
        wiseAmount(1n, 'EUR'),
        wiseAmount(10n, 'GBP'),
        wiseAmount(100n, 'NOK'),
        wiseAmount(2_500_000n, 'VND'),
        wiseAmount(10n ** 15n - 1n, 'USD'),
      ],
      [
        { text: '1234.56', value: 1234.56 },
        { text: '0.01', value: 0.01 },
        { text: '0.1', value: 0.1 },
        { text: '1', value: 1 },
        { text: '2500000', value: 2_500_000 },
        { text: '9999999999999.99', value: 9999999999999.99 },
      ],
    );
    assert.equal(JSON.stringify({ targetAmount: wiseAmount(10n ** 15n - 1n, 'USD').value }), '{"targetAmount":9999999999999.99}');
    assert.throws(() => wiseAmount(10n ** 17n + 1n, 'EUR'), /cannot be sent exactly/);
    assert.throws(() => wiseAmount(-5n, 'EUR'), /more than zero/);
  });

  test('references are cut per currency, by characters', () => {
    const long = 'Drop tx_01JQ8Z6K4M2N7P9R3S5T for Åse Ødegård, with love';
    assert.deepEqual(
      ['EUR', 'USD', 'GBP', 'SEK', 'THB', 'TRY'].map((currency) => wiseReference(long, currency)),
      [
        'Drop tx_01JQ8Z6K4M2N7P9R3S5T for Ås',
        'Drop tx_01',
        'Drop tx_01JQ8Z6K',
        'Drop tx_01JQ',
        'Drop tx_01JQ8Z6K4M2N7P9R3S5T for Åse Ødegård, with',
        'Drop tx_01',
      ],
    );
    // Ten characters, not ten UTF-16 units: an emoji is never cut in half.
    assert.equal(wiseReference('Gave 🎁🎁🎁🎁🎁🎁', 'USD'), 'Gave 🎁🎁🎁🎁🎁');
    assert.equal(wiseReference('  a   b  ', 'EUR'), 'a b');
  });

  test('an IBAN recipient is an iban account of Drop’s profile', () => {
    assert.deepEqual(wiseRecipientAccount(order().recipient, 'EUR', 1001), {
      currency: 'EUR',
      type: 'iban',
      profile: 1001,
      accountHolderName: 'Åse Ødegård',
      ownedByCustomer: false,
      details: { legalType: 'PRIVATE', IBAN: 'DE89370400440532013000' },
    });
  });
});
