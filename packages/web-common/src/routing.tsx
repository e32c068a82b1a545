/**
 * Routing for both web apps, on wouter: real URLs on the history API (the API falls back to
 * index.html, so deep links and reloads work), Back and Forward included.
 */
import type { ReactNode } from 'react';
import { type AroundNavHandler, Link, Router } from 'wouter';

/** Every page change the app makes starts at the top; going to the URL already shown adds no history entry. */
const goTo: AroundNavHandler = (navigate, to, options) => {
  if (`${window.location.pathname}${window.location.search}` !== to) navigate(to, options);
  window.scrollTo({ top: 0, behavior: 'instant' });
};

/** The app's router; `base` is where the app is served (`/console` for the console). */
export function AppRouter(props: { base?: string; children: ReactNode }): ReactNode {
  return (
    <Router base={props.base ?? ''} aroundNav={goTo}>
      {props.children}
    </Router>
  );
}

/** A link within the app (`to` below the base) that navigates without a reload; modified clicks still open a new tab. */
export function AppLink(props: {
  to: string;
  className?: string;
  children: ReactNode;
  current?: boolean;
  'aria-label'?: string;
  testId?: string;
}): ReactNode {
  return (
    <Link
      href={props.to}
      className={props.className}
      aria-current={props.current ? 'page' : undefined}
      aria-label={props['aria-label']}
      data-testid={props.testId}
    >
      {props.children}
    </Link>
  );
}

/** "← Back to …": the link above a page to the one it was opened from; each app draws its own arrow. */
export function BackLink(props: { to: string; label: string; icon: ReactNode }): ReactNode {
  return (
    <AppLink to={props.to} className="back-link">
      {props.icon}
      {props.label}
    </AppLink>
  );
}
