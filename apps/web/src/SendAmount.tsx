/** Step 1 of `/send`: where the money goes, how much, and the live price. */
import { type ApiProblem, type Corridor, formatDate, formatDecimal, localeTag } from '@drop/web-common';
import { type ReactNode, type Ref, useId, useMemo } from 'react';
import { CardHead } from './card.tsx';
import { type Messages, useI18n } from './i18n.ts';
import { AlertIcon, ChevronIcon, GlobeIcon, ReceiptIcon, RefreshIcon } from './icons.tsx';
import { Countdown, FigureList, useMoneyFormat } from './transfer-ui.tsx';
import type { QuoteState } from './use-quote.ts';

export type AmountMode = 'send' | 'receive';

export function corridorKey(corridor: Pick<Corridor, 'country' | 'currency'>): string {
  return `${corridor.country}-${corridor.currency}`;
}

/** Which refusals belong to the amount field (the rest are about the price as a whole). */
export function isAmountProblem(error: ApiProblem | undefined): boolean {
  return error?.code === 'AMOUNT_INVALID';
}

/** What to tell the customer about a refused quote, in their language. */
export function quoteErrorText(t: Messages, error: ApiProblem, nok: (amount: string) => string): string {
  const details = error.details ?? {};
  switch (error.code) {
    case 'AMOUNT_INVALID': {
      const reason = String(details.reason ?? 'format');
      if (reason === 'below_minimum' && typeof details.minimumNok === 'string') return t.amountBelowMinimum(nok(details.minimumNok));
      if (reason === 'above_maximum' && typeof details.maximumNok === 'string') return t.amountAboveMaximum(nok(details.maximumNok));
      return t.amountErrors[reason as keyof Messages['amountErrors']] ?? t.amountErrors.format;
    }
    case 'CORRIDOR_UNSUPPORTED':
      return t.corridorUnsupported;
    case 'RATES_UNAVAILABLE':
      return t.ratesUnavailable;
    default:
      return t.quoteFailed;
  }
}

const SOURCE_NAMES: Record<string, string> = { 'norges-bank': 'Norges Bank' };

/** Where the rate comes from: the reference rate, its publisher and day, and Drop's margin. */
export function ReferenceNote(props: { quote: NonNullable<QuoteState['quote']> }): ReactNode {
  const { t, locale } = useI18n();
  const { reference, receive } = props.quote;
  return (
    <p className="price-note" data-testid="quote-reference">
      {t.quoteReference(
        receive.currency,
        formatDecimal(reference.nokPerUnit, locale),
        SOURCE_NAMES[reference.source] ?? reference.source,
        formatDate(reference.date, locale),
        formatDecimal(reference.marginPercent, locale, 2),
      )}
    </p>
  );
}

export interface AmountStepProps {
  corridors: Corridor[];
  corridor: Corridor | undefined;
  onDestination(key: string): void;
  mode: AmountMode;
  onMode(mode: AmountMode): void;
  amountText: string;
  onAmountText(text: string): void;
  quote: QuoteState;
  /** Whether `quote` answers what is on screen now. */
  quoteCurrent: boolean;
  now: number;
  onRetry(): void;
  onContinue(): void;
  headingRef: Ref<HTMLHeadingElement>;
}

