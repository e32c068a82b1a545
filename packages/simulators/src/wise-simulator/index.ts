/**
 * A local Wise Platform for development and tests (the server should mount it only when its
 * setting is on, never in production). It speaks the part of Wise's API that Drop's payout client
 * uses (packages/integrations/src/wise/), with Wise's paths, shapes and status codes:
 *
 *   POST <prefix>/v3/profiles/{profileId}/quotes                       authenticated quote (same currency only)
 *   POST <prefix>/v1/accounts                                          recipient account
 *   POST <prefix>/v1/transfers                                         idempotent on customerTransactionId
 *   GET  <prefix>/v1/transfers/{transferId}
 *   POST <prefix>/v3/profiles/{profileId}/transfers/{transferId}/payments   {type: BALANCE}; 422 transfer.invalid-state the second time
 *
 * Every call needs `Authorization: Bearer <any non-empty token>` (401 otherwise), and the profile
 * in a path or body must be the simulator's (403 otherwise). Errors have Wise's shapes:
 * `{errors: [{code, message, path, arguments}]}`, and `{error, error_description}` for 401.
 *
 * Each state change is POSTed to `webhookUrl` as a `transfers#state-change` event (schema 4.0.0),
 * signed with an RSA key pair made at registration (see webhooks.ts); Drop verifies it with
 * `publicKeyPem`, also served at `GET <prefix>/_simulator/public-key`. After funding, a transfer
 * goes processing → funds_converted → outgoing_payment_sent within `payDelayMs` when
 * `autoOutcome` is 'paid' (the default); with 'manual' it stays processing until told.
 *
 * Control API for tests and demos (no token):
 *   POST <prefix>/_simulator/transfers/{id}/outcome   {outcome: paid | failed | bounced_back}
 *   GET  <prefix>/_simulator/transfers                every transfer, with its fundings and history
 *   POST <prefix>/_simulator/test-notification        a signed delivery with X-Test-Notification: true
 *
 * Not simulated: currency conversion (a quote must be same-currency), fees (always 0), balances
 * (always enough), SCA, address requirements, account-requirements and transfer-requirements.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { validIban } from '@drop/check-digits';
import { currencyDecimals } from '@drop/core';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SimulatorLogger } from '../logger.ts';
import { OUTCOMES, type Outcome, type SimAccount, type SimTransfer, type StateChange, WiseSimStore, WiseSimulatorError } from './state.ts';
import { type WiseDelivery, WiseWebhookDispatcher } from './webhooks.ts';

export type { Outcome, WiseState } from './state.ts';
export { OUTCOMES, WiseSimulatorError } from './state.ts';
export type { WiseDelivery } from './webhooks.ts';

export interface WiseSimulatorOptions {
  /** e.g. '/wise-sim'; Drop's client then uses `${publicUrl}/wise-sim` as its baseUrl. */
  prefix: string;
  /** Drop's webhook receiver; a function is asked at each delivery (useful before the port is known). */
  webhookUrl: string | (() => string);
  clock?: () => Date;
  /** 'paid' (default): funded transfers pay out by themselves after payDelayMs; 'manual': they wait for the control API. */
  autoOutcome?: 'paid' | 'manual';
  /** Funding to outgoing_payment_sent, with funds_converted half-way (default 1000 ms). */
  payDelayMs?: number;
  /** The one profile the simulator holds (default 1001). */
  profileId?: number;
  /** Waits between webhook attempts (default 200 ms, 1 s, 3 s: 4 attempts). */
  webhookRetryDelaysMs?: readonly number[];
  /** A webhook answer slower than this counts as a failed attempt (default 5 s). */
  webhookTimeoutMs?: number;
  logger?: SimulatorLogger;
}

/** A transfer as the control API lists it. */
export interface WiseSimTransferView {
  id: number;
  customerTransactionId: string;
  state: string;
  /** Decimal major units, exactly as the quote's JSON number. */
  amount: string;
  currency: string;
  targetAccount: number;
  recipient: { type: string; accountHolderName: string; details: Record<string, unknown> } | undefined;
  reference: string;
  quoteUuid: string;
  /** Completed fundings from the balance: 1 for a paid transfer, never more. */
  payments: number;
  history: Array<{ state: string; at: string }>;
}

