/** Steps 3 and 4 of `/send`: everything locked and a Send button; then the transfer, awaiting funds. */
import { type ApiProblem, type Corridor, createTransfer, type Quote, type Recipient, type Transfer } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, type Ref, useRef, useState } from 'react';
import { farewellFor, useAccount } from './account.tsx';
import { BigButton } from './card.tsx';
import { type Messages, useI18n } from './i18n.ts';
import { AlertIcon, CheckIcon, ChevronIcon, PlusIcon, RefreshIcon, SendIcon } from './icons.tsx';
import { PayInCard } from './PayIn.tsx';
import { transferPath } from './routes.ts';
import { Countdown, FigureList, TransferStatusPill, useMoneyFormat } from './transfer-ui.tsx';

/** What the customer can do about a refused transfer. */
type Remedy = 'newPrice' | 'recipient' | 'kyc' | 'transfers' | 'retry';

function refusal(t: Messages, error: ApiProblem, nok: (amount: string) => string): { text: string; remedies: Remedy[] } {
  const details = error.details ?? {};
  switch (error.code) {
    case 'LIMIT_EXCEEDED':
      return {
        text: t.limitExceeded(String(details.limit ?? ''), nok(String(details.limitNok ?? '0')), nok(String(details.availableNok ?? '0'))),
        remedies: ['newPrice', 'kyc'],
      };
    case 'KYC_REQUIRED':
    case 'EDD_REQUIRED':
      return { text: t.transferErrors[error.code] ?? t.transferErrors.OTHER ?? '', remedies: ['kyc'] };
    case 'QUOTE_EXPIRED':
    case 'QUOTE_NOT_FOUND':
      return { text: t.transferErrors[error.code] ?? '', remedies: ['newPrice'] };
    case 'QUOTE_USED':
      return { text: t.transferErrors.QUOTE_USED ?? '', remedies: ['newPrice', 'transfers'] };
    case 'RECIPIENT_NOT_FOUND':
    case 'RECIPIENT_MISMATCH':
      return { text: t.transferErrors[error.code] ?? '', remedies: ['recipient'] };
    default:
      // No answer (or a server error): the same submission again is safe, it carries the same key.
      return {
        text: (error.status === 0 || error.status >= 500 ? t.transferErrors.NETWORK : t.transferErrors.OTHER) ?? '',
        remedies: ['retry'],
      };
  }
}

export interface ReviewStepProps {
  corridor: Corridor;
  quote: Quote;
  deadline: number;
  now: number;
  recipient: Recipient;
  /** A new price is on its way (after "Get a new price"). */
  renewing: boolean;
  onNewPrice(): void;
  onChangeAmount(): void;
  onChangeRecipient(): void;
  onSent(transfer: Transfer): void;
  headingRef: Ref<HTMLHeadingElement>;
}

/**
 * Mounted once per quote and recipient (the parent keys it so), so its idempotency key belongs to
 * exactly one submission: a double click or a retry after a lost answer sends the same key, and
 * the server answers with the transfer it already made.
 */
