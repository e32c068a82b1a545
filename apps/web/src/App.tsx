import { localeTag } from '@drop/web-common';
import type { ReactNode } from 'react';
import { LOCALES, useI18n } from './i18n.ts';
import { ArrowIcon, CheckIcon, DropMark, EyeIcon, LockIcon, ReceiptIcon } from './icons.tsx';
import { StatusCard } from './StatusCard.tsx';

function LanguageSwitch(): ReactNode {
  const { t, locale, setLocale } = useI18n();
  return (
    <fieldset className="lang-switch">
      <legend className="visually-hidden">{t.language}</legend>
      {LOCALES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="lang-option"
          aria-pressed={option === locale}
          onClick={() => setLocale(option)}
        >
          {t.languageName[option]}
        </button>
      ))}
    </fieldset>
  );
}

function Header(): ReactNode {
  const { t } = useI18n();
  return (
    <header className="site-header">
      <div className="container header-inner">
        <a className="brand" href="/" aria-label={t.homeLink}>
          <DropMark />
          <span className="wordmark">Drop</span>
        </a>
        <nav className="site-nav" aria-label={t.nav}>
          <a href="#how">{t.navHow}</a>
          <a href="#why">{t.navWhy}</a>
          <a href="#status">{t.navStatus}</a>
        </nav>
        <LanguageSwitch />
      </div>
    </header>
  );
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
        <ol className="tracker">
          {t.exampleSteps.map((step, index) => (
            <li key={step} className={index < 3 ? 'done' : index === 3 ? 'current' : undefined}>
              <span className="tracker-dot" aria-hidden="true">
                {index < 3 && <CheckIcon />}
              </span>
              {step}
            </li>
          ))}
        </ol>
      </div>
      <figcaption>{t.exampleCaption}</figcaption>
    </figure>
  );
}

function Hero(): ReactNode {
  const { t } = useI18n();
  return (
    <section className="hero" aria-labelledby="hero-title">
      <div className="container hero-inner">
        <div className="hero-copy">
          <p className="eyebrow">{t.heroEyebrow}</p>
          <h1 id="hero-title">{t.heroTitle}</h1>
          <p className="lead">{t.heroLead}</p>
          <ul className="checklist">
            {t.heroPoints.map((point) => (
              <li key={point}>
                <CheckIcon />
                {point}
              </li>
            ))}
          </ul>
          <div className="hero-actions">
            <a className="button button-primary" href="#how">
              {t.navHow}
              <ArrowIcon />
            </a>
            <a className="button button-ghost" href="#status">
              {t.heroStatusLink}
            </a>
          </div>
          <p className="hero-note">{t.heroNote}</p>
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

function Footer(): ReactNode {
  const { t } = useI18n();
  return (
    <footer className="site-footer">
      <div className="container footer-inner">
        <div className="footer-brand">
          <span className="brand">
            <DropMark size={28} />
            <span className="wordmark">Drop</span>
          </span>
          <p>{t.footerTagline}</p>
          <p className="footer-note">{t.footerDevNote}</p>
        </div>
        <nav className="footer-links" aria-label={t.footerProduct}>
          <h2>{t.footerProduct}</h2>
          <a href="#how">{t.navHow}</a>
          <a href="#why">{t.navWhy}</a>
          <a href="#status">{t.navStatus}</a>
        </nav>
        <nav className="footer-links" aria-label={t.footerDevelopers}>
          <h2>{t.footerDevelopers}</h2>
          <a href="/api/docs">{t.footerApiDocs}</a>
          <a href="/api/health">{t.footerHealth}</a>
        </nav>
      </div>
      <div className="container footer-bottom">
        <span>{t.footerRights(new Date().getFullYear())}</span>
      </div>
    </footer>
  );
}

export function App(): ReactNode {
  const { t } = useI18n();
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Hero />
        <HowItWorks />
        <WhyDrop />
        <Status />
      </main>
      <Footer />
    </>
  );
}
