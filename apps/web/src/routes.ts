import { useCallback } from 'react';
import { matchRoute, useLocation, useRouter } from 'wouter';

/** The customer app's pages. Each has a real URL, so deep links and reloads work (the API falls back to index.html). */
export type Route =
  | 'landing'
  | 'terms'
  | 'privacyNotice'
  | 'contact'
  | 'home'
  | 'kyc'
  | 'sessions'
  | 'privacy'
  | 'recipients'
  | 'send'
  | 'transfers'
  | 'transfer'
  | 'email'
  | 'ageLimit'
  | 'notFound';
export type AppPath =
  | '/'
  | '/terms'
  | '/privacy-notice'
  | '/contact'
  | '/home'
  | '/kyc'
  | '/sessions'
  | '/privacy'
  | '/recipients'
  | '/send'
  | '/transfers'
  | `/transfers/${string}`
  | '/email'
  | '/age-limit';

/** Each page's path; `/transfers/tx_…` is one transfer. */
const PATTERNS: Record<Exclude<Route, 'notFound'>, string | RegExp> = {
  landing: '/',
  terms: '/terms',
  privacyNotice: '/privacy-notice',
  contact: '/contact',
  home: '/home',
  kyc: '/kyc',
  sessions: '/sessions',
  privacy: '/privacy',
  recipients: '/recipients',
  send: '/send',
  transfers: '/transfers',
  transfer: /^\/transfers\/(?<id>[A-Za-z0-9_-]{1,40})\/?$/,
  email: '/email',
  ageLimit: '/age-limit',
};

export function transferPath(id: string): AppPath {
  return `/transfers/${encodeURIComponent(id)}`;
}

/** The page at the current URL (on wouter's location): its route, its path, and the transfer of `/transfers/:id`. */
export function useAppRoute(): { route: Route; path: string; transferId: string } {
  const { parser } = useRouter();
  const [path] = useLocation();
  for (const [route, pattern] of Object.entries(PATTERNS) as Array<[Route, string | RegExp]>) {
    const [matched, params] = matchRoute(parser, pattern, path);
    if (matched) return { route, path, transferId: (params as Record<string, string | undefined>).id ?? '' };
  }
  return { route: 'notFound', path, transferId: '' };
}

/** Goes to `path` without a reload; `replace` for redirects, so Back does not return to them. */
export function useNavigate(): (path: AppPath, options?: { replace?: boolean }) => void {
  const [, setLocation] = useLocation();
  return useCallback((path: AppPath, options: { replace?: boolean } = {}) => setLocation(path, options), [setLocation]);
}
