/** What the send flow, the transfer pages and the home page share: figures, status pills, the countdown. */
import { countryName, formatCountdown, formatMoney, formatRate, type Money, type TransferStatus } from '@drop/web-common';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useI18n } from './i18n.ts';
import { ClockIcon } from './icons.tsx';

export type Tone = 'ok' | 'down' | 'warn' | 'unknown' | 'brand';

export const STATUS_TONES: Record<TransferStatus, Tone> = {
  awaiting_funds: 'warn',
  funds_received: 'brand',
  processing: 'brand',
  paid_out: 'ok',
  held: 'warn',
  cancelled: 'unknown',
  failed: 'down',
  refunded: 'unknown',
};

/**
 * A transfer's status as words with a coloured dot: the colour is never the only signal. `label`
 * says more than the status alone can (a late payment waiting for the customer's decision).
 */
export function TransferStatusPill(props: { status: TransferStatus; testId?: string; label?: string }): ReactNode {
  const { t } = useI18n();
  return (
    <span className={`pill pill-${STATUS_TONES[props.status]}`} data-testid={props.testId ?? 'transfer-status'} data-status={props.status}>
      <span className="pill-dot" aria-hidden="true" />
      {props.label ?? t.transferStatus[props.status]}
    </span>
  );
}

/** Formatting bound to the current language. */
export function useMoneyFormat() {
  const { locale } = useI18n();
  return useMemo(
    () => ({
      money: (money: Money) => formatMoney(money.amount, money.currency, locale),
      nok: (amount: string) => formatMoney(amount, 'NOK', locale),
      rate: (rate: string) => formatRate(rate, locale),
      country: (code: string) => countryName(code, locale),
    }),
    [locale],
  );
}

export interface Figures {
  send: Money;
  fee: Money;
  converted: Money;
  receive: Money;
  rate: string;
}

/** The figures of a quote or transfer, each row marked for tests (`figure-send`, `figure-fee`, …). */
export function FigureList(props: { figures: Figures; className?: string }): ReactNode {
  const { t } = useI18n();
  const format = useMoneyFormat();
  const { figures } = props;
  return (
    <dl className={`quote figures ${props.className ?? ''}`}>
      <div className="quote-row">
        <dt>{t.quoteYouSend}</dt>
        <dd className="quote-amount" data-testid="figure-send">
          {format.money(figures.send)}
        </dd>
      </div>
      <div className="quote-row">
        <dt>{t.quoteFee}</dt>
        <dd data-testid="figure-fee">{format.money(figures.fee)}</dd>
      </div>
      <div className="quote-row">
        <dt>{t.quoteConverted}</dt>
        <dd data-testid="figure-converted">{format.money(figures.converted)}</dd>
      </div>
      <div className="quote-row">
        <dt>{t.quoteRate}</dt>
        <dd data-testid="figure-rate">{t.quoteRateValue(format.rate(figures.rate), figures.receive.currency)}</dd>
      </div>
      <div className="quote-row quote-total">
        <dt>{t.quoteTheyGet}</dt>
        <dd data-testid="figure-receive">{format.money(figures.receive)}</dd>
      </div>
    </dl>
  );
}

/** The current time, ticking every second while `active`. */
export function useNow(active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * "Prisen er låst i 29:41". `deadline` is in this browser's clock: the quote's lifetime added to
 * the moment it arrived, so a wrong clock on the device does not shorten or stretch it.
 */
export function Countdown(props: { deadline: number; now: number }): ReactNode {
  const { t } = useI18n();
  const left = props.deadline - props.now;
  const expired = left <= 0;
  return (
    <p className={`countdown${expired ? ' countdown-expired' : ''}`} data-testid="quote-countdown" data-expired={expired}>
      <ClockIcon />
      <span>{expired ? t.quoteExpired : t.quoteLockedFor(formatCountdown(left))}</span>
    </p>
  );
}

/** "Anna Schmidt" → "AS": the first letters of the first and last names. */
export function initialsOf(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return `${first}${last}`.toUpperCase() || '·';
}
