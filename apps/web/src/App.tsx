import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, useEffect, useRef } from 'react';
import { AccountArea } from './AccountArea.tsx';
import { AgeLimit } from './AgeLimit.tsx';
import { AccountProvider } from './account.tsx';
import { EmailPage } from './Email.tsx';
import { Home } from './Home.tsx';
import { useI18n } from './i18n.ts';
import { BackIcon } from './icons.tsx';
import { Kyc } from './Kyc.tsx';
import { Landing } from './Landing.tsx';
import { Footer, SiteHeader } from './Layout.tsx';
import { Contact, PrivacyNotice, Terms } from './Legal.tsx';
import { Privacy } from './Privacy.tsx';
import { Recipients } from './Recipients.tsx';
import { type Route, useAppRoute } from './routes.ts';
import { Send } from './Send.tsx';
import { Sessions } from './Sessions.tsx';
import { TransferPage, Transfers } from './Transfers.tsx';

function NotFound(): ReactNode {
  const { t } = useI18n();
  return (
    <section className="section not-found" aria-labelledby="not-found-title">
      <div className="container">
        <p className="eyebrow">404</p>
        <h1 id="not-found-title">{t.notFoundTitle}</h1>
        <p className="page-lead">{t.notFoundText}</p>
        <AppLink to="/" className="button button-primary">
          <BackIcon />
          {t.notFoundBack}
        </AppLink>
      </div>
    </section>
  );
}

/** Keeps the document title in step with the page and the language. */
function usePageTitle(route: Route): void {
  const { t } = useI18n();
  useEffect(() => {
    const page = {
      landing: undefined,
      terms: t.legal.termsTitle,
      privacyNotice: t.legal.privacyTitle,
      contact: t.legal.contactTitle,
      recipients: t.recipientsPage.title,
      home: t.homeTitle,
      kyc: t.kycPageTitle,
      sessions: t.sessionsTitle,
      privacy: t.privacy.title,
      send: t.sendTitle,
      transfers: t.transfersTitle,
      transfer: t.transferEyebrow,
      email: t.email.title,
      ageLimit: t.ageLimit.eyebrow,
      notFound: t.notFoundTitle,
    }[route];
    document.title = page ? `${page} – Drop` : t.documentTitle;
  }, [route, t]);
}

/** After a client-side page change, moves focus to the new page so screen readers start there. */
function useFocusOnNavigation(path: string): void {
  const first = useRef(true);
  useEffect(() => {
    void path;
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
}

const ACCOUNT_ROUTES: readonly Route[] = ['home', 'kyc', 'sessions', 'privacy', 'recipients', 'send', 'transfers', 'transfer', 'email'];

function Pages(): ReactNode {
  const { t } = useI18n();
  const { route, path, transferId } = useAppRoute();
  usePageTitle(route);
  useFocusOnNavigation(path);

  if (ACCOUNT_ROUTES.includes(route)) {
    return (
      <>
        <a className="skip-link" href="#main">
          {t.skipToContent}
        </a>
        <AccountArea route={route}>
          {(me, signOut) => {
            switch (route) {
              case 'home':
                return <Home me={me} signOut={signOut} />;
              case 'kyc':
                return <Kyc />;
              case 'send':
                return <Send />;
              case 'transfers':
                return <Transfers />;
              case 'transfer':
                return <TransferPage key={path} id={transferId} />;
              case 'privacy':
                return <Privacy />;
              case 'email':
                return <EmailPage />;
              case 'recipients':
                return <Recipients />;
              default:
                return <Sessions signOut={signOut} />;
            }
          }}
        </AccountArea>
        <Footer />
      </>
    );
  }
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <SiteHeader sections={route === 'landing'} />
      <main id="main" tabIndex={-1}>
        {route === 'landing' ? (
          <Landing />
        ) : route === 'terms' ? (
          <Terms />
        ) : route === 'privacyNotice' ? (
          <PrivacyNotice />
        ) : route === 'contact' ? (
          <Contact />
        ) : route === 'ageLimit' ? (
          <AgeLimit />
        ) : (
          <NotFound />
        )}
      </main>
      <Footer />
    </>
  );
}

export function App(): ReactNode {
  return (
    <AccountProvider>
      <Pages />
    </AccountProvider>
  );
}
