import { createContext, type MouseEvent, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

/** The customer app's pages. Each has a real URL, so deep links and reloads work (the API falls back to index.html). */
export type Route = 'landing' | 'home' | 'kyc' | 'sessions' | 'send' | 'transfers' | 'transfer' | 'notFound';
export type AppPath = '/' | '/home' | '/kyc' | '/sessions' | '/send' | '/transfers' | `/transfers/${string}`;

const ROUTES: Record<string, Route> = {
  '/': 'landing',
  '/home': 'home',
  '/kyc': 'kyc',
  '/sessions': 'sessions',
  '/send': 'send',
  '/transfers': 'transfers',
};

/** `/transfers/tx_…`: one transfer. */
const TRANSFER_PATH = /^\/transfers\/([A-Za-z0-9_-]{1,40})$/;

function normalise(pathname: string): string {
  return pathname === '/' ? '/' : pathname.replace(/\/+$/, '');
}

export function routeFromPath(pathname: string): Route {
  const path = normalise(pathname);
  if (TRANSFER_PATH.test(path)) return 'transfer';
  return ROUTES[path] ?? 'notFound';
}

/** The transfer id in `/transfers/:id`, if that is the path. */
export function transferIdFromPath(pathname: string): string | undefined {
  return TRANSFER_PATH.exec(normalise(pathname))?.[1];
}

export function transferPath(id: string): AppPath {
  return `/transfers/${encodeURIComponent(id)}`;
}

interface Router {
  route: Route;
  /** The path shown, without a trailing slash (e.g. `/transfers/tx_…`). */
  path: string;
  /** Goes to `path` without a reload; `replace` for redirects, so Back does not return to them. */
  navigate(path: AppPath, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<Router | undefined>(undefined);

/** A minimal router on the history API: the route follows `location.pathname`, Back and Forward included. */
export function RouterProvider(props: { children: ReactNode }): ReactNode {
  const [path, setPath] = useState(() => normalise(window.location.pathname));
  useEffect(() => {
    const onPop = () => setPath(normalise(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: AppPath, options: { replace?: boolean } = {}) => {
    if (window.location.pathname !== to || window.location.search !== '') {
      if (options.replace) window.history.replaceState(null, '', to);
      else window.history.pushState(null, '', to);
    }
    setPath(normalise(to));
    window.scrollTo({ top: 0, behavior: 'instant' });
  }, []);
  const value = useMemo(() => ({ route: routeFromPath(path), path, navigate }), [path, navigate]);
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
