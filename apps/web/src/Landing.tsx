import {
  type ApiProblem,
  type Corridor,
  fetchCorridors,
  localeTag,
  parseAmountInput,
  previewQuote,
  type QuotePreview,
  toAmountInput,
} from '@drop/web-common';
import { IconList } from '@drop/web-common/icon-list';
import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { useAccount } from './account.tsx';
import { useI18n } from './i18n.ts';
import { AlertIcon, ArrowIcon, CheckIcon, EyeIcon, LockIcon, ReceiptIcon } from './icons.tsx';
import { corridorKey, quoteErrorText } from './SendAmount.tsx';
import { BankIdSignIn, FarewellNotice, type SignInOutcome, SignInOutcomeNotice, signInOutcome } from './SignIn.tsx';
import { StatusCard } from './StatusCard.tsx';
import { FigureList, useMoneyFormat } from './transfer-ui.tsx';

/** The hero's main action: sign in with BankID, or continue to "My account" when already signed in. */
function HeroAction(): ReactNode {
  const { t } = useI18n();
  const { state } = useAccount();
  if (state.status === 'signedIn') {
    return (
      <AppLink to="/home" className="button button-primary button-large">
        {t.myAccount}
        <ArrowIcon />
      </AppLink>
    );
  }
  return <BankIdSignIn testId="hero-signin" />;
}

/** How long typing must pause before the price check asks again. */
const PREVIEW_DEBOUNCE_MS = 400;
const DEFAULT_DESTINATION = 'PL-PLN';
const DEFAULT_AMOUNT = '5000';

/**
 * Today's price for a visitor: the same pricing as a signed-in quote (`GET /api/quotes/preview`),
 * for any destination and amount, but neither stored nor locked – the locked price comes after
 * signing in.
 */
