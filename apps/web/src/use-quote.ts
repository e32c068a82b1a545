import { type ApiProblem, type Quote, type QuoteRequest, requestQuote } from '@drop/web-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { farewellFor, useAccount } from './account.tsx';

/** How long typing must pause before the page asks for a price. */
export const QUOTE_DEBOUNCE_MS = 400;

/** What the customer asks a price for: a request, nothing yet, or an amount that is not one. */
export type QuoteAsk = QuoteRequest | 'empty' | 'invalid';

export interface QuoteState {
  status: 'idle' | 'loading' | 'ok' | 'error';
  /** The latest price (kept on screen while a newer one loads). */
  quote?: Quote;
  /** When `quote` stops being valid, in this browser's clock. */
  deadline?: number;
  /** Which ask `quote` answers (see `askKey`). */
  askKey?: string;
  error?: ApiProblem;
}

export function askKey(ask: QuoteRequest): string {
  return JSON.stringify([ask.country, ask.currency, 'sendAmount' in ask ? ['send', ask.sendAmount] : ['receive', ask.receiveAmount]]);
}

/** The problem shown for an amount the page could not read, without asking the API. */
const UNREADABLE: ApiProblem = { kind: 'error', status: 0, code: 'AMOUNT_INVALID', details: { reason: 'format' } };

/**
 * A price for `ask`. While `live` (the amount step), it asks again – after a pause in typing –
 * whenever the ask changes, and again as the price expires. `refresh()` asks now, live or not
 * (the review step's "Get a new price").
 */
export function useQuote(ask: QuoteAsk, live: boolean): { state: QuoteState; refresh(): void } {
  const { end } = useAccount();
  const [state, setState] = useState<QuoteState>({ status: 'idle' });
  const stateRef = useRef(state);
  stateRef.current = state;
  const inFlight = useRef<{ controller: AbortController; timer: number }>(undefined);

  const cancel = useCallback(() => {
    if (!inFlight.current) return;
    window.clearTimeout(inFlight.current.timer);
    inFlight.current.controller.abort();
    inFlight.current = undefined;
  }, []);

  const fetchQuote = useCallback(
    (request: QuoteRequest, delayMs: number) => {
      cancel();
      const controller = new AbortController();
      setState((previous) => ({ ...previous, status: 'loading', error: undefined }));
      const timer = window.setTimeout(() => {
        requestQuote(request, controller.signal).then(
          (result) => {
            if (controller.signal.aborted) return;
            inFlight.current = undefined;
            if (result.kind === 'unauthenticated') return end(farewellFor(result));
            if (result.kind === 'error') return setState({ status: 'error', error: result });
            const quote = result.data;
            const lifetime = Date.parse(quote.expiresAt) - Date.parse(quote.createdAt);
            setState({ status: 'ok', quote, deadline: Date.now() + lifetime, askKey: askKey(request) });
          },
          () => undefined, // aborted: a newer ask replaced this one
        );
      }, delayMs);
      inFlight.current = { controller, timer };
    },
    [cancel, end],
  );

  // Live: a price for what is typed, once typing pauses; none for an empty or unreadable amount.
  useEffect(() => {
    if (!live) return;
    if (ask === 'empty' || ask === 'invalid') {
      cancel();
      setState(ask === 'empty' ? { status: 'idle' } : { status: 'error', error: UNREADABLE });
      return;
    }
    const current = stateRef.current;
    if (current.status === 'ok' && current.askKey === askKey(ask) && (current.deadline ?? 0) > Date.now()) return;
    fetchQuote(ask, QUOTE_DEBOUNCE_MS);
  }, [ask, live, cancel, fetchQuote]);

  // Live: a fresh price as soon as this one expires.
  useEffect(() => {
    if (!live || state.status !== 'ok' || state.deadline === undefined || typeof ask === 'string') return;
    const timer = window.setTimeout(() => fetchQuote(ask, 0), Math.max(0, state.deadline - Date.now()));
    return () => window.clearTimeout(timer);
  }, [live, state, ask, fetchQuote]);

  useEffect(() => cancel, [cancel]);

  const refresh = useCallback(() => {
    if (typeof ask !== 'string') fetchQuote(ask, 0);
  }, [ask, fetchQuote]);

  return { state, refresh };
}