export interface WiseSimulator {
  readonly profileId: number;
  readonly publicKeyPem: string;
  transfers(): WiseSimTransferView[];
  /** What `POST <prefix>/_simulator/transfers/{id}/outcome` does; throws WiseSimulatorError (404, 409). */
  decide(transferId: number, outcome: Outcome): WiseSimTransferView;
  /** Sends a signed test notification, as Wise does when a subscription is made. */
  sendTestNotification(): void;
  deliveries(): WiseDelivery[];
  /** Resolves when no webhook delivery is queued or in progress. */
  settled(): Promise<void>;
}

const JSON_LIMIT_BYTES = 64 * 1024;
const USER_ID = 9001;
const QUOTE_LIFETIME_MS = 30 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURRENCY = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code');

/** Statement reference limits per currency (Wise Help Centre); 10 where it names none. */
const REFERENCE_LIMITS: Readonly<Record<string, number>> = {
  AUD: 18,
  CAD: 50,
  CHF: 50,
  CZK: 25,
  DKK: 35,
  EUR: 35,
  GBP: 16,
  HUF: 35,
  INR: 16,
  LKR: 35,
  NOK: 35,
  NZD: 12,
  PHP: 35,
  PLN: 35,
  RON: 30,
  SEK: 12,
  SGD: 25,
  THB: 50,
  USD: 10,
};

const quoteBody = z.looseObject({
  sourceCurrency: CURRENCY,
  targetCurrency: CURRENCY,
  sourceAmount: z.number().positive().nullish(),
  targetAmount: z.number().positive().nullish(),
  targetAccount: z.number().int().positive().nullish(),
  payOut: z.string().nullish(),
  preferredPayIn: z.string().nullish(),
  profile: z.number().int().nullish(),
});

const accountBody = z.looseObject({
  currency: CURRENCY,
  type: z.string().min(1),
  profile: z.number().int(),
  accountHolderName: z.string().trim().min(1).max(140),
  ownedByCustomer: z.boolean().optional(),
  details: z.record(z.string(), z.unknown()),
});

const transferBody = z.looseObject({
  targetAccount: z.number().int().positive(),
  quoteUuid: z.string().min(1),
  customerTransactionId: z.string().regex(UUID, 'must be a UUID'),
  details: z.looseObject({ reference: z.string().optional() }).optional(),
});

const fundingBody = z.looseObject({ type: z.string() });
const outcomeBody = z.object({ outcome: z.enum(OUTCOMES) });

