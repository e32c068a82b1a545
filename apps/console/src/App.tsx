import { HEALTH_INTERVAL_MS, useHealth } from '@drop/web-common';
import { AppLink } from '@drop/web-common/routing';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { AmlAlertPage } from './AmlAlertPage.tsx';
import { AmlAlerts } from './AmlAlerts.tsx';
import { AmlCasePage } from './AmlCasePage.tsx';
import { AmlCases } from './AmlCases.tsx';
import { Approvals } from './Approvals.tsx';
import { AuditLog } from './AuditLog.tsx';
import { CustomerProfile } from './CustomerProfile.tsx';
import { Customers } from './Customers.tsx';
import { DataRequests } from './DataRequests.tsx';
import { Enrol } from './Enrol.tsx';
import { type SectionId, useI18n } from './i18n.ts';
import { KycCase } from './KycCase.tsx';
import { KycQueue } from './KycQueue.tsx';
import { Ledger } from './Ledger.tsx';
import { Brand, LanguageSwitch, Login, type LoginNotice } from './Login.tsx';
import { Operations } from './Operations.tsx';
import { Overview } from './Overview.tsx';
import { Payments } from './Payments.tsx';
import { NoAccess } from './page.tsx';
import { type PageRoute, pathFor, type Route, type RouteState, useRoute } from './routes.ts';
import { Sla } from './Sla.tsx';
import { StaffAdmin } from './StaffAdmin.tsx';
import { StrDraft, StrEdit } from './StrDraft.tsx';
import { StrPage } from './StrPage.tsx';
import { Strs } from './Strs.tsx';
import { canUse, homeRoute, SECTION_ROUTES, type Session, SessionContext, sectionOfRoute, useSession } from './session.ts';
import { fetchStaffMe, type StaffMe, staffLogout } from './staff-api.ts';
import { TransferPage } from './TransferPage.tsx';
import { Transfers } from './Transfers.tsx';
import { DropMark, LogoutIcon, SectionIcon } from './ui.tsx';

const NAV: Array<{ group: 'general' | 'compliance' | 'support' | 'platform' | 'admin'; items: SectionId[] }> = [
  { group: 'general', items: ['overview'] },
  { group: 'compliance', items: ['kyc', 'aml', 'cases', 'approvals', 'str'] },
  { group: 'support', items: ['customers', 'transfers', 'payments', 'dataRequests'] },
  { group: 'platform', items: ['operations', 'ledger'] },
  { group: 'admin', items: ['staff', 'auditLog'] },
];

/** Where the console is with the staff member: finding out, signed out (with why), or signed in. */
type Auth =
  | { status: 'checking' }
  | { status: 'unavailable'; code: string }
  | { status: 'signedOut'; notice?: LoginNotice; next?: PageRoute; nextSearch?: string; nextId?: string }
  | { status: 'signedIn'; me: StaffMe };

