import { localeTag } from '@drop/web-common';
import { IconList } from '@drop/web-common/icon-list';
import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, useEffect, useState } from 'react';
import { useAccount } from './account.tsx';
import { StepTracker } from './card.tsx';
import { useI18n } from './i18n.ts';
import { ArrowIcon, CheckIcon, EyeIcon, LockIcon, ReceiptIcon } from './icons.tsx';
import { BankIdSignIn, FarewellNotice, type SignInOutcome, SignInOutcomeNotice, signInOutcome } from './SignIn.tsx';
import { StatusCard } from './StatusCard.tsx';

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

/** A sample quote and tracker, clearly labelled as an illustration. */
function ExampleTransfer(): ReactNode {
  const { t, locale } = useI18n();
  const money = (amount: number, currency: string) =>
    new Intl.NumberFormat(localeTag(locale), { style: 'currency', currency, currencyDisplay: 'code' }).format(amount);
  const rate = new Intl.NumberFormat(localeTag(locale), { minimumFractionDigits: 4 }).format(0.3712);
  return (
    <figure className="example">
      <div className="example-card">
        <div className="example-head">
          <span className="example-title">{t.exampleTitle}</span>
          <span className="tag">{t.exampleLabel}</span>
        </div>
        <dl className="quote">
          <div className="quote-row">
            <dt>{t.exampleYouSend}</dt>
            <dd className="quote-amount">{money(5000, 'NOK')}</dd>
          </div>
          <div className="quote-row">
            <dt>{t.exampleFee}</dt>
            <dd>{money(39, 'NOK')}</dd>
          </div>
          <div className="quote-row">
            <dt>
              {t.exampleRate} <span className="muted">· {t.exampleRateValid}</span>
            </dt>
            <dd>1 NOK = {rate} PLN</dd>
          </div>
          <div className="quote-row quote-total">
            <dt>{t.exampleTheyGet}</dt>
            <dd>{money(1841.52, 'PLN')}</dd>
          </div>
        </dl>
        <StepTracker steps={t.exampleSteps} done={3} />
      </div>
      <figcaption>{t.exampleCaption}</figcaption>
    </figure>
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
        <ExampleTransfer />
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
