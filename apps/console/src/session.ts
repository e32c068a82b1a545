import { useAnswerQuery } from '@drop/web-common/query';
import { keepPreviousData, type QueryKey } from '@tanstack/react-query';
import { createContext, useCallback, useContext } from 'react';
import type { SectionId } from './i18n.ts';
import type { PageRoute } from './routes.ts';
import type { Permission, StaffMe, StaffResult } from './staff-api.ts';

/** The permission each section of the console needs. Sections whose permission the role lacks are not shown at all. */
export const SECTION_PERMISSION: Record<SectionId, Permission> = {
  overview: 'overview',
  kyc: 'kyc_queue',
  aml: 'aml_alerts',
  approvals: 'transfer_hold',
  str: 'str_reports',
  cases: 'str_reports',
  customers: 'customers',
  transfers: 'transfers_view',
  payments: 'payments_view',
  dataRequests: 'data_requests',
  operations: 'operations',
  auditLog: 'audit_log',
  ledger: 'ledger_view',
  staff: 'staff_admin',
};

/** Pages that exist so far, in the order "home" is chosen from. */
export const SECTION_ROUTES: Partial<Record<SectionId, PageRoute>> = {
  overview: 'overview',
  kyc: 'kyc',
  aml: 'aml',
  cases: 'cases',
  approvals: 'approvals',
  str: 'strs',
  customers: 'customers',
  transfers: 'transfers',
  payments: 'payments',
  operations: 'operations',
  ledger: 'ledger',
  auditLog: 'auditLog',
  dataRequests: 'dataRequests',
  staff: 'staffAdmin',
};

export function sectionOfRoute(route: PageRoute): SectionId | undefined {
  if (route === 'kycCase') return 'kyc'; // one customer's case belongs to the KYC queue
  if (route === 'transfer') return 'transfers'; // one transfer belongs to the transfer lists
  if (route === 'customer') return 'customers'; // one customer's profile belongs to the customer search
  if (route === 'amlAlert') return 'aml'; // one alert belongs to the alert list
  if (route === 'str' || route === 'strNew' || route === 'strEdit') return 'str'; // drafting and one STR belong to the STR list
  if (route === 'amlCase') return 'cases'; // one case belongs to the case list
  if (route === 'sla') return 'operations'; // the SLA report is a page of Operations
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
 * Loads `load` as the query `queryKey` (TanStack Query), again on `reload()`. A 401 ends the
 * session. Earlier data stays visible while a reload runs, and while another key loads.
 */
export function useStaffData<T>(
  queryKey: QueryKey,
  load: (signal: AbortSignal) => Promise<StaffResult<T>>,
): { result: Loadable<T>; reloading: boolean; reload(): void } {
  const { expire } = useSession();
  const query = useAnswerQuery({ queryKey, load, onUnauthenticated: expire, placeholderData: keepPreviousData });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  let result: Loadable<T> = { state: 'loading' };
  if (query.status === 'success') result = { state: 'ok', data: query.data as T, loadedAt: new Date(query.dataUpdatedAt) };
  else if (query.status === 'error') {
    const answer = query.error.answer;
    result = answer.kind === 'error' ? { state: 'error', status: answer.status, code: answer.code } : { state: 'loading' };
  }
  return { result, reloading: query.isFetching, reload };
}
