import { type Me, saveMyLanguage } from '@drop/web-common';
import { LanguageSwitch as SharedLanguageSwitch } from '@drop/web-common/language-switch';
import { AppLink } from '@drop/web-common/routing';
import { type ReactNode, type RefObject, useEffect, useRef, useState } from 'react';
import { useI18n } from './i18n.ts';
import { BackIcon, ChevronIcon, DropMark, LogoutIcon } from './icons.tsx';
import type { Route } from './routes.ts';
import { AccountAction } from './SignIn.tsx';

/** The language buttons; signed in (`keep`), the choice is also kept for the customer's emails and receipts. */
export function LanguageSwitch(props: { keep?: boolean }): ReactNode {
  const { t } = useI18n();
  return (
    <SharedLanguageSwitch
      legend={t.language}
      optionClassName="lang-option"
      onChoose={props.keep ? (option) => void saveMyLanguage(option) : undefined}
    >
      {(option) => t.languageName[option]}
    </SharedLanguageSwitch>
  );
}

/** The Drop mark and name, linking to the front page (or, signed in, to the account's overview). */
function BrandLink(props: { to: string; label: string }): ReactNode {
  return (
    <AppLink to={props.to} className="brand" aria-label={props.label}>
      <DropMark />
      <span className="wordmark">Drop</span>
    </AppLink>
  );
}

/** The public header: sections of the landing page, language, and sign-in (or "My account"). */
export function SiteHeader(props: { sections?: boolean }): ReactNode {
  const { t } = useI18n();
  const sections = props.sections ?? true;
  return (
    <header className="site-header">
      <div className="container header-inner">
        <BrandLink to="/" label={t.homeLink} />
        <nav className="site-nav" aria-label={t.nav}>
          {sections && (
            <>
              <a href="#how">{t.navHow}</a>
              <a href="#why">{t.navWhy}</a>
              <a href="#status">{t.navStatus}</a>
            </>
          )}
        </nav>
        <LanguageSwitch />
        <AccountAction testId="header-signin" />
      </div>
    </header>
  );
}

export function initials(me: Me): string {
  const parts = [me.givenName, me.familyName].filter((part): part is string => Boolean(part));
  const source = parts.length > 0 ? parts : (me.name ?? '').split(/\s+/).filter(Boolean);
  const first = source[0]?.[0] ?? '';
  const last = source.length > 1 ? (source[source.length - 1]?.[0] ?? '') : '';
  return `${first}${last}`.toUpperCase() || '·';
}

export function displayName(me: Me): string {
  return me.name ?? ([me.givenName, me.familyName].filter(Boolean).join(' ') || me.id);
}

/**
 * Where more of a sideways-scrolling row lies: on a phone the account's pages do not fit, and the
 * row shows a "more" arrow at each edge it continues past (a hidden scrollbar would not show it).
 * Also marked on the row (`data-more-start`, `data-more-end`).
 */
function useScrollHints(ref: RefObject<HTMLElement | null>): { start: boolean; end: boolean } {
  const [more, setMore] = useState({ start: false, end: false });
  useEffect(() => {
    const bar = ref.current;
    if (!bar) return;
    const update = () => {
      const overflow = bar.scrollWidth - bar.clientWidth;
      const start = overflow > 1 && bar.scrollLeft > 1;
      const end = overflow > 1 && bar.scrollLeft < overflow - 1;
      bar.dataset.moreStart = String(start);
      bar.dataset.moreEnd = String(end);
      setMore((previous) => (previous.start === start && previous.end === end ? previous : { start, end }));
    };
    // After a resize, measure once the browser has settled the row's scroll position too.
    let frame = 0;
    const later = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(update);
    };
    update();
    bar.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', later);
    const observer = new ResizeObserver(later);
    observer.observe(bar);
    for (const child of bar.children) observer.observe(child);
    return () => {
      cancelAnimationFrame(frame);
      bar.removeEventListener('scroll', update);
      window.removeEventListener('resize', later);
      observer.disconnect();
    };
  }, [ref]);
  return more;
}

/** Scrolls a row by most of its width, towards `direction`. */
function scrollRow(bar: HTMLElement | null, direction: 1 | -1): void {
  bar?.scrollBy({ left: direction * Math.max(80, bar.clientWidth * 0.7), behavior: 'smooth' });
}

