import { useCallback, useEffect, useState } from 'react';

/** The console's pages. Each has a real URL under the base, so deep links and reloads work (the API falls back to index.html). */
export type Route = 'overview' | 'operations' | 'notFound';

const BASE = import.meta.env.BASE_URL; // '/console/'
const PATHS: Record<Exclude<Route, 'notFound'>, string> = { overview: '', operations: 'operations' };

export function pathFor(route: Exclude<Route, 'notFound'>): string {
  return `${BASE}${PATHS[route]}`;
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

export function useRoute(): { route: Route; navigate(route: Exclude<Route, 'notFound'>): void } {
  const [route, setRoute] = useState<Route>(() => routeFromPath(window.location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(routeFromPath(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: Exclude<Route, 'notFound'>) => {
    const path = pathFor(next);
    if (window.location.pathname !== path) window.history.pushState(null, '', path);
    setRoute(next);
    window.scrollTo(0, 0);
  }, []);
  return { route, navigate };
}
