import { useCallback, useEffect, useState } from 'react';

/**
 * The console's pages. Each has a real URL under the base, so deep links and reloads work (the
 * API falls back to index.html). `login` and `enrol` are open to anyone; the rest need a staff
 * session and the page's permission.
 */
export type Route = 'overview' | 'kyc' | 'aml' | 'customers' | 'auditLog' | 'operations' | 'login' | 'enrol' | 'notFound';
export type PageRoute = Exclude<Route, 'notFound'>;

const BASE = import.meta.env.BASE_URL; // '/console/'
const PATHS: Record<PageRoute, string> = {
  overview: '',
  kyc: 'kyc',
  aml: 'aml-alerts',
  customers: 'customers',
  auditLog: 'audit-log',
  operations: 'operations',
  login: 'login',
  enrol: 'enrol',
};

/** The path of a page, with an optional query string (`?query=…`). */
export function pathFor(route: PageRoute, search = ''): string {
  return `${BASE}${PATHS[route]}${search}`;
}

export function routeFromPath(pathname: string): Route {
  const bare = BASE.replace(/\/$/, '');
  if (pathname === bare) return 'overview';
  if (!pathname.startsWith(BASE)) return 'notFound';
  const rest = pathname.slice(BASE.length).replace(/\/+$/, '');
  for (const [route, path] of Object.entries(PATHS)) {
    if (rest === path) return route as Route;
  }
  return 'notFound';
}

export interface RouteState {
  route: Route;
  /** The query string of the current URL, e.g. `?token=…`. */
  search: string;
  /** Goes to a page, adding a history entry (or replacing the current one). */
  navigate(route: PageRoute, options?: { search?: string; replace?: boolean }): void;
}

function readLocation(): { route: Route; search: string } {
  return { route: routeFromPath(window.location.pathname), search: window.location.search };
}

export function useRoute(): RouteState {
  const [location, setLocation] = useState(readLocation);
  useEffect(() => {
    const onPop = () => setLocation(readLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: PageRoute, options: { search?: string; replace?: boolean } = {}) => {
    const search = options.search ?? '';
    const path = pathFor(next, search);
    if (`${window.location.pathname}${window.location.search}` !== path) {
      if (options.replace) window.history.replaceState(null, '', path);
      else window.history.pushState(null, '', path);
    }
    setLocation({ route: next, search });
    window.scrollTo(0, 0);
  }, []);
  return { ...location, navigate };
}