function Sidebar(props: { route: Route }): ReactNode {
  const { t } = useI18n();
  const { can } = useSession();
  const currentSection = props.route === 'notFound' ? undefined : sectionOfRoute(props.route);
  return (
    <aside className="sidebar">
      <Brand className="sidebar-brand" />
      <nav aria-label={t.mainNav} className="sidebar-nav">
        {NAV.map(({ group, items }) => {
          const permitted = items.filter((item) => can(item));
          if (permitted.length === 0) return null;
          return (
            <div key={group} className="nav-group">
              <p className="nav-group-title">{t.navGroups[group]}</p>
              <ul>
                {permitted.map((item) => {
                  const route = SECTION_ROUTES[item];
                  return (
                    <li key={item}>
                      {route ? (
                        <AppLink to={pathFor(route)} className="nav-item" current={currentSection === item}>
                          <SectionIcon section={item} />
                          {t.sections[item]}
                        </AppLink>
                      ) : (
                        <span className="nav-item nav-item-disabled" aria-disabled="true">
                          <SectionIcon section={item} />
                          {t.sections[item]}
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
          );
        })}
      </nav>
      <p className="sidebar-foot">{t.sidebarFoot}</p>
    </aside>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return `${parts[0]?.[0] ?? ''}${parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : ''}`.toUpperCase();
}

function StaffMenu(props: { onLogout(): void; busy: boolean }): ReactNode {
  const { t } = useI18n();
  const { me } = useSession();
  return (
    <div className="staff">
      <span className="avatar" aria-hidden="true">
        {initials(me.name)}
      </span>
      <span className="staff-who" data-testid="staff-identity">
        <span className="visually-hidden">{t.signedInAs} </span>
        <span className="staff-name" data-testid="staff-name">
          {me.name}
        </span>
        <span className="staff-role" data-testid="staff-role">
          {t.roles[me.role]}
        </span>
      </span>
      <button type="button" className="button button-small" onClick={props.onLogout} disabled={props.busy} aria-busy={props.busy}>
        <LogoutIcon />
        {props.busy ? t.loggingOut : t.logOut}
      </button>
    </div>
  );
}

function NotFound(props: { home: PageRoute | undefined }): ReactNode {
  const { t } = useI18n();
  const { home } = props;
  return (
    <div className="empty">
      <h1>{t.notFoundTitle}</h1>
      <p>{t.notFoundText}</p>
      {home && (
        <AppLink to={pathFor(home)} className="button">
          {t.backToHome}
        </AppLink>
      )}
    </div>
  );
}

function Shell(props: Omit<RouteState, 'navigate'> & { onLogout(): void; loggingOut: boolean }): ReactNode {
  const { t } = useI18n();
  const { me, can } = useSession();
  const { route, search, id } = props;
  const health = useHealth(HEALTH_INTERVAL_MS);
  const home = homeRoute(me);
  const section = route === 'notFound' || route === 'login' || route === 'enrol' ? undefined : sectionOfRoute(route);
  const allowed = section !== undefined && can(section);
  const sectionTitle = section ? (allowed ? t.sections[section] : t.noAccessTitle) : t.notFoundTitle;
  const title =
    allowed && route === 'kycCase'
      ? t.kycCaseTitle
      : allowed && route === 'customer'
        ? t.profile.title
        : allowed && route === 'transfer'
          ? t.transferTitle
          : allowed && route === 'amlAlert'
            ? t.alertTitle
            : allowed && route === 'amlCase'
              ? t.amlCases.caseTitle
              : allowed && route === 'strNew'
                ? t.strs.newTitle
                : allowed && route === 'strEdit'
                  ? t.strs.editTitle
                  : allowed && route === 'str'
                    ? t.strs.title
                    : sectionTitle;

  useEffect(() => {
    document.title = `${title} · ${t.appName}`;
  }, [title, t]);

  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        {t.skipToContent}
      </a>
      <Sidebar route={route} />
      <div className="workspace">
        <header className="topbar">
          <p className="breadcrumb">
            <span>{t.appName}</span>
            <span aria-hidden="true">/</span>
            {title !== sectionTitle && (
              <>
                <span>{sectionTitle}</span>
                <span aria-hidden="true">/</span>
              </>
            )}
            <span className="breadcrumb-current">{title}</span>
          </p>
          <div className="topbar-end">
            <LanguageSwitch />
            <StaffMenu onLogout={props.onLogout} busy={props.loggingOut} />
          </div>
        </header>
        <main id="content" className="content" tabIndex={-1}>
          {section && !allowed && (
            <NoAccess role={t.roles[me.role]}>
              {home && (
                <AppLink to={pathFor(home)} className="button">
                  {t.backToHome}
                </AppLink>
              )}
            </NoAccess>
          )}
          {allowed && route === 'overview' && <Overview health={health} />}
          {allowed && route === 'kyc' && <KycQueue />}
          {allowed && route === 'kycCase' && <KycCase key={id} userId={id} />}
          {allowed && route === 'aml' && <AmlAlerts />}
          {allowed && route === 'amlAlert' && <AmlAlertPage key={id} alertId={id} />}
          {allowed && route === 'approvals' && <Approvals />}
          {allowed && route === 'strs' && <Strs />}
          {allowed && route === 'strNew' && <StrDraft search={search} />}
          {allowed && route === 'str' && <StrPage key={id} strId={id} />}
          {allowed && route === 'strEdit' && <StrEdit key={id} strId={id} />}
          {allowed && route === 'cases' && <AmlCases search={search} />}
          {allowed && route === 'amlCase' && <AmlCasePage key={id} caseId={id} />}
          {allowed && route === 'customers' && <Customers search={search} />}
          {allowed && route === 'customer' && <CustomerProfile key={id} userId={id} />}
          {allowed && route === 'staffAdmin' && <StaffAdmin />}
          {allowed && route === 'transfers' && <Transfers search={search} />}
          {allowed && route === 'transfer' && <TransferPage key={id} transactionId={id} search={search} />}
          {allowed && route === 'payments' && <Payments />}
          {allowed && route === 'ledger' && <Ledger />}
          {allowed && route === 'auditLog' && <AuditLog />}
          {allowed && route === 'operations' && <Operations health={health} />}
          {allowed && route === 'sla' && <Sla />}
          {allowed && route === 'dataRequests' && <DataRequests />}
          {section === undefined && <NotFound home={home} />}
        </main>
      </div>
    </div>
  );
}

function Splash(props: { children?: ReactNode }): ReactNode {
  const { t } = useI18n();
  return (
    <div className="splash" aria-busy={props.children ? undefined : 'true'}>
      <DropMark />
      {props.children ?? (
        <p className="muted">
          <span className="spinner" aria-hidden="true" /> {t.loading}
        </p>
      )}
    </div>
  );
}

export function App(): ReactNode {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const routing = useRoute();
  const { route, search, id, navigate } = routing;
  const [auth, setAuth] = useState<Auth>({ status: 'checking' });
  const [loggingOut, setLoggingOut] = useState(false);

  /** Asks the API who is signed in; `then` decides where to go once we know. */
  const checkSession = useCallback(async (signal?: AbortSignal): Promise<StaffMe | undefined> => {
    const result = await fetchStaffMe(signal);
    if (signal?.aborted) return undefined;
    if (result.kind === 'ok') {
      setAuth({ status: 'signedIn', me: result.data });
      return result.data;
    }
    if (result.kind === 'unauthenticated') setAuth((current) => (current.status === 'signedOut' ? current : { status: 'signedOut' }));
    else setAuth({ status: 'unavailable', code: result.code });
    return undefined;
  }, []);

  // The enrolment page needs no session; everything else starts by asking who is signed in.
  const needsCheck = auth.status === 'checking' && route !== 'enrol';
  useEffect(() => {
    if (!needsCheck) return;
    const controller = new AbortController();
    checkSession(controller.signal).catch(() => undefined);
    return () => controller.abort();
  }, [needsCheck, checkSession]);

  // Signed out on a page that needs a session: show the login page at its own URL, remembering the page.
  useEffect(() => {
    if (auth.status === 'signedOut' && route !== 'login' && route !== 'enrol') {
      const next = route === 'notFound' ? undefined : route;
      setAuth({ ...auth, ...(next ? { next, nextSearch: search, nextId: id } : {}) });
      navigate('login', { replace: true });
    }
    if (auth.status === 'signedIn' && route === 'login') {
      const home = homeRoute(auth.me);
      if (home) navigate(home, { replace: true });
    }
  }, [auth, route, search, id, navigate]);

  // Signed out, by choice or because the session ended: nothing loaded for this staff member stays in the cache.
  const expire = useCallback(() => {
    queryClient.clear();
    setAuth({ status: 'signedOut', notice: 'expired' });
  }, [queryClient]);
  const session = useMemo<Session | undefined>(
    () => (auth.status === 'signedIn' ? { me: auth.me, can: (section: SectionId) => canUse(auth.me, section), expire } : undefined),
    [auth, expire],
  );

  const onSignedIn = async () => {
    const next = auth.status === 'signedOut' ? auth : undefined;
    const me = await checkSession();
    if (!me) return;
    const wanted = next?.next;
    const section = wanted ? sectionOfRoute(wanted) : undefined;
    if (wanted && section && canUse(me, section)) {
      navigate(wanted, { replace: true, search: next?.nextSearch ?? '', id: next?.nextId ?? '' });
    } else {
      const home = homeRoute(me);
      if (home) navigate(home, { replace: true });
    }
  };

  const onLogout = async () => {
    setLoggingOut(true);
    await staffLogout();
    setLoggingOut(false);
    queryClient.clear();
    setAuth({ status: 'signedOut', notice: 'loggedOut' });
    navigate('login');
  };

  if (route === 'enrol') {
    return (
      <Enrol
        search={search}
        onEnrolled={() => {
          setAuth({ status: 'signedOut', notice: 'enrolled' });
          navigate('login', { replace: true });
        }}
        goToLogin={() => {
          setAuth({ status: 'checking' });
          navigate('login');
        }}
      />
    );
  }
  if (auth.status === 'checking') return <Splash />;
  if (auth.status === 'unavailable') {
    return (
      <Splash>
        <p className="muted" role="alert">
          {auth.code === 'NETWORK_ERROR' || auth.code === 'TIMEOUT' ? t.networkFailed : t.loadFailed(auth.code)}
        </p>
        <button type="button" className="button" onClick={() => setAuth({ status: 'checking' })}>
          {t.retry}
        </button>
      </Splash>
    );
  }
  if (auth.status === 'signedOut' || !session) {
    return <Login notice={auth.status === 'signedOut' ? auth.notice : undefined} onSignedIn={() => void onSignedIn()} />;
  }
  if (route === 'login') return <Splash />;
  return (
    <SessionContext.Provider value={session}>
      <Shell {...routing} onLogout={() => void onLogout()} loggingOut={loggingOut} />
    </SessionContext.Provider>
  );
}
