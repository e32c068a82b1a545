import { idSource } from '@drop/contracts';
import { useCallback, useEffect, useState } from 'react';

/**
 * The console's pages. Each has a real URL under the base, so deep links and reloads work (the
 * API falls back to index.html). `login` and `enrol` are open to anyone; the rest need a staff
 * session and the page's permission. `kycCase` is one customer's verification: `kyc/<userId>`;
 * `transfer` is one transfer: `transfers/<transactionId>`.
 */
export type Route =
  | 'overview'
  | 'kyc'
  | 'kycCase'
  | 'aml'
  | 'customers'
  | 'transfers'
  | 'transfer'
  | 'payments'
  | 'ledger'
  | 'auditLog'
  | 'operations'
  | 'login'
  | 'enrol'
  | 'notFound';
export type PageRoute = Exclude<Route, 'notFound'>;

const BASE = import.meta.env.BASE_URL; // '/console/'
const PATHS: Record<Exclude<PageRoute, 'kycCase' | 'transfer'>, string> = {
  overview: '',
  kyc: 'kyc',
  aml: 'aml-alerts',
  customers: 'customers',
  transfers: 'transfers',
  payments: 'payments',
  ledger: 'ledger',
  auditLog: 'audit-log',
  operations: 'operations',
  login: 'login',
  enrol: 'enrol',
};

const KYC_CASE = new RegExp(`^kyc/(${idSource('usr')})$`);
const TRANSFER = new RegExp(`^transfers/(${idSource('tx')})$`);

/** The path of a page, with an optional query string (`?query=…`); `id` is the customer of a `kycCase`, the transfer of a `transfer`. */
export function pathFor(route: PageRoute, search = '', id = ''): string {
  if (route === 'kycCase') return `${BASE}kyc/${encodeURIComponent(id)}${search}`;
  if (route === 'transfer') return `${BASE}transfers/${encodeURIComponent(id)}${search}`;
  return `${BASE}${PATHS[route]}${search}`;
}

export function routeFromPath(pathname: string): { route: Route; id: string } {
  const bare = BASE.replace(/\/$/, '');
  if (pathname === bare) return { route: 'overview', id: '' };
  if (!pathname.startsWith(BASE)) return { route: 'notFound', id: '' };
  const rest = pathname.slice(BASE.length).replace(/\/+$/, '');
  const kycCase = KYC_CASE.exec(rest);
  if (kycCase) return { route: 'kycCase', id: kycCase[1] ?? '' };
  const transfer = TRANSFER.exec(rest);
  if (transfer) return { route: 'transfer', id: transfer[1] ?? '' };
  for (const [route, path] of Object.entries(PATHS)) {
    if (rest === path) return { route: route as Route, id: '' };
  }
  return { route: 'notFound', id: '' };
}

export interface NavigateOptions {
  search?: string;
  replace?: boolean;
  /** The customer, for `kycCase`; the transfer, for `transfer`. */
  id?: string;
}

export interface RouteState {
  route: Route;
  /** The query string of the current URL, e.g. `?token=…`. */
  search: string;
  /** The customer id of a `kycCase` page, the transaction id of a `transfer` page; '' elsewhere. */
  id: string;
  /** Goes to a page, adding a history entry (or replacing the current one). */
  navigate(route: PageRoute, options?: NavigateOptions): void;
}

function readLocation(): { route: Route; search: string; id: string } {
  return { ...routeFromPath(window.location.pathname), search: window.location.search };
}

export function useRoute(): RouteState {
  const [location, setLocation] = useState(readLocation);
  useEffect(() => {
    const onPop = () => setLocation(readLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: PageRoute, options: NavigateOptions = {}) => {
    const search = options.search ?? '';
    const id = next === 'kycCase' || next === 'transfer' ? (options.id ?? '') : '';
    const path = pathFor(next, search, id);
    if (`${window.location.pathname}${window.location.search}` !== path) {
      if (options.replace) window.history.replaceState(null, '', path);
      else window.history.pushState(null, '', path);
    }
    setLocation({ route: next, search, id });
    window.scrollTo(0, 0);
  }, []);
  return { ...location, navigate };
}
