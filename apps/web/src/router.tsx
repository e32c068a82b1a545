import { createContext, type MouseEvent, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

/** The customer app's pages. Each has a real URL, so deep links and reloads work (the API falls back to index.html). */
export type Route = 'landing' | 'home' | 'kyc' | 'sessions' | 'notFound';
export type AppPath = '/' | '/home' | '/kyc' | '/sessions';

const ROUTES: Record<AppPath, Route> = { '/': 'landing', '/home': 'home', '/kyc': 'kyc', '/sessions': 'sessions' };

export function routeFromPath(pathname: string): Route {
  const path = pathname === '/' ? '/' : pathname.replace(/\/+$/, '');
  return ROUTES[path as AppPath] ?? 'notFound';
}

interface Router {
  route: Route;
  /** Goes to `path` without a reload; `replace` for redirects, so Back does not return to them. */
  navigate(path: AppPath, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<Router | undefined>(undefined);

/** A minimal router on the history API: the route follows `location.pathname`, Back and Forward included. */
export function RouterProvider(props: { children: ReactNode }): ReactNode {
  const [route, setRoute] = useState<Route>(() => routeFromPath(window.location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(routeFromPath(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((path: AppPath, options: { replace?: boolean } = {}) => {
    if (window.location.pathname !== path || window.location.search !== '') {
      if (options.replace) window.history.replaceState(null, '', path);
      else window.history.pushState(null, '', path);
    }
    setRoute(ROUTES[path]);
    window.scrollTo({ top: 0, behavior: 'instant' });
  }, []);
  const value = useMemo(() => ({ route, navigate }), [route, navigate]);
  return <RouterContext.Provider value={value}>{props.children}</RouterContext.Provider>;
}

export function useRouter(): Router {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useRouter() outside <RouterProvider>');
  return router;
}

/** A link within the app that navigates without a reload (modified clicks still open a new tab). */
export function AppLink(props: {
  to: AppPath;
  className?: string;
  children: ReactNode;
  current?: boolean;
  'aria-label'?: string;
  testId?: string;
}): ReactNode {
  const { navigate } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.to);
  };
  return (
    <a
      href={props.to}
      className={props.className}
      onClick={onClick}
      aria-current={props.current ? 'page' : undefined}
      aria-label={props['aria-label']}
      data-testid={props.testId}
    >
      {props.children}
    </a>
  );
}
