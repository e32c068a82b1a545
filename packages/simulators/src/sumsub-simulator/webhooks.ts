/**
 * Webhook deliveries the way Sumsub makes them: a JSON POST whose exact bytes are signed with
 * X-Payload-Digest (hex HMAC keyed with the webhook secret) and X-Payload-Digest-Alg, sent outside
 * the request that caused it, retried on non-2xx answers and network errors. Sumsub retries four
 * times over minutes to hours; the simulator makes 4 attempts in all with short back-off so local
 * runs and tests see retries quickly. Every delivery is kept (bytes and headers) for the dashboard
 * and can be re-sent unchanged – which is also how a replayed webhook looks to Drop.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type WebhookDigestAlgorithm, webhookDigest } from '@drop/integrations';
import type { SimulatorLogger } from '../logger.ts';

export type DeliveryStatus = number | 'error' | 'pending';

export interface DeliveryRecord {
  id: string;
  type: string;
  applicantId: string;
  correlationId: string;
  /** Last HTTP status, 'error' after a network error or timeout, 'pending' before the first answer. */
  status: DeliveryStatus;
  attempts: number;
  body: string;
  headers: Record<string, string>;
  createdAtMs: number;
  lastAttemptAtMs: number | undefined;
  lastError: string | undefined;
}

export interface WebhookDispatcherOptions {
  url: string;
  secret: string;
  algorithm: WebhookDigestAlgorithm;
  /** Waits between attempts; attempts = delays + 1. */
  retryDelaysMs: readonly number[];
  /** Sumsub counts an answer slower than 5 s as a failure. */
  timeoutMs: number;
  logger: SimulatorLogger;
  /** Older deliveries are forgotten beyond this many. */
  keep: number;
}

export class WebhookDispatcher {
  readonly #options: WebhookDispatcherOptions;
  readonly #records = new Map<string, DeliveryRecord>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stop = new AbortController();

  constructor(options: WebhookDispatcherOptions) {
    this.#options = options;
  }

  list(): DeliveryRecord[] {
    return [...this.#records.values()];
  }

  get(id: string): DeliveryRecord | undefined {
    return this.#records.get(id);
  }

  /** Records the delivery and starts sending it on a later tick; returns at once. */
  enqueue(input: { type: string; applicantId: string; correlationId: string; body: string }): DeliveryRecord {
    const { secret, algorithm } = this.#options;
    const record: DeliveryRecord = {
      id: randomUUID(),
      type: input.type,
      applicantId: input.applicantId,
      correlationId: input.correlationId,
      status: 'pending',
      attempts: 0,
      body: input.body,
      headers: {
        'content-type': 'application/json',
        'x-payload-digest': webhookDigest(secret, algorithm, Buffer.from(input.body, 'utf8')),
        'x-payload-digest-alg': algorithm,
        'user-agent': 'drop-sumsub-simulator',
      },
      createdAtMs: Date.now(),
      lastAttemptAtMs: undefined,
      lastError: undefined,
    };
    this.#records.set(record.id, record);
    this.#forgetOld();
    if (!this.#stop.signal.aborted) {
      const run = this.#deliver(record).finally(() => this.#inFlight.delete(run));
      this.#inFlight.add(run);
    }
    return record;
  }

  /** One more attempt with the recorded bytes and headers; returns the HTTP status, throws on a network error. */
  async redeliver(id: string): Promise<number> {
    const record = this.#records.get(id);
    if (!record) throw new Error(`No webhook delivery ${id}`);
    const outcome = await this.#attempt(record);
    if (typeof outcome !== 'number') throw new Error(`Redelivery of ${id} failed: ${outcome.error}`);
    return outcome;
  }

  /** Stops retries and aborts requests in flight (the app is closing). */
  stop(): void {
    this.#stop.abort();
  }

  /** Resolves when every automatic delivery has finished (or given up). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #deliver(record: DeliveryRecord): Promise<void> {
    // Never inside the request that caused the event.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const { retryDelaysMs, logger } = this.#options;
    const maxAttempts = retryDelaysMs.length + 1;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.#stop.signal.aborted) return;
      const outcome = await this.#attempt(record);
      if (typeof outcome === 'number' && outcome >= 200 && outcome < 300) {
        logger.info({ deliveryId: record.id, type: record.type, status: outcome, attempt }, 'Sumsub simulator: webhook delivered');
        return;
      }
      const delayMs = retryDelaysMs[attempt - 1];
      logger.warn(
        { deliveryId: record.id, type: record.type, status: record.status, error: record.lastError, attempt, retryInMs: delayMs },
        delayMs === undefined ? 'Sumsub simulator: webhook delivery gave up' : 'Sumsub simulator: webhook delivery failed, will retry',
      );
      if (delayMs === undefined) return;
      try {
        await sleep(delayMs, undefined, { signal: this.#stop.signal });
      } catch {
        return; // stopped
      }
    }
  }

  async #attempt(record: DeliveryRecord): Promise<number | { error: string }> {
    record.attempts += 1;
    record.lastAttemptAtMs = Date.now();
    try {
      const response = await fetch(this.#options.url, {
        method: 'POST',
        headers: record.headers,
        body: record.body,
        redirect: 'manual',
        signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.#options.timeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
      record.lastError = undefined;
      return response.status;
    } catch (error) {
      const message = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
      record.status = 'error';
      record.lastError = message;
      return { error: message };
    }
  }

  #forgetOld(): void {
    const excess = this.#records.size - this.#options.keep;
    if (excess <= 0) return;
    let dropped = 0;
    for (const id of this.#records.keys()) {
      if (dropped >= excess) break;
      this.#records.delete(id);
      dropped += 1;
    }
  }
}