/** The header of the signed-in area: its pages, language, who is signed in, and "Log out". */
export function AccountHeader(props: { route: Route; me: Me | undefined; onSignOut(): void; signingOut: boolean }): ReactNode {
  const { t } = useI18n();
  const { me } = props;
  const nav = useRef<HTMLElement>(null);
  // On a phone the pages scroll sideways: keep the current one in view.
  useEffect(() => {
    void props.route;
    const bar = nav.current;
    const current = bar?.querySelector('[aria-current="page"]');
    if (!bar || !current || bar.scrollWidth <= bar.clientWidth) return;
    const box = bar.getBoundingClientRect();
    const link = current.getBoundingClientRect();
    // Clear of the "more" arrows (44 px) over the row's edges.
    if (link.left < box.left + 44 || link.right > box.right - 44) bar.scrollLeft += link.left - box.left - 48;
  }, [props.route]);
  const more = useScrollHints(nav);
  return (
    <header className="site-header account-header">
      <div className="container header-inner">
        <BrandLink to="/home" label={t.accountHomeLink} />
        <div className="account-nav-row">
          {more.start && (
            <button
              type="button"
              className="account-nav-more account-nav-more-start"
              tabIndex={-1}
              aria-hidden="true"
              onClick={() => scrollRow(nav.current, -1)}
              data-testid="account-nav-more-start"
            >
              <BackIcon />
            </button>
          )}
          <nav className="site-nav account-nav" aria-label={t.accountNav} ref={nav}>
            <AppLink to="/home" current={props.route === 'home'}>
              {t.navOverview}
            </AppLink>
            <AppLink to="/send" current={props.route === 'send'}>
              {t.navSend}
            </AppLink>
            <AppLink to="/transfers" current={props.route === 'transfers' || props.route === 'transfer'}>
              {t.navTransfers}
            </AppLink>
            <AppLink to="/recipients" current={props.route === 'recipients'}>
              {t.navRecipients}
            </AppLink>
            <AppLink to="/kyc" current={props.route === 'kyc'}>
              {t.navKyc}
            </AppLink>
            <AppLink to="/sessions" current={props.route === 'sessions'}>
              {t.navSessions}
            </AppLink>
            <AppLink to="/privacy" current={props.route === 'privacy'}>
              {t.navPrivacy}
            </AppLink>
          </nav>
          {more.end && (
            <button
              type="button"
              className="account-nav-more account-nav-more-end"
              tabIndex={-1}
              aria-hidden="true"
              onClick={() => scrollRow(nav.current, 1)}
              data-testid="account-nav-more-end"
            >
              <ChevronIcon />
            </button>
          )}
        </div>
        <LanguageSwitch keep />
        {me && (
          <div className="user-chip" title={t.signedInAs(displayName(me))}>
            <span className="avatar" aria-hidden="true">
              {initials(me)}
            </span>
            <span className="user-name">
              <span className="visually-hidden">{t.signedInAs('')}</span>
              {displayName(me)}
            </span>
          </div>
        )}
        <button
          type="button"
          className="button button-secondary header-signout"
          onClick={props.onSignOut}
          disabled={props.signingOut || !me}
          data-testid="header-signout"
        >
          <LogoutIcon />
          <span className="signout-label">{props.signingOut ? t.signingOut : t.signOut}</span>
        </button>
      </div>
    </header>
  );
}

export function Footer(): ReactNode {
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
          <a href="/#how">{t.navHow}</a>
          <a href="/#why">{t.navWhy}</a>
          <a href="/#status">{t.navStatus}</a>
        </nav>
        <nav className="footer-links" aria-label={t.footerCompany} data-testid="footer-company">
          <h2>{t.footerCompany}</h2>
          <AppLink to="/terms">{t.footerTerms}</AppLink>
          <AppLink to="/privacy-notice">{t.footerPrivacy}</AppLink>
          <AppLink to="/contact">{t.footerContact}</AppLink>
        </nav>
      </div>
      <div className="container footer-bottom">
        <span>{t.footerRights(new Date().getFullYear())}</span>
      </div>
    </footer>
  );
}
