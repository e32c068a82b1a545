/**
 * Webhook deliveries the way Wise makes them: a JSON POST whose exact bytes are signed with
 * X-Signature-SHA256 (Base64 RSA-SHA256 with the simulator's private key, checked with its public
 * key as Drop checks Wise's), an X-Delivery-Id per attempt, sent outside the request that caused
 * the event and retried with back-off on a non-2xx answer, a network error or a timeout. A
 * transfer's events go out one after the other, so Drop normally sees them in order; Wise does not
 * promise that, which is why each carries `occurred_at`.
 */
import { type KeyObject, randomUUID, sign } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatorLogger } from '../logger.ts';

export interface WiseDelivery {
  /** The X-Delivery-Id of the last attempt. */
  deliveryId: string;
  transferId: number | undefined;
  eventType: string;
  currentState: string | undefined;
  test: boolean;
  /** Last HTTP status; 'error' after a network error or timeout; 'pending' before the first answer. */
  status: number | 'error' | 'pending';
  attempts: number;
  body: string;
}

export interface WiseWebhookDispatcherOptions {
  url: () => string;
  privateKey: KeyObject;
  /** Waits between attempts; attempts = delays + 1. */
  retryDelaysMs: readonly number[];
  timeoutMs: number;
  logger: SimulatorLogger;
  /** Older deliveries are forgotten beyond this many. */
  keep: number;
}

export class WiseWebhookDispatcher {
  readonly #options: WiseWebhookDispatcherOptions;
  readonly #deliveries: WiseDelivery[] = [];
  /** The last delivery queued per transfer, so the next waits for it. */
  readonly #chains = new Map<string, Promise<void>>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stop = new AbortController();

  constructor(options: WiseWebhookDispatcherOptions) {
    this.#options = options;
  }

  deliveries(): WiseDelivery[] {
    return this.#deliveries.map((delivery) => ({ ...delivery }));
  }

  /** Queues a delivery behind the same key's earlier ones and returns at once. */
  enqueue(input: { key: string; body: string; transferId?: number; eventType: string; currentState?: string; test?: boolean }): void {
    if (this.#stop.signal.aborted) return;
    const delivery: WiseDelivery = {
      deliveryId: randomUUID(),
      transferId: input.transferId,
      eventType: input.eventType,
      currentState: input.currentState,
      test: input.test === true,
      status: 'pending',
      attempts: 0,
      body: input.body,
    };
    this.#deliveries.push(delivery);
    if (this.#deliveries.length > this.#options.keep) this.#deliveries.shift();
    const previous = this.#chains.get(input.key) ?? Promise.resolve();
    const run = previous.then(() => this.#deliver(delivery));
    this.#chains.set(input.key, run);
    const tracked = run.finally(() => {
      this.#inFlight.delete(tracked);
      if (this.#chains.get(input.key) === run) this.#chains.delete(input.key);
    });
    this.#inFlight.add(tracked);
  }

  /** Resolves when every queued delivery has been made or given up. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Stops retries and aborts requests in flight (the app is closing). */
  stop(): void {
    this.#stop.abort();
  }

  async #deliver(delivery: WiseDelivery): Promise<void> {
    // Never inside the request that caused the event.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const { retryDelaysMs, logger } = this.#options;
    for (let attempt = 1; attempt <= retryDelaysMs.length + 1; attempt++) {
      if (this.#stop.signal.aborted) return;
      const status = await this.#attempt(delivery);
      const log = { deliveryId: delivery.deliveryId, transferId: delivery.transferId, state: delivery.currentState, status, attempt };
      if (typeof status === 'number' && status >= 200 && status < 300) {
        logger.info(log, 'Wise simulator: webhook delivered');
        return;
      }
      const delayMs = retryDelaysMs[attempt - 1];
      logger.warn(
        { ...log, retryInMs: delayMs },
        delayMs === undefined ? 'Wise simulator: webhook delivery gave up' : 'Wise simulator: webhook delivery failed, will retry',
      );
      if (delayMs === undefined) return;
      try {
        await sleep(delayMs, undefined, { signal: this.#stop.signal });
      } catch {
        return; // stopped
      }
    }
  }

  async #attempt(delivery: WiseDelivery): Promise<number | 'error'> {
    delivery.attempts += 1;
    if (delivery.attempts > 1) delivery.deliveryId = randomUUID();
    const body = Buffer.from(delivery.body, 'utf8');
    try {
      const response = await fetch(this.#options.url(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'drop-wise-simulator',
          'x-signature-sha256': sign('sha256', body, this.#options.privateKey).toString('base64'),
          'x-delivery-id': delivery.deliveryId,
          ...(delivery.test ? { 'x-test-notification': 'true' } : {}),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.#options.timeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      delivery.status = response.status;
      return response.status;
    } catch {
      delivery.status = 'error';
      return 'error';
    }
  }
}