export function ReviewStep(props: ReviewStepProps): ReactNode {
  const { t } = useI18n();
  const { end } = useAccount();
  const format = useMoneyFormat();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiProblem>();
  const { quote, recipient } = props;
  const expired = props.deadline <= props.now;

  // Guards a double click before React has re-rendered the button as disabled.
  const inFlight = useRef(false);

  const send = () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setSending(true);
    setError(undefined);
    void createTransfer({ quoteId: quote.id, recipientId: recipient.id }, idempotencyKey).then((result) => {
      inFlight.current = false;
      setSending(false);
      if (result.kind === 'unauthenticated') return end(farewellFor(result));
      if (result.kind === 'error') return setError(result);
      props.onSent(result.data);
    });
  };

  const refused = error ? refusal(t, error, format.nok) : undefined;
  const needsNewPrice = expired || refused?.remedies.includes('newPrice');
  return (
    <section className="card review-card" aria-labelledby="review-title" data-testid="send-step-review" data-quote-id={quote.id}>
      <h2 id="review-title" className="review-title" tabIndex={-1} ref={props.headingRef}>
        {t.reviewTitle}
      </h2>

      <div className="review-section">
        <h3>{t.reviewAmounts}</h3>
        <button type="button" className="link-button" onClick={props.onChangeAmount} disabled={sending}>
          {t.changeAmount}
        </button>
      </div>
      <FigureList figures={quote} />
      <Countdown deadline={props.deadline} now={props.now} />

      <div className="review-section">
        <h3>{t.reviewRecipient}</h3>
        <button type="button" className="link-button" onClick={props.onChangeRecipient} disabled={sending}>
          {t.changeRecipient}
        </button>
      </div>
      <dl className="facts review-recipient" data-testid="review-recipient">
        <div>
          <dt>{t.reviewName}</dt>
          <dd data-testid="review-recipient-name">{recipient.name}</dd>
        </div>
        <div>
          <dt>{t.reviewAccount}</dt>
          <dd className="mono" data-testid="review-recipient-account">
            {recipient.display}
          </dd>
        </div>
        <div>
          <dt>{t.reviewCountry}</dt>
          <dd>{format.country(recipient.country)}</dd>
        </div>
      </dl>

      <p className="review-note">{t.reviewNote}</p>

      {expired && !refused && (
        <div className="inline-alert inline-alert-warn" role="alert" data-testid="review-expired">
          <AlertIcon />
          {t.reviewExpiredText}
        </div>
      )}
      {refused && (
        <div className="inline-alert review-error" role="alert" data-testid="transfer-error" data-code={error?.code}>
          <AlertIcon />
          <span>{refused.text}</span>
        </div>
      )}
      <div className="step-actions review-actions">
        {refused?.remedies.includes('kyc') && (
          <AppLink to="/kyc" className="button button-ghost">
            {t.goToKyc}
          </AppLink>
        )}
        {refused?.remedies.includes('transfers') && (
          <AppLink to="/transfers" className="button button-ghost">
            {t.seeTransfers}
          </AppLink>
        )}
        {needsNewPrice ? (
          <BigButton onClick={props.onNewPrice} disabled={props.renewing} busy={props.renewing} testId="review-new-price">
            <RefreshIcon />
            {props.renewing ? t.quoteRenewing : t.getNewPrice}
          </BigButton>
        ) : refused?.remedies.includes('recipient') ? (
          <button type="button" className="button button-primary button-large" onClick={props.onChangeRecipient}>
            {t.changeRecipient}
          </button>
        ) : (
          <BigButton onClick={send} disabled={sending} busy={sending} testId="send-button">
            <SendIcon />
            {sending ? t.sending : t.sendButton(format.money(quote.send))}
          </BigButton>
        )}
      </div>
    </section>
  );
}

/** Step 4: the transfer as the server made it, awaiting the customer's payment, and how to pay it. */
export function DoneStep(props: {
  transfer: Transfer;
  /** When its quote's rate stops being locked, in this browser's clock, if known. */
  deadline?: number | undefined;
  onAnother(): void;
  headingRef: Ref<HTMLHeadingElement>;
}): ReactNode {
  const { t } = useI18n();
  const { transfer } = props;
  const name = transfer.recipient?.name ?? t.recipientRemoved;
  return (
    <section
      className="card review-card done-card"
      aria-labelledby="done-title"
      data-testid="send-step-done"
      data-transfer-id={transfer.id}
    >
      <div className="done-head">
        <span className="done-icon" aria-hidden="true">
          <CheckIcon />
        </span>
        <div>
          <h2 id="done-title" className="review-title" tabIndex={-1} ref={props.headingRef}>
            {t.doneTitle}
          </h2>
          <TransferStatusPill status={transfer.status} />
        </div>
      </div>
      <p className="card-text done-text">{t.doneText(name)}</p>
      {transfer.status === 'awaiting_funds' && transfer.payIn && <PayInCard payIn={transfer.payIn} deadline={props.deadline} inset />}
      <FigureList figures={transfer} />
      <dl className="facts done-facts">
        <div>
          <dt>{t.reviewRecipient}</dt>
          <dd>
            {name}
            {transfer.recipient && <span className="mono done-account"> {transfer.recipient.display}</span>}
          </dd>
        </div>
        <div>
          <dt>{t.transferReference}</dt>
          <dd className="mono" data-testid="done-reference">
            {transfer.reference}
          </dd>
        </div>
      </dl>
      <div className="step-actions">
        <button type="button" className="button button-ghost" onClick={props.onAnother}>
          <PlusIcon />
          {t.doneAnother}
        </button>
        <AppLink to={transferPath(transfer.id)} className="button button-primary button-large" testId="done-view">
          {t.doneView}
          <ChevronIcon />
        </AppLink>
      </div>
    </section>
  );
}