function PriceCheck(): ReactNode {
  const { t, locale } = useI18n();
  const format = useMoneyFormat();
  const ids = { title: useId(), destination: useId(), amount: useId(), hint: useId() };
  const [corridors, setCorridors] = useState<Corridor[]>();
  const [destination, setDestination] = useState(DEFAULT_DESTINATION);
  const [amountText, setAmountText] = useState(() => toAmountInput(DEFAULT_AMOUNT, locale));
  const [price, setPrice] = useState<{ status: 'idle' | 'loading' | 'ok' | 'error'; preview?: QuotePreview; error?: ApiProblem }>({
    status: 'idle',
  });

  useEffect(() => {
    const controller = new AbortController();
    void fetchCorridors(controller.signal).then(
      (result) => {
        if (result.kind !== 'ok') return setPrice({ status: 'error' });
        setCorridors(result.data);
        if (!result.data.some((c) => corridorKey(c) === DEFAULT_DESTINATION) && result.data[0]) setDestination(corridorKey(result.data[0]));
      },
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  const corridor = corridors?.find((c) => corridorKey(c) === destination);
  const empty = amountText.trim() === '';
  const amount = parseAmountInput(amountText, locale);
  useEffect(() => {
    if (!corridor) return;
    if (empty) return setPrice({ status: 'idle' });
    if (amount === undefined) return setPrice({ status: 'error', error: { kind: 'error', status: 0, code: 'AMOUNT_INVALID' } });
    const controller = new AbortController();
    setPrice((previous) => ({ ...previous, status: 'loading' }));
    const timer = window.setTimeout(() => {
      void previewQuote({ country: corridor.country, currency: corridor.currency, sendAmount: amount }, controller.signal).then(
        (result) => {
          if (controller.signal.aborted) return;
          if (result.kind === 'ok') setPrice({ status: 'ok', preview: result.data });
          else setPrice({ status: 'error', error: result.kind === 'error' ? result : undefined });
        },
        () => undefined,
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [corridor, amount, empty]);

  const options = useMemo(() => {
    const collator = new Intl.Collator(localeTag(locale));
    return (corridors ?? [])
      .map((c) => ({ key: corridorKey(c), label: t.destinationOption(format.country(c.country), c.currency) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [corridors, locale, t, format]);

  const shown = price.status === 'ok' || price.status === 'loading' ? price.preview : undefined;
  const problem =
    price.status === 'error' ? (price.error ? quoteErrorText(t, price.error, format.nok) : t.priceCheck.unavailable) : undefined;
  return (
    <section className="example price-check" aria-labelledby={ids.title} data-testid="price-check" data-status={price.status}>
      <div className="example-card">
        <div className="example-head">
          <h2 id={ids.title} className="example-title">
            {t.priceCheck.title}
          </h2>
          <span className="tag">{t.priceCheck.tag}</span>
        </div>
        <div className="price-check-fields">
          <div className="field">
            <label htmlFor={ids.destination} className="field-label">
              {t.destinationLabel}
            </label>
            <select
              id={ids.destination}
              className="select"
              value={corridor ? destination : ''}
              onChange={(event) => setDestination(event.target.value)}
              disabled={!corridors}
              data-testid="price-check-destination"
            >
              {!corridor && <option value="">{t.loadingShort}</option>}
              {options.map((option) => (
                <option key={option.key} value={option.key}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.amount} className="field-label">
              {t.amountLabelSend}
              <span className="visually-hidden"> (NOK)</span>
            </label>
            <div className="amount-input">
              <input
                id={ids.amount}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                spellCheck={false}
                value={amountText}
                onChange={(event) => setAmountText(event.target.value)}
                aria-describedby={ids.hint}
                data-testid="price-check-amount"
              />
              <span className="amount-currency" aria-hidden="true">
                NOK
              </span>
            </div>
          </div>
        </div>
        {shown && <FigureList figures={shown} className={price.status === 'loading' ? 'is-stale' : undefined} />}
        {problem && (
          <p className="field-error" role="alert" data-testid="price-check-error">
            <AlertIcon />
            {problem}
          </p>
        )}
        <p id={ids.hint} className="price-note" data-testid="price-check-note">
          {t.priceCheck.note}
        </p>
      </div>
    </section>
  );
}

function Hero(props: { notice?: ReactNode }): ReactNode {
  const { t } = useI18n();
  const { state } = useAccount();
  return (
    <section className="hero" aria-labelledby="hero-title">
      {props.notice}
      <div className="container hero-inner">
        <div className="hero-copy">
          <p className="eyebrow">{t.heroEyebrow}</p>
          <h1 id="hero-title">{t.heroTitle}</h1>
          <p className="lead">{t.heroLead}</p>
          <IconList items={t.heroPoints} icon={<CheckIcon />} className="checklist" />
          <div className="hero-actions">
            <HeroAction />
            <a className="button button-ghost" href="#how">
              {t.navHow}
              <ArrowIcon />
            </a>
          </div>
          {state.status !== 'signedIn' && <p className="hero-note">{t.heroNote}</p>}
        </div>
        <PriceCheck />
      </div>
    </section>
  );
}

function HowItWorks(): ReactNode {
  const { t } = useI18n();
  return (
    <section id="how" className="section" aria-labelledby="how-title">
      <div className="container">
        <h2 id="how-title">{t.howTitle}</h2>
        <ol className="steps">
          {t.howSteps.map((step, index) => (
            <li key={step.title} className="step">
              <span className="step-number" aria-hidden="true">
                {index + 1}
              </span>
              <h3>{step.title}</h3>
              <p>{step.text}</p>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}

const WHY_ICONS = [EyeIcon, LockIcon, ReceiptIcon];

function WhyDrop(): ReactNode {
  const { t } = useI18n();
  return (
    <section id="why" className="section section-tinted" aria-labelledby="why-title">
      <div className="container">
        <h2 id="why-title">{t.whyTitle}</h2>
        <ul className="features">
          {t.whyItems.map((item, index) => {
            const FeatureIcon = WHY_ICONS[index] ?? CheckIcon;
            return (
              <li key={item.title} className="feature">
                <span className="feature-icon">
                  <FeatureIcon />
                </span>
                <h3>{item.title}</h3>
                <p>{item.text}</p>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}

function Status(): ReactNode {
  const { t } = useI18n();
  return (
    <section id="status" className="section" aria-labelledby="status-title">
      <div className="container status-layout">
        <div>
          <h2 id="status-title">{t.statusTitle}</h2>
          <p className="section-lead">{t.statusIntro}</p>
        </div>
        <StatusCard />
      </div>
    </section>
  );
}

/** Drops `?signin=` from the address, so a reload or a shared link does not repeat the message. */
function forgetSignInOutcome(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('signin')) return;
  url.searchParams.delete('signin');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

/** The public front page: what Drop is, how it works, live service status, and the way in. */
export function Landing(): ReactNode {
  const { farewell, clearFarewell } = useAccount();
  const [outcome, setOutcome] = useState<SignInOutcome | undefined>(() => signInOutcome(window.location.search));
  useEffect(forgetSignInOutcome, []);
  const notice = outcome ? (
    <SignInOutcomeNotice outcome={outcome} onDismiss={() => setOutcome(undefined)} />
  ) : farewell ? (
    <FarewellNotice farewell={farewell} onDismiss={clearFarewell} />
  ) : undefined;
  return (
    <>
      <Hero notice={notice} />
      <HowItWorks />
      <WhyDrop />
      <Status />
    </>
  );
}