function normalisePrefix(value: string): string {
  const prefix = value.replace(/\/+$/, '');
  if (!prefix.startsWith('/') || prefix.length < 2 || /[?#\s]/.test(prefix)) {
    throw new Error(`Wise simulator: prefix must be a path like '/wise-sim', not '${value}'`);
  }
  return prefix;
}

/** Wise's timestamps on transfers: "2017-11-24 10:47:49" (UTC). */
function wiseTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function sendError(reply: FastifyReply, error: WiseSimulatorError): FastifyReply {
  return reply
    .code(error.status)
    .type('application/json')
    .send({ errors: [{ code: error.code, message: error.message, path: error.path ?? null, arguments: [] }] });
}

function invalid(error: z.ZodError): WiseSimulatorError {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  return new WiseSimulatorError(422, 'NOT_VALID', `${path || 'body'}: ${issue?.message ?? 'invalid'}`, path || undefined);
}

/** The JSON body, parsed here so a malformed one gets Wise's error shape. */
function jsonBody(request: FastifyRequest): unknown {
  if (typeof request.body !== 'string' || request.body === '') {
    throw new WiseSimulatorError(400, 'error.body.missing', 'A JSON body is required');
  }
  try {
    return JSON.parse(request.body);
  } catch {
    throw new WiseSimulatorError(400, 'error.body.malformed', 'The body is not valid JSON');
  }
}

/** How many decimals a JSON number carries ("1234.5" → 1). */
function decimalsOf(value: number): number {
  const text = String(value);
  if (/e/i.test(text)) return Number.POSITIVE_INFINITY;
  return text.split('.')[1]?.length ?? 0;
}

/** Wise's checks on a recipient account's details, for the types Drop uses; the country it implies. */
function checkAccount(type: string, details: Record<string, unknown>): string | null {
  const field = (name: string, pattern: RegExp, message: string): string => {
    const value = details[name];
    if (typeof value !== 'string' || !pattern.test(value)) throw new WiseSimulatorError(422, 'NOT_VALID', message, `details.${name}`);
    return value;
  };
  const legalType = details.legalType;
  if (legalType !== 'PRIVATE' && legalType !== 'BUSINESS') {
    throw new WiseSimulatorError(422, 'NOT_VALID', 'Please choose PRIVATE or BUSINESS.', 'details.legalType');
  }
  switch (type) {
    case 'iban': {
      const iban = field('IBAN', /^[A-Z0-9]{15,34}$/, 'Please specify a valid IBAN.');
      if (validIban(iban) === undefined) throw new WiseSimulatorError(422, 'NOT_VALID', 'Please specify a valid IBAN.', 'details.IBAN');
      return iban.slice(0, 2);
    }
    case 'sort_code':
      field('sortCode', /^\d{6}$/, 'Please specify a valid sort code.');
      field('accountNumber', /^\d{8}$/, 'Please specify a valid account number.');
      return 'GB';
    case 'aba':
      field('abartn', /^\d{9}$/, 'Please specify a valid routing number.');
      field('accountNumber', /^\d{4,17}$/, 'Please specify a valid account number.');
      field('accountType', /^(CHECKING|SAVINGS)$/, 'Please choose CHECKING or SAVINGS.');
      return 'US';
    case 'indian':
      field('ifscCode', /^[A-Z]{4}0[A-Z0-9]{6}$/, 'Please specify a valid IFSC code.');
      field('accountNumber', /^\d{9,18}$/, 'Please specify a valid account number.');
      return 'IN';
    default:
      if (Object.keys(details).length < 2) throw new WiseSimulatorError(422, 'NOT_VALID', 'Please specify the account details.', 'details');
      return null;
  }
}

function accountJson(account: SimAccount, profileId: number): Record<string, unknown> {
  return {
    id: account.id,
    business: profileId,
    profile: profileId,
    accountHolderName: account.accountHolderName,
    currency: account.currency,
    country: account.country,
    type: account.type,
    details: { address: null, email: null, ...account.details },
    user: USER_ID,
    active: true,
    ownedByCustomer: false,
  };
}

function transferJson(transfer: SimTransfer, profileId: number): Record<string, unknown> {
  return {
    id: transfer.id,
    user: USER_ID,
    targetAccount: transfer.targetAccount,
    sourceAccount: null,
    quote: null,
    quoteUuid: transfer.quoteUuid,
    status: transfer.state,
    reference: transfer.reference,
    rate: 1,
    created: wiseTimestamp(transfer.createdAt),
    business: profileId,
    transferRequest: null,
    details: { reference: transfer.reference },
    hasActiveIssues: false,
    sourceCurrency: transfer.currency,
    sourceValue: transfer.value,
    targetCurrency: transfer.currency,
    targetValue: transfer.value,
    customerTransactionId: transfer.customerTransactionId,
  };
}

export async function registerWiseSimulator(app: FastifyInstance, options: WiseSimulatorOptions): Promise<WiseSimulator> {
  const prefix = normalisePrefix(options.prefix);
  const clock = options.clock ?? (() => new Date());
  const profileId = options.profileId ?? 1001;
  const autoOutcome = options.autoOutcome ?? 'paid';
  const payDelayMs = options.payDelayMs ?? 1000;
  if (!Number.isSafeInteger(profileId) || profileId <= 0) throw new Error('Wise simulator: profileId must be a positive integer');
  if (!(payDelayMs >= 0)) throw new Error('Wise simulator: payDelayMs must not be negative');
  const webhookUrl = typeof options.webhookUrl === 'function' ? options.webhookUrl : () => options.webhookUrl as string;
  const logger: SimulatorLogger = options.logger ?? {
    info: (o, m) => app.log.info(o, m),
    warn: (o, m) => app.log.warn(o, m),
  };

  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const subscriptionId = randomUUID();
  const dispatcher = new WiseWebhookDispatcher({
    url: webhookUrl,
    privateKey,
    retryDelaysMs: options.webhookRetryDelaysMs ?? [200, 1000, 3000],
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    logger,
    keep: 1000,
  });

  function eventBody(input: {
    transferId: number;
    accountId: number;
    current: string;
    previous: string | null;
    occurredAt: string;
  }): string {
    // Field order like Wise's example payload; the signature covers exactly these bytes.
    return JSON.stringify({
      data: {
        resource: { type: 'transfer', id: input.transferId, profile_id: profileId, account_id: input.accountId },
        current_state: input.current,
        previous_state: input.previous,
        occurred_at: input.occurredAt,
      },
      subscription_id: subscriptionId,
      event_type: 'transfers#state-change',
      schema_version: '4.0.0',
      sent_at: clock().toISOString(),
    });
  }

  function onChange({ transfer, previous, current, occurredAt }: StateChange): void {
    logger.info({ transferId: transfer.id, from: previous, to: current }, 'Wise simulator: transfer state changed');
    dispatcher.enqueue({
      key: String(transfer.id),
      transferId: transfer.id,
      eventType: 'transfers#state-change',
      currentState: current,
      body: eventBody({ transferId: transfer.id, accountId: transfer.targetAccount, current, previous, occurredAt }),
    });
  }

  const store = new WiseSimStore({ clock, onChange });
  /** Pending automatic steps per transfer, cancelled by a manual outcome or by closing. */
  const timers = new Map<number, NodeJS.Timeout[]>();

  function cancelTimers(transferId: number): void {
    for (const timer of timers.get(transferId) ?? []) clearTimeout(timer);
    timers.delete(transferId);
  }

  function schedulePayout(transfer: SimTransfer): void {
    if (autoOutcome !== 'paid') return;
    const step = (delayMs: number, from: 'processing' | 'funds_converted', to: 'funds_converted' | 'outgoing_payment_sent') => {
      const timer = setTimeout(() => store.advance(transfer, from, to), delayMs);
      timer.unref();
      return timer;
    };
    timers.set(transfer.id, [
      step(Math.floor(payDelayMs / 2), 'processing', 'funds_converted'),
      step(payDelayMs, 'funds_converted', 'outgoing_payment_sent'),
    ]);
  }

  function view(transfer: SimTransfer): WiseSimTransferView {
    const account = store.account(transfer.targetAccount);
    return {
      id: transfer.id,
      customerTransactionId: transfer.customerTransactionId,
      state: transfer.state,
      amount: transfer.amount,
      currency: transfer.currency,
      targetAccount: transfer.targetAccount,
      recipient: account && { type: account.type, accountHolderName: account.accountHolderName, details: { ...account.details } },
      reference: transfer.reference,
      quoteUuid: transfer.quoteUuid,
      payments: transfer.payments,
      history: transfer.history.map((entry) => ({ ...entry })),
    };
  }

  function decide(transferId: number, outcome: Outcome): WiseSimTransferView {
    if (!OUTCOMES.includes(outcome)) throw new WiseSimulatorError(400, 'simulator.invalid-outcome', `Unknown outcome '${String(outcome)}'`);
    const transfer = store.transfer(transferId);
    if (!transfer) throw new WiseSimulatorError(404, 'transfer.not-found', `Transfer ${transferId} does not exist`);
    store.decide(transfer, outcome);
    cancelTimers(transfer.id);
    return view(transfer);
  }

  function sendTestNotification(): void {
    dispatcher.enqueue({
      key: 'test-notification',
      eventType: 'transfers#state-change',
      test: true,
      body: eventBody({
        transferId: 111,
        accountId: 333,
        current: 'processing',
        previous: 'incoming_payment_waiting',
        occurredAt: clock().toISOString(),
      }),
    });
  }

  // ---- Wise's API ------------------------------------------------------------------------------

  function authorize(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      return reply
        .code(401)
        .type('application/json')
        .send({ error: 'unauthorized', error_description: 'Full authentication is required to access this resource' });
    }
    return undefined;
  }

  function ownProfile(value: unknown): void {
    if (String(value) !== String(profileId)) {
      throw new WiseSimulatorError(403, 'error.profile.forbidden', `Profile ${String(value)} is not accessible with this token`, 'profile');
    }
  }

  /** Runs a Wise API handler: token first, then Wise-shaped errors for refusals. */
  const api =
    <P>(handler: (request: FastifyRequest<{ Params: P }>, reply: FastifyReply) => FastifyReply) =>
    async (request: FastifyRequest<{ Params: P }>, reply: FastifyReply): Promise<FastifyReply> => {
      const refused = authorize(request, reply);
      if (refused) return refused;
      try {
        return handler(request, reply);
      } catch (error) {
        if (error instanceof WiseSimulatorError) return sendError(reply, error);
        throw error;
      }
    };

  const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/json').send(body);

  function transferParam(value: string): SimTransfer {
    const transfer = /^\d{1,15}$/.test(value) ? store.transfer(Number(value)) : undefined;
    if (!transfer) throw new WiseSimulatorError(404, 'transfer.not-found', `Transfer ${value} does not exist`, 'transferId');
    return transfer;
  }

  const routes: FastifyPluginAsync = async (scope) => {
    // The simulator reads its JSON itself (Wise's error shapes for malformed bodies).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: JSON_LIMIT_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    scope.addHook('onClose', async () => {
      dispatcher.stop();
      for (const id of [...timers.keys()]) cancelTimers(id);
    });

    scope.post<{ Params: { profileId: string } }>(
      `${prefix}/v3/profiles/:profileId/quotes`,
      api((request, reply) => {
        ownProfile(request.params.profileId);
        const parsed = quoteBody.safeParse(jsonBody(request));
        if (!parsed.success) throw invalid(parsed.error);
        const body = parsed.data;
        if (body.profile != null) ownProfile(body.profile);
        const given = [body.sourceAmount, body.targetAmount].filter((amount) => amount != null);
        if (given.length !== 1)
          throw new WiseSimulatorError(422, 'NOT_VALID', 'Specify either sourceAmount or targetAmount', 'targetAmount');
        if (body.sourceCurrency !== body.targetCurrency) {
          throw new WiseSimulatorError(422, 'error.route.unsupported', 'The simulator quotes same-currency payouts from a balance only');
        }
        let decimals: number;
        try {
          decimals = currencyDecimals(body.targetCurrency);
        } catch {
          throw new WiseSimulatorError(422, 'error.currency.unsupported', `${body.targetCurrency} is not supported`, 'targetCurrency');
        }
        const value = given[0] as number;
        const path = body.targetAmount != null ? 'targetAmount' : 'sourceAmount';
        if (decimalsOf(value) > decimals) {
          throw new WiseSimulatorError(422, 'NOT_VALID', `${body.targetCurrency} amounts have at most ${decimals} decimals`, path);
        }
        if (body.targetAccount != null) {
          const account = store.account(body.targetAccount);
          if (!account || account.currency !== body.targetCurrency) {
            throw new WiseSimulatorError(
              422,
              'error.targetAccount.invalid',
              'The recipient account is unknown or in another currency',
              'targetAccount',
            );
          }
        }
        const now = clock();
        const quote = store.addQuote({
          id: randomUUID(),
          currency: body.targetCurrency,
          amount: String(value),
          value,
          providedAmountType: body.targetAmount != null ? 'TARGET' : 'SOURCE',
          targetAccount: body.targetAccount ?? null,
          createdAt: now,
          expiresAt: new Date(now.getTime() + QUOTE_LIFETIME_MS),
          usedBy: undefined,
        });
        const payIn = body.preferredPayIn ?? 'BANK_TRANSFER';
        const payOut = body.payOut ?? 'BANK_TRANSFER';
        return json(reply, 200, {
          id: quote.id,
          sourceCurrency: quote.currency,
          targetCurrency: quote.currency,
          sourceAmount: value,
          targetAmount: value,
          payOut,
          preferredPayIn: payIn,
          rate: 1,
          createdTime: now.toISOString(),
          user: USER_ID,
          profile: profileId,
          rateType: 'FIXED',
          rateExpirationTime: quote.expiresAt.toISOString(),
          providedAmountType: quote.providedAmountType,
          status: 'PENDING',
          expirationTime: quote.expiresAt.toISOString(),
          targetAccount: quote.targetAccount,
          notices: [],
          paymentOptions: [
            {
              disabled: false,
              estimatedDelivery: new Date(now.getTime() + payDelayMs).toISOString(),
              formattedEstimatedDelivery: 'in seconds',
              estimatedDeliveryDelays: [],
              fee: { transferwise: 0, payIn: 0, discount: 0, partner: 0, total: 0 },
              feePercentage: 0,
              sourceAmount: value,
              targetAmount: value,
              sourceCurrency: quote.currency,
              targetCurrency: quote.currency,
              payIn,
              payOut,
              allowedProfileTypes: ['PERSONAL', 'BUSINESS'],
            },
          ],
        });
      }),
    );

    scope.post(
      `${prefix}/v1/accounts`,
      api((request, reply) => {
        const parsed = accountBody.safeParse(jsonBody(request));
        if (!parsed.success) throw invalid(parsed.error);
        const body = parsed.data;
        ownProfile(body.profile);
        const country = checkAccount(body.type, body.details);
        // Wise: a personal recipient's full name has more than one name.
        if (body.details.legalType === 'PRIVATE' && !/\S\s+\S/.test(body.accountHolderName)) {
          throw new WiseSimulatorError(422, 'NOT_VALID', "Please enter the recipient's first and last name.", 'accountHolderName');
        }
        const account = store.addAccount({
          currency: body.currency,
          type: body.type,
          country,
          accountHolderName: body.accountHolderName,
          details: body.details,
        });
        return json(reply, 200, accountJson(account, profileId));
      }),
    );

    scope.post(
      `${prefix}/v1/transfers`,
      api((request, reply) => {
        const parsed = transferBody.safeParse(jsonBody(request));
        if (!parsed.success) throw invalid(parsed.error);
        const body = parsed.data;
        const reference = body.details?.reference ?? '';
        const { transfer } = store.createTransfer({
          customerTransactionId: body.customerTransactionId,
          quoteUuid: body.quoteUuid,
          targetAccount: body.targetAccount,
          reference,
          referenceLimit: (currency) => REFERENCE_LIMITS[currency] ?? 10,
        });
        return json(reply, 200, transferJson(transfer, profileId));
      }),
    );

    scope.get<{ Params: { transferId: string } }>(
      `${prefix}/v1/transfers/:transferId`,
      api((request, reply) => json(reply, 200, transferJson(transferParam(request.params.transferId), profileId))),
    );

    scope.post<{ Params: { profileId: string; transferId: string } }>(
      `${prefix}/v3/profiles/:profileId/transfers/:transferId/payments`,
      api((request, reply) => {
        ownProfile(request.params.profileId);
        const parsed = fundingBody.safeParse(jsonBody(request));
        if (!parsed.success) throw invalid(parsed.error);
        const transfer = transferParam(request.params.transferId);
        if (parsed.data.type !== 'BALANCE') {
          throw new WiseSimulatorError(
            422,
            'payment-option-unavailable',
            `The simulator funds from the balance only, not ${parsed.data.type}`,
            'type',
          );
        }
        store.fund(transfer);
        schedulePayout(transfer);
        return json(reply, 201, { type: 'BALANCE', status: 'COMPLETED', errorCode: null });
      }),
    );

    // ---- Control API ---------------------------------------------------------------------------

    scope.get(`${prefix}/_simulator/public-key`, async (_request, reply) =>
      reply.code(200).header('cache-control', 'no-store').type('application/x-pem-file').send(publicKeyPem),
    );

    scope.get(`${prefix}/_simulator/transfers`, async (_request, reply) =>
      json(reply.header('cache-control', 'no-store'), 200, { transfers: store.transfers().map(view) }),
    );

    scope.post<{ Params: { id: string } }>(`${prefix}/_simulator/transfers/:id/outcome`, async (request, reply) => {
      try {
        const parsed = outcomeBody.safeParse(jsonBody(request));
        if (!parsed.success)
          throw new WiseSimulatorError(400, 'simulator.invalid-outcome', `outcome must be one of ${OUTCOMES.join(', ')}`);
        return json(reply, 200, decide(transferParam(request.params.id).id, parsed.data.outcome));
      } catch (error) {
        if (error instanceof WiseSimulatorError) return sendError(reply, error);
        throw error;
      }
    });

    scope.post(`${prefix}/_simulator/test-notification`, async (_request, reply) => {
      sendTestNotification();
      return reply.code(202).send();
    });
  };
  await app.register(routes);

  return {
    profileId,
    publicKeyPem,
    transfers: () => store.transfers().map(view),
    decide,
    sendTestNotification,
    deliveries: () => dispatcher.deliveries(),
    settled: () => dispatcher.settled(),
  };
}
