import { HEALTH_INTERVAL_MS, useHealth } from '@drop/web-common';
import { type ReactNode, useEffect } from 'react';
import { LOCALES, type SectionId, useI18n } from './i18n.ts';
import { Operations } from './Operations.tsx';
import { Overview } from './Overview.tsx';
import { pathFor, type Route, useRoute } from './router.ts';
import { AppLink, DropMark, SectionIcon } from './ui.tsx';

type NavItem = { id: SectionId; route?: Exclude<Route, 'notFound'> };
const NAV: Array<{ group: 'general' | 'compliance' | 'support' | 'platform'; items: NavItem[] }> = [
  { group: 'general', items: [{ id: 'overview', route: 'overview' }] },
  { group: 'compliance', items: [{ id: 'kyc' }, { id: 'aml' }, { id: 'str' }] },
  { group: 'support', items: [{ id: 'customers' }, { id: 'dataRequests' }] },
  { group: 'platform', items: [{ id: 'operations', route: 'operations' }] },
];

function LanguageSwitch(): ReactNode {
  const { t, locale, setLocale } = useI18n();
  return (
    <fieldset className="lang-switch">
      <legend className="visually-hidden">{t.language}</legend>
      {LOCALES.map((option) => (
        <button key={option} type="button" lang={option} aria-pressed={option === locale} onClick={() => setLocale(option)}>
          {option.toUpperCase()}
          <span className="visually-hidden"> – {t.languageName[option]}</span>
        </button>
      ))}
    </fieldset>
  );
}

function Sidebar(props: { route: Route; navigate(route: Exclude<Route, 'notFound'>): void }): ReactNode {
  const { t } = useI18n();
  return (
    <aside className="sidebar">
      <div className="sidebar-brand">
        <DropMark />
        <div>
          <span className="sidebar-name">{t.appName}</span>
          <span className="sidebar-tag">{t.appTag}</span>
        </div>
      </div>
      <nav aria-label={t.mainNav} className="sidebar-nav">
        {NAV.map(({ group, items }) => (
          <div key={group} className="nav-group">
            <p className="nav-group-title">{t.navGroups[group]}</p>
            <ul>
              {items.map((item) => {
                const { route } = item;
                return (
                  <li key={item.id}>
                    {route ? (
                      <AppLink
                        href={pathFor(route)}
                        className="nav-item"
                        current={props.route === route}
                        onNavigate={() => props.navigate(route)}
                      >
                        <SectionIcon section={item.id} />
                        {t.sections[item.id]}
                      </AppLink>
                    ) : (
                      <span className="nav-item nav-item-disabled" aria-disabled="true">
                        <SectionIcon section={item.id} />
                        {t.sections[item.id]}
                        <span className="soon">
                          {t.comingSoon}
                          <span className="visually-hidden"> ({t.comingSoonLong})</span>
                        </span>
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </nav>
      <p className="sidebar-foot">{t.staffSignIn}</p>
    </aside>
  );
}

function NotFound(props: { navigate(route: 'overview'): void }): ReactNode {
  const { t } = useI18n();
  return (
    <div className="empty">
      <h1>{t.notFoundTitle}</h1>
      <p>{t.notFoundText}</p>
      <AppLink href={pathFor('overview')} className="button" onNavigate={() => props.navigate('overview')}>
        {t.backToOverview}
      </AppLink>
    </div>
  );
}

export function App(): ReactNode {
  const { t } = useI18n();
  const { route, navigate } = useRoute();
  const health = useHealth(HEALTH_INTERVAL_MS);
  const title = route === 'notFound' ? t.notFoundTitle : t.sections[route];

  useEffect(() => {
    document.title = `${title} · ${t.appName}`;
  }, [title, t]);

  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        {t.skipToContent}
      </a>
      <Sidebar route={route} navigate={navigate} />
      <div className="workspace">
        <header className="topbar">
          <p className="breadcrumb">
            <span>{t.appName}</span>
            <span aria-hidden="true">/</span>
            <span className="breadcrumb-current">{title}</span>
          </p>
          <LanguageSwitch />
        </header>
        <main id="content" className="content" tabIndex={-1}>
          {route === 'overview' && <Overview health={health} navigate={navigate} />}
          {route === 'operations' && <Operations health={health} />}
          {route === 'notFound' && <NotFound navigate={navigate} />}
        </main>
      </div>
    </div>
  );
}
