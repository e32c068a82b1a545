/**
 * "Slik betaler du": how to pay for a transfer that awaits funds. The customer pays with an
 * ordinary bank payment to Drop's client account, carrying the KID and exactly the amount; Drop
 * matches the payment by both. Each value has a Copy button that copies it as a bank's form takes
 * it (the KID and the account without spaces or dots, the amount without grouping).
 */
import { formatCountdown, formatMoney, type Locale, localeTag, type Transfer, toAmountInput } from '@drop/web-common';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { type Messages, useI18n } from './i18n.ts';
import { CheckIcon, ClockIcon, CopyIcon, InfoIcon, WalletIcon } from './icons.tsx';
import { useNow } from './transfer-ui.tsx';

export type PayIn = NonNullable<Transfer['payIn']>;
type CopyField = 'amount' | 'account' | 'kid';

/** Drop's deadlines are Norwegian: a pay-by time is shown as the clock in Oslo says it. */
const OSLO = 'Europe/Oslo';

/** "000000001008" → "0000 0000 1008": a KID in groups of four, for reading (it is copied without the spaces). */
export function groupKid(kid: string): string {
  return kid.replace(/(\d{4})(?=\d)/g, '$1 ');
}

const osloDay = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: OSLO, dateStyle: 'short' }).format(date);

/**
 * The pay-by time in Oslo: "kl. 21:30 i dag" or "22. november kl. 21:30", marked "(norsk tid)"
 * when this device's clock is in another time zone and would show another time.
 */
export function formatPayBy(payBy: Date, now: Date, locale: Locale, t: Messages): string {
  const tag = localeTag(locale);
  const clock = { hour: '2-digit', minute: '2-digit' } as const;
  const when =
    osloDay(payBy) === osloDay(now)
      ? t.payInToday(new Intl.DateTimeFormat(tag, { ...clock, timeZone: OSLO }).format(payBy))
      : new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', ...clock, timeZone: OSLO }).format(payBy);
  const here = new Intl.DateTimeFormat(tag, { dateStyle: 'short', timeStyle: 'short' }).format(payBy);
  const inOslo = new Intl.DateTimeFormat(tag, { dateStyle: 'short', timeStyle: 'short', timeZone: OSLO }).format(payBy);
  return here === inOslo ? when : t.payInOsloTime(when);
}

function CopyButton(props: { field: CopyField; copied: boolean; onCopy(): void }): ReactNode {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="button button-secondary copy-button"
      onClick={props.onCopy}
      data-copied={props.copied}
      data-testid={`payin-copy-${props.field}`}
    >
      {props.copied ? <CheckIcon /> : <CopyIcon />}
      <span>{props.copied ? t.payInCopied : t.payInCopy}</span>
      <span className="visually-hidden"> {t.payInCopyWhat[props.field]}</span>
    </button>
  );
}

/** How long "Copied" shows on a button, and a failure to copy under the details. */
const COPIED_MS = 3000;
const COPY_FAILED_MS = 8000;

export interface PayInCardProps {
  payIn: PayIn;
  /**
   * When the rate stops being locked, in this browser's clock (the quote's lifetime added to the
   * moment it arrived), if known; otherwise `payIn.payBy` as this device's clock reads it.
   */
  deadline?: number | undefined;
  /** Inside another card (the confirmation step): a panel with an h3 instead of a card with an h2. */
  inset?: boolean;
}

export function PayInCard(props: PayInCardProps): ReactNode {
  const { t, locale } = useI18n();
  const { payIn } = props;
  const titleId = useId();
  const [feedback, setFeedback] = useState<{ field: CopyField; ok: boolean }>();

  const payBy = payIn.payBy === null ? undefined : new Date(payIn.payBy);
  const deadline = props.deadline ?? payBy?.getTime();
  // The clock ticks until the deadline has passed, then stops.
  const [over, setOver] = useState(() => deadline !== undefined && deadline <= Date.now());
  const now = useNow(deadline !== undefined && !over);
  const left = deadline === undefined ? undefined : deadline - now;
  const expired = left !== undefined && left <= 0;
  useEffect(() => {
    if (expired) setOver(true);
  }, [expired]);

  useEffect(() => {
    if (!feedback) return;
    const timer = window.setTimeout(() => setFeedback(undefined), feedback.ok ? COPIED_MS : COPY_FAILED_MS);
    return () => window.clearTimeout(timer);
  }, [feedback]);

  const copy = (field: CopyField, value: string) => {
    const failed = () => setFeedback({ field, ok: false });
    // Only in a secure context (https, localhost); elsewhere the customer selects and copies.
    if (!navigator.clipboard) return failed();
    void navigator.clipboard.writeText(value).then(() => setFeedback({ field, ok: true }), failed);
  };
  const copied = (field: CopyField) => feedback?.ok === true && feedback.field === field;

  // What the customer types into the bank: shown grouped for reading, copied as the bank wants it.
  const rows: { field: CopyField; label: string; shown: string; copyText: string }[] = [
    {
      field: 'amount',
      label: t.payInAmount,
      shown: formatMoney(payIn.amount.amount, payIn.amount.currency, locale),
      copyText: toAmountInput(payIn.amount.amount, locale),
    },
    { field: 'account', label: t.payInAccount, shown: payIn.account, copyText: payIn.account.replace(/\D/g, '') },
    { field: 'kid', label: t.payInKid, shown: groupKid(payIn.kid), copyText: payIn.kid },
  ];
  const Heading = props.inset ? 'h3' : 'h2';
  const failed = feedback?.ok === false;
  return (
    <section className={`payin ${props.inset ? 'payin-inset' : 'card'}`} aria-labelledby={titleId} data-testid="payin-card">
      <div className="card-head payin-head">
        <span className="card-icon" aria-hidden="true">
          <WalletIcon />
        </span>
        <Heading id={titleId} className="card-title">
          {t.payInTitle}
        </Heading>
      </div>
      <p className="card-text payin-lead">{t.payInLead}</p>

      <dl className="payin-details">
        {rows.map((row) => (
          <div key={row.field} className={row.field === 'amount' ? 'payin-row payin-row-amount' : 'payin-row'}>
            <dt>{row.label}</dt>
            <dd>
              <span className={row.field === 'amount' ? 'payin-value payin-amount' : 'payin-value'} data-testid={`payin-${row.field}`}>
                {row.shown}
              </span>
              <CopyButton field={row.field} copied={copied(row.field)} onCopy={() => copy(row.field, row.copyText)} />
            </dd>
          </div>
        ))}
      </dl>
      <p
        className={`payin-copy-feedback${failed ? ' payin-copy-failed' : ' visually-hidden'}`}
        role="status"
        data-testid="payin-copy-status"
      >
        {feedback && (feedback.ok ? t.payInCopiedNotice[feedback.field] : t.payInCopyFailed)}
      </p>

      {payBy && left !== undefined && (
        <p
          className={`countdown payin-deadline${expired ? ' countdown-expired' : ''}`}
          data-testid="payin-pay-by"
          data-pay-by={payIn.payBy}
          data-expired={expired}
        >
          <ClockIcon />
          <span data-testid="payin-pay-by-text">
            {(expired ? t.payInPayByPassed : t.payInPayBy)(formatPayBy(payBy, new Date(now), locale, t))}
          </span>
          {!expired && (
            <span className="payin-left" data-testid="payin-time-left">
              {t.payInTimeLeft(formatCountdown(left))}
            </span>
          )}
        </p>
      )}

      <p className="payin-note" data-testid="payin-note">
        <InfoIcon />
        <span>{t.payInNote}</span>
      </p>
    </section>
  );
}
