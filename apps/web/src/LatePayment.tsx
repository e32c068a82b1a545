/**
 * A payment that arrived after the transfer's price expired: Drop has the money but converts it
 * at neither the old rate nor a new one the customer has not seen. The card on the transfer page
 * says so and offers the two ways out: see today's price beside the old one and accept it (the
 * transfer is replaced by a new, already paid one, and the page moves to it), or get the money
 * back (after a confirmation; the transfer is cancelled).
 */
import {
  type ApiProblem,
  acceptRequote,
  formatDate,
  formatDateTime,
  type LatePaymentRefund,
  type Quote,
  refundLatePayment,
  requoteLatePayment,
  type TransferDetail,
} from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { farewellFor, useAccount } from './account.tsx';
import { BigButton } from './card.tsx';
import { ConfirmButton } from './confirm-dialog.tsx';
import { type Messages, useI18n } from './i18n.ts';
import { AlertIcon, CheckIcon, ClockIcon, RefreshIcon, SendIcon, WalletIcon } from './icons.tsx';
import { transferPath, useNavigate } from './routes.ts';
import { Countdown, useMoneyFormat, useNow } from './transfer-ui.tsx';

/** "12345678903" → "1234.56.78903"; an IBAN in groups of four. */
export function formatAccount(account: string): string {
  if (/^\d{11}$/.test(account)) return `${account.slice(0, 4)}.${account.slice(4, 6)}.${account.slice(6)}`;
  return account.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * How much more (sign 1) or less (-1) `after` is than `before`, both decimal strings in one
 * currency with the same decimals; undefined when they cannot be compared digit for digit.
 */
export function differenceOf(before: string, after: string): { sign: -1 | 0 | 1; amount: string } | undefined {
  const shape = /^(\d+)(?:\.(\d+))?$/;
  const a = shape.exec(before);
  const b = shape.exec(after);
  const decimals = a?.[2]?.length ?? 0;
  if (!a || !b || (b[2]?.length ?? 0) !== decimals) return undefined;
  const diff = BigInt(`${b[1]}${b[2] ?? ''}`) - BigInt(`${a[1]}${a[2] ?? ''}`);
  const digits = (diff < 0n ? -diff : diff).toString().padStart(decimals + 1, '0');
  const amount = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return { sign: diff > 0n ? 1 : diff < 0n ? -1 : 0, amount };
}

/** What the customer can do about a refused acceptance, besides getting the money back. */
type Remedy = 'newPrice' | 'kyc' | 'retry';

function acceptRefusal(t: Messages, error: ApiProblem, nok: (amount: string) => string): { text: string; remedy?: Remedy } {
  const details = error.details ?? {};
  switch (error.code) {
    case 'QUOTE_EXPIRED':
    case 'QUOTE_NOT_FOUND':
    case 'QUOTE_USED':
      return { text: t.lateQuoteGone, remedy: 'newPrice' };
    case 'LIMIT_EXCEEDED':
      return {
        text: t.limitExceeded(String(details.limit ?? ''), nok(String(details.limitNok ?? '0')), nok(String(details.availableNok ?? '0'))),
        remedy: 'kyc',
      };
    case 'KYC_REQUIRED':
    case 'EDD_REQUIRED':
      return { text: t.transferErrors[error.code] ?? '', remedy: 'kyc' };
    case 'RECIPIENT_NOT_FOUND':
    case 'RECIPIENT_MISMATCH':
      return { text: t.lateRecipientGone };
    default:
      return {
        text: (error.status === 0 || error.status >= 500 ? t.transferErrors.NETWORK : t.transferErrors.OTHER) ?? '',
        remedy: 'retry',
      };
  }
}

export interface LatePaymentCardProps {
  transfer: TransferDetail & { latePayment: NonNullable<TransferDetail['latePayment']> };
  onRefunded(refund: LatePaymentRefund): void;
  /** The late payment was decided elsewhere (another tab, Drop's staff): say so and load the page again. */
  onStale(): void;
}

interface Offer {
  quote: Quote;
  /** When the new price stops being locked, in this browser's clock. */
  deadline: number;
}

export function LatePaymentCard(props: LatePaymentCardProps): ReactNode {
  const { t, locale } = useI18n();
  const { end } = useAccount();
  const navigate = useNavigate();
  const format = useMoneyFormat();
  const { transfer } = props;
  const { latePayment } = transfer;
  const titleId = useId();
  const compareTitleId = useId();
  const compareHeading = useRef<HTMLHeadingElement>(null);

  const [offer, setOffer] = useState<Offer>();
  const [fetching, setFetching] = useState(false);
  const [accepting, setAccepting] = useState(false);
  const [refusal, setRefusal] = useState<{ text: string; remedy?: Remedy }>();
  // Guards a double click before React has re-rendered the buttons as disabled.
  const inFlight = useRef(false);

  // The clock ticks while a new price is shown and still locked.
  const [over, setOver] = useState(false);
  const now = useNow(offer !== undefined && !over);
  const expired = offer !== undefined && offer.deadline <= now;
  useEffect(() => setOver(expired), [expired]);

  const amount = format.nok(latePayment.amount);

  const fetchPrice = () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setFetching(true);
    setRefusal(undefined);
    void requoteLatePayment(transfer.id).then((result) => {
      inFlight.current = false;
      setFetching(false);
      if (result.kind === 'unauthenticated') return end(farewellFor(result));
      if (result.kind === 'error') {
        if (result.code === 'NOT_FOUND') return props.onStale();
        return setRefusal({ text: result.code === 'RATES_UNAVAILABLE' ? t.ratesUnavailable : t.quoteFailed, remedy: 'retry' });
      }
      const quote = result.data;
      const lifetime = Date.parse(quote.expiresAt) - Date.parse(quote.createdAt);
      setOver(false);
      setOffer({ quote, deadline: Date.now() + lifetime });
    });
  };

  // A new price on screen: take the reader to it.
  const quoteId = offer?.quote.id;
  useEffect(() => {
    if (quoteId) compareHeading.current?.focus();
  }, [quoteId]);

  const accept = () => {
    if (inFlight.current || !offer) return;
    inFlight.current = true;
    setAccepting(true);
    setRefusal(undefined);
    void acceptRequote(transfer.id, offer.quote.id).then((result) => {
      inFlight.current = false;
      setAccepting(false);
      if (result.kind === 'unauthenticated') return end(farewellFor(result));
      if (result.kind === 'ok') return navigate(transferPath(result.data.id));
      if (result.code === 'NOT_FOUND') return props.onStale();
      setRefusal(acceptRefusal(t, result, format.nok));
    });
  };

  const busy = fetching || accepting;
  const needsNewPrice = expired || refusal?.remedy === 'newPrice';
  const payBy = transfer.payBy === null ? undefined : new Date(transfer.payBy);

  return (
    <section
      className="card late-card"
      aria-labelledby={titleId}
      data-testid="late-payment-card"
      data-state={offer ? 'offer' : 'choose'}
      data-entry-id={latePayment.entryId}
    >
      <div className="late-head">
        <span className="late-icon" aria-hidden="true">
          <ClockIcon />
        </span>
        <div>
          <h2 id={titleId} className="late-title">
            {t.lateTitle}
          </h2>
          <p className="card-text late-lead">{t.lateText(amount)}</p>
        </div>
      </div>

      <dl className="facts late-facts">
        <div>
          <dt>{t.lateAmount}</dt>
          <dd data-testid="late-amount">{amount}</dd>
        </div>
        {latePayment.bookedOn && (
          <div>
            <dt>{t.lateBookedOn}</dt>
            <dd data-testid="late-booked-on">{formatDate(latePayment.bookedOn, locale)}</dd>
          </div>
        )}
        {payBy && (
          <div>
            <dt>{t.latePriceLockedUntil}</dt>
            <dd data-testid="late-locked-until">{formatDateTime(payBy, locale)}</dd>
          </div>
        )}
      </dl>

      {offer && (
        <div className="late-offer" data-testid="late-offer" data-quote-id={offer.quote.id}>
          <h3 id={compareTitleId} className="late-compare-title" tabIndex={-1} ref={compareHeading}>
            {t.lateCompareTitle}
          </h3>
          <Comparison transfer={transfer} quote={offer.quote} labelledBy={compareTitleId} />
          <Countdown deadline={offer.deadline} now={now} />
          <p className="late-note">{t.lateAcceptNote}</p>
        </div>
      )}

      {expired && !refusal && (
        <div className="inline-alert inline-alert-warn" role="alert" data-testid="late-expired">
          <AlertIcon />
          {t.lateExpiredText}
        </div>
      )}
      {refusal && (
        <div className="inline-alert" role="alert" data-testid="late-error">
          <AlertIcon />
          <span>{refusal.text}</span>
        </div>
      )}

      <div className="late-actions">
        <RefundLatePayment
          transfer={transfer}
          amount={amount}
          disabled={busy}
          onStart={() => setRefusal(undefined)}
          onRefused={(text) => setRefusal({ text })}
          onRefunded={props.onRefunded}
          onStale={props.onStale}
        />
        {refusal?.remedy === 'kyc' && (
          <AppLink to="/kyc" className="button button-ghost">
            {t.goToKyc}
          </AppLink>
        )}
        {!offer || needsNewPrice ? (
          <BigButton onClick={fetchPrice} disabled={busy} busy={fetching} testId="late-see-price">
            <RefreshIcon />
            {fetching ? t.quoteRenewing : offer ? t.getNewPrice : t.lateSeePrice}
          </BigButton>
        ) : (
          <BigButton onClick={accept} disabled={busy} busy={accepting} testId="late-accept">
            <SendIcon />
            {accepting ? t.lateAccepting : t.lateAccept}
          </BigButton>
        )}
      </div>
    </section>
  );
}

