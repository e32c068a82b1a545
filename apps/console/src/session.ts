import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { SectionId } from './i18n.ts';
import type { PageRoute } from './router.ts';
import type { Permission, StaffMe, StaffResult } from './staff-api.ts';

/** The permission each section of the console needs. Sections whose permission the role lacks are not shown at all. */
export const SECTION_PERMISSION: Record<SectionId, Permission> = {
  overview: 'overview',
  kyc: 'kyc_queue',
  aml: 'aml_alerts',
  str: 'str_reports',
  customers: 'customers',
  transfers: 'transfers_view',
  payments: 'payments_view',
  dataRequests: 'data_requests',
  operations: 'operations',
  auditLog: 'audit_log',
  ledger: 'ledger_view',
};

/** Pages that exist so far, in the order "home" is chosen from. */
export const SECTION_ROUTES: Partial<Record<SectionId, PageRoute>> = {
  overview: 'overview',
  kyc: 'kyc',
  aml: 'aml',
  customers: 'customers',
  transfers: 'transfers',
  payments: 'payments',
  operations: 'operations',
  ledger: 'ledger',
  auditLog: 'auditLog',
};

export function sectionOfRoute(route: PageRoute): SectionId | undefined {
  if (route === 'kycCase') return 'kyc'; // one customer's case belongs to the KYC queue
  if (route === 'transfer') return 'transfers'; // one transfer belongs to the transfer lists
  return (Object.keys(SECTION_ROUTES) as SectionId[]).find((section) => SECTION_ROUTES[section] === route);
}

export function canUse(me: StaffMe, section: SectionId): boolean {
  return me.permissions.includes(SECTION_PERMISSION[section]);
}

/** The start page: the overview, or else the first page the role may use. */
export function homeRoute(me: StaffMe): PageRoute | undefined {
  for (const [section, route] of Object.entries(SECTION_ROUTES) as Array<[SectionId, PageRoute]>) {
    if (canUse(me, section)) return route;
  }
  return undefined;
}

export interface Session {
  me: StaffMe;
  can(section: SectionId): boolean;
  /** The API said the session is gone (401): back to the login page. */
  expire(): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside a signed-in console');
  return session;
}

/** Data from a staff API call: loading, loaded (kept while reloading), or failed with a problem code. */
export type Loadable<T> =
  | { state: 'loading' }
  | { state: 'ok'; data: T; loadedAt: Date }
  | { state: 'error'; status: number; code: string };

/**
 * Loads `load` now and whenever `key` changes, and again on `reload()`. A 401 ends the session.
 * Earlier data stays visible while a reload runs.
 */
export function useStaffData<T>(
  load: (signal: AbortSignal) => Promise<StaffResult<T>>,
  key: string,
): { result: Loadable<T>; reloading: boolean; reload(): void } {
  const { expire } = useSession();
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const [reloading, setReloading] = useState(false);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `generation` are what trigger a new load.
  useEffect(() => {
    const controller = new AbortController();
    setReloading(true);
    loadRef.current(controller.signal).then(
      (answer) => {
        if (controller.signal.aborted) return;
        setReloading(false);
        if (answer.kind === 'unauthenticated') expire();
        else if (answer.kind === 'ok') setResult({ state: 'ok', data: answer.data, loadedAt: new Date() });
        else setResult({ state: 'error', status: answer.status, code: answer.code });
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [key, generation, expire]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { result, reloading, reload };
}