export function AmountStep(props: AmountStepProps): ReactNode {
  const { t, locale } = useI18n();
  const format = useMoneyFormat();
  const ids = { destination: useId(), amount: useId(), hint: useId(), error: useId(), price: useId() };
  const { corridor, quote, mode } = props;

  const options = useMemo(() => {
    const collator = new Intl.Collator(localeTag(locale));
    return props.corridors
      .map((c) => ({ key: corridorKey(c), label: t.destinationOption(format.country(c.country), c.currency) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [props.corridors, locale, t, format]);

  const fieldError =
    quote.status === 'error' && isAmountProblem(quote.error) && quote.error ? quoteErrorText(t, quote.error, format.nok) : undefined;
  const panelError =
    quote.status === 'error' && !isAmountProblem(quote.error) && quote.error ? quoteErrorText(t, quote.error, format.nok) : undefined;
  const shown = quote.quote && (quote.status === 'ok' || quote.status === 'loading') ? quote.quote : undefined;
  const stale = quote.status === 'loading' || !props.quoteCurrent;
  const canContinue =
    quote.status === 'ok' && props.quoteCurrent && quote.deadline !== undefined && quote.deadline > props.now && corridor !== undefined;
  const currency = mode === 'send' ? 'NOK' : (corridor?.currency ?? '');

  return (
    <div className="send-grid" data-testid="send-step-amount">
      <section className="card send-card" aria-labelledby="amount-title">
        <div className="card-head">
          <span className="card-icon">
            <GlobeIcon />
          </span>
          <h2 id="amount-title" className="card-title" tabIndex={-1} ref={props.headingRef}>
            {t.amountTitle}
          </h2>
        </div>
        <div className="field">
          <label htmlFor={ids.destination} className="field-label">
            {t.destinationLabel}
          </label>
          <select
            id={ids.destination}
            className="select"
            value={corridor ? corridorKey(corridor) : ''}
            onChange={(event) => props.onDestination(event.target.value)}
            data-testid="destination"
          >
            <option value="" disabled>
              {t.destinationPlaceholder}
            </option>
            {options.map((option) => (
              <option key={option.key} value={option.key}>
                {option.label}
              </option>
            ))}
          </select>
        </div>

        <fieldset className="segmented" data-testid="amount-mode">
          <legend className="field-label">{t.amountModeLegend}</legend>
          <div className="segmented-options">
            {(['send', 'receive'] as const).map((option) => (
              <label key={option} className="segment">
                <input
                  type="radio"
                  name="amount-mode"
                  value={option}
                  checked={mode === option}
                  onChange={() => props.onMode(option)}
                  data-testid={`mode-${option}`}
                />
                <span>{option === 'send' ? t.modeSend : corridor ? t.modeReceive(corridor.currency) : t.amountLabelReceive}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="field">
          <label htmlFor={ids.amount} className="field-label">
            {mode === 'send' ? t.amountLabelSend : t.amountLabelReceive}
            {currency && <span className="visually-hidden"> ({currency})</span>}
          </label>
          <div className={`amount-input${fieldError ? ' amount-input-invalid' : ''}`}>
            <input
              id={ids.amount}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              spellCheck={false}
              value={props.amountText}
              onChange={(event) => props.onAmountText(event.target.value)}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={`${ids.hint}${fieldError ? ` ${ids.error}` : ''}`}
              data-testid="amount-input"
            />
            <span className="amount-currency" aria-hidden="true">
              {currency}
            </span>
          </div>
          <p id={ids.hint} className="field-hint">
            {corridor ? t.amountHint(format.nok(corridor.minSendNok), format.nok(corridor.maxSendNok)) : t.quoteEmpty}
          </p>
          <div aria-live="polite">
            {fieldError && (
              <p id={ids.error} className="field-error" data-testid="amount-error">
                <AlertIcon />
                {fieldError}
              </p>
            )}
          </div>
        </div>
      </section>

      <section
        className="card price-card"
        aria-labelledby={ids.price}
        data-testid="quote"
        data-status={quote.status}
        data-current={props.quoteCurrent}
        data-quote-id={quote.quote?.id}
        aria-busy={quote.status === 'loading'}
      >
        <CardHead icon={<ReceiptIcon />} titleId={ids.price} title={t.quoteTitle} />
        {shown ? (
          <FigureList figures={shown} className={stale ? 'is-stale' : undefined} />
        ) : (
          !panelError && <p className="price-empty">{t.quoteEmpty}</p>
        )}
        {quote.status === 'loading' && (
          <p className="price-status" aria-hidden="true" data-testid="quote-loading">
            <span className="spinner spinner-sm" />
            {shown ? t.quoteRenewing : t.quoteLoading}
          </p>
        )}
        {/* Says what the new price gives, once it is there, rather than every figure as it changes. */}
        <p className="visually-hidden" role="status">
          {quote.status === 'loading'
            ? t.quoteLoading
            : quote.status === 'ok' && shown
              ? `${t.quoteTheyGet}: ${format.money(shown.receive)}. ${t.quoteFee}: ${format.money(shown.fee)}.`
              : ''}
        </p>
        {quote.status === 'ok' && quote.deadline !== undefined && <Countdown deadline={quote.deadline} now={props.now} />}
        {panelError && (
          <div className="inline-alert price-error" role="alert" data-testid="quote-error">
            <AlertIcon />
            <span>{panelError}</span>
            <button type="button" className="button button-secondary" onClick={props.onRetry}>
              <RefreshIcon />
              {t.tryAgain}
            </button>
          </div>
        )}
        {shown && quote.status === 'ok' && <ReferenceNote quote={shown} />}
        <button
          type="button"
          className="button button-primary button-large price-continue"
          disabled={!canContinue}
          onClick={props.onContinue}
          data-testid="amount-continue"
        >
          {t.continue}
          <ChevronIcon />
        </button>
      </section>
    </div>
  );
}