/** The old price and the new one side by side: what is sent, the fee, the rate, what the recipient gets. */
function Comparison(props: { transfer: TransferDetail; quote: Quote; labelledBy: string }): ReactNode {
  const { t } = useI18n();
  const format = useMoneyFormat();
  const { transfer, quote } = props;
  const rateOf = (figures: { rate: string; receive: { currency: string } }) => `${format.rate(figures.rate)} ${figures.receive.currency}`;
  const rows = [
    { key: 'send', label: t.quoteYouSend, old: format.money(transfer.send), new: format.money(quote.send) },
    { key: 'fee', label: t.quoteFee, old: format.money(transfer.fee), new: format.money(quote.fee) },
    // "Rate per NOK" and "0,0851 EUR": the comparison has two values a row, so "1 NOK =" moves to the label.
    { key: 'rate', label: t.lateRate, old: rateOf(transfer), new: rateOf(quote) },
    { key: 'receive', label: t.quoteTheyGet, old: format.money(transfer.receive), new: format.money(quote.receive) },
  ];
  const change =
    transfer.receive.currency === quote.receive.currency ? differenceOf(transfer.receive.amount, quote.receive.amount) : undefined;
  const changeText =
    change &&
    (change.sign === 0
      ? t.lateDiffSame
      : (change.sign > 0 ? t.lateDiffMore : t.lateDiffLess)(format.money({ amount: change.amount, currency: quote.receive.currency })));
  return (
    <>
      <table className="late-compare" aria-labelledby={props.labelledBy} data-testid="late-compare">
        <thead>
          <tr>
            <td />
            <th scope="col">{t.lateOld}</th>
            <th scope="col" className="late-new">
              {t.lateNew}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className={row.key === 'receive' ? 'late-compare-total' : undefined}>
              <th scope="row">{row.label}</th>
              <td data-testid={`late-old-${row.key}`}>{row.old}</td>
              <td className="late-new" data-testid={`late-new-${row.key}`}>
                {row.new}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {changeText && (
        <p className="late-change" data-testid="late-change" data-sign={change?.sign}>
          {changeText}
        </p>
      )}
    </>
  );
}

