import { idSource } from '@drop/contracts';
import { useCallback } from 'react';
import { matchRoute, useLocation, useRouter } from 'wouter';
import { useSearch } from 'wouter/use-browser-location';

/**
 * The console's pages. Each has a real URL under the base, so deep links and reloads work (the
 * API falls back to index.html). `login` and `enrol` are open to anyone; the rest need a staff
 * session and the page's permission. `kycCase` is one customer's verification: `kyc/<userId>`;
 * `transfer` is one transfer: `transfers/<transactionId>`; `amlAlert` is one alert: `aml-alerts/<alertId>`;
 * `amlCase` is one AML case: `cases/<caseId>`; `customer` is one customer's profile: `customers/<userId>`;
 * `staffAdmin` is the admins' list of staff accounts.
 */
export type Route =
  | 'overview'
  | 'kyc'
  | 'kycCase'
  | 'aml'
  | 'amlAlert'
  | 'customers'
  | 'customer'
  | 'staffAdmin'
  | 'transfers'
  | 'transfer'
  | 'payments'
  | 'ledger'
  | 'auditLog'
  | 'operations'
  | 'sla'
  | 'approvals'
  | 'strs'
  | 'strNew'
  | 'str'
  | 'strEdit'
  | 'cases'
  | 'amlCase'
  | 'dataRequests'
  | 'login'
  | 'enrol'
  | 'notFound';
export type PageRoute = Exclude<Route, 'notFound'>;

/** Where the console is served, for the router (`/console`). Outside Vite (a test importing this table) it is `/console`. */
export const BASE = (import.meta.env?.BASE_URL ?? '/console/').replace(/\/$/, '');

/**
 * Each page's path below the base; those with an id take it from the pattern's `id`. Exported for
 * the test that renders every page (test/browser/console-norwegian.test.ts).
 */
export const PATTERNS: Record<PageRoute, string | RegExp> = {
  overview: '/',
  kyc: '/kyc',
  kycCase: new RegExp(`^/kyc/(?<id>${idSource('usr')})/?$`),
  aml: '/aml-alerts',
  amlAlert: new RegExp(`^/aml-alerts/(?<id>${idSource('alert')})/?$`),
  customers: '/customers',
  customer: new RegExp(`^/customers/(?<id>${idSource('usr')})/?$`),
  staffAdmin: '/staff',
  transfers: '/transfers',
  transfer: new RegExp(`^/transfers/(?<id>${idSource('tx')})/?$`),
  payments: '/payments',
  ledger: '/ledger',
  auditLog: '/audit-log',
  operations: '/operations',
  sla: '/operations/sla',
  approvals: '/approvals',
  strs: '/strs',
  strNew: '/strs/new',
  str: /^\/strs\/(?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/,
  strEdit: /^\/strs\/(?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/edit\/?$/,
  cases: '/cases',
  amlCase: new RegExp(`^/cases/(?<id>${idSource('case')})/?$`),
  dataRequests: '/data-requests',
  login: '/login',
  enrol: '/enrol',
};

/** The path of a page below the base, with an optional query string (`?query=…`); `id` is the customer of a `kycCase`, the transfer of a `transfer`, the alert of an `amlAlert`. */
export function pathFor(route: PageRoute, search = '', id = ''): string {
  if (route === 'kycCase') return `/kyc/${encodeURIComponent(id)}${search}`;
  if (route === 'customer') return `/customers/${encodeURIComponent(id)}${search}`;
  if (route === 'transfer') return `/transfers/${encodeURIComponent(id)}${search}`;
  if (route === 'amlAlert') return `/aml-alerts/${encodeURIComponent(id)}${search}`;
  if (route === 'str') return `/strs/${encodeURIComponent(id)}${search}`;
  if (route === 'strEdit') return `/strs/${encodeURIComponent(id)}/edit${search}`;
  if (route === 'amlCase') return `/cases/${encodeURIComponent(id)}${search}`;
  return `${PATTERNS[route] as string}${search}`;
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

/** Goes to a page, adding a history entry (or replacing the current one). */
export function useNavigate(): RouteState['navigate'] {
  const [, setLocation] = useLocation();
  return useCallback(
    (next: PageRoute, options: NavigateOptions = {}) => {
      const id =
        next === 'kycCase' ||
        next === 'customer' ||
        next === 'transfer' ||
        next === 'amlAlert' ||
        next === 'amlCase' ||
        next === 'str' ||
        next === 'strEdit'
          ? (options.id ?? '')
          : '';
      setLocation(pathFor(next, options.search ?? '', id), { replace: options.replace ?? false });
    },
    [setLocation],
  );
}

/** The page at the current URL, and a way to go to another (on wouter's location). */
export function useRoute(): RouteState {
  const { parser } = useRouter();
  const [location] = useLocation();
  const search = useSearch();
  const navigate = useNavigate();
  for (const [route, pattern] of Object.entries(PATTERNS) as Array<[PageRoute, string | RegExp]>) {
    const [matched, params] = matchRoute(parser, pattern, location);
    if (matched) return { route, search, id: (params as Record<string, string | undefined>).id ?? '', navigate };
  }
  return { route: 'notFound', search, id: '', navigate };
}