/** "Get my money back", asking first in a modal dialog (like cancelling a transfer). */
function RefundLatePayment(props: {
  transfer: TransferDetail;
  amount: string;
  disabled: boolean;
  onStart(): void;
  onRefused(text: string): void;
  onRefunded(refund: LatePaymentRefund): void;
  onStale(): void;
}): ReactNode {
  const { t } = useI18n();
  const { end } = useAccount();
  const [busy, setBusy] = useState(false);

  const confirm = (close: () => void) => {
    if (busy) return;
    setBusy(true);
    props.onStart();
    void refundLatePayment(props.transfer.id).then((result) => {
      setBusy(false);
      close();
      if (result.kind === 'unauthenticated') return end(farewellFor(result));
      if (result.kind === 'ok') return props.onRefunded(result.data);
      if (result.code === 'NOT_FOUND') return props.onStale();
      props.onRefused(result.code === 'VALIDATION_FAILED' ? t.lateRefundNoAccount : t.lateRefundFailed);
    });
  };

  return (
    <ConfirmButton
      label={t.lateRefund}
      icon={<WalletIcon />}
      className="button button-ghost button-large"
      testId="late-refund"
      disabled={busy || props.disabled}
      dialogTestId="late-refund-dialog"
      title={t.lateRefundConfirmTitle}
      text={t.lateRefundConfirmText(props.amount)}
      keepLabel={t.lateRefundKeep}
      confirmLabel={busy ? t.lateRefunding : t.lateRefundConfirm}
      confirmTestId="late-refund-confirm"
      busy={busy}
      onConfirm={confirm}
    />
  );
}

/** After "Get my money back": the transfer is cancelled and the money is on its way to the account that paid. */
export function LateRefundedCard(props: { refund: LatePaymentRefund }): ReactNode {
  const { t } = useI18n();
  const format = useMoneyFormat();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { refund } = props;
  return (
    <section className="card late-refunded" aria-labelledby={titleId} data-testid="late-refunded">
      <div className="late-head">
        <span className="late-icon late-icon-ok" aria-hidden="true">
          <CheckIcon />
        </span>
        <div>
          <h2 id={titleId} className="late-title" tabIndex={-1} ref={heading}>
            {t.lateRefundedTitle}
          </h2>
          <p className="card-text late-lead" data-testid="late-refunded-text">
            {t.lateRefundedText(format.money(refund), formatAccount(refund.refundedTo))}
          </p>
        </div>
      </div>
    </section>
  );
}
