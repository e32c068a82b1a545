import { type Locale, LocaleProvider, useLocale } from '@drop/web-common';
import { createElement, type ReactNode } from 'react';

export { LOCALES, type Locale } from '@drop/web-common';

export type SectionId = 'overview' | 'kyc' | 'aml' | 'str' | 'customers' | 'dataRequests' | 'operations';

const nb = {
  appName: 'Drop Console',
  appTag: 'Backoffice',
  skipToContent: 'Hopp til innhold',
  mainNav: 'Seksjoner',
  language: 'Språk',
  languageName: { nb: 'Norsk', en: 'English' },
  comingSoon: 'Kommer',
  comingSoonLong: 'Kommer snart',
  navGroups: { general: 'Generelt', compliance: 'Etterlevelse', support: 'Kundestøtte', platform: 'Plattform' },
  sections: {
    overview: 'Oversikt',
    kyc: 'KYC-kø',
    aml: 'AML-varsler',
    str: 'STR-rapporter',
    customers: 'Kunder',
    dataRequests: 'Dataforespørsler',
    operations: 'Drift',
  } satisfies Record<SectionId, string>,
  staffSignIn: 'Ansattinnlogging er ikke aktivert ennå.',

  overviewLead: 'Slik har Drop det akkurat nå.',
  systemStatus: 'Systemstatus',
  database: 'Database',
  version: 'Versjon',
  uptime: 'Oppetid',
  latency: 'Svartid',
  since: (time: string) => `Startet ${time}`,
  stateOk: 'I drift',
  stateDown: 'Nede',
  stateUnreachable: 'Ingen kontakt',
  stateChecking: 'Sjekker …',
  dbStatusOk: 'Tilkoblet',
  dbStatusDown: 'Utilgjengelig',
  queuesTitle: 'Arbeidskøer',
  queuesLead: 'Køene åpner etter hvert som funksjonene bygges.',
  queues: [
    { id: 'kyc', label: 'KYC-saker til vurdering' },
    { id: 'aml', label: 'Åpne AML-varsler' },
    { id: 'str', label: 'STR-utkast til godkjenning' },
    { id: 'dataRequests', label: 'Dataforespørsler med frist' },
  ] satisfies Array<{ id: SectionId; label: string }>,
  toolsTitle: 'Verktøy',
  apiDocs: 'API-dokumentasjon',
  apiDocsText: 'OpenAPI-referanse for Drops HTTP-API.',
  metrics: 'Prometheus-metrikker',
  metricsText: 'Rå metrikker for skraping (/metrics).',
  healthJson: 'Helsesjekk (JSON)',
  healthJsonText: 'Svaret runbookene leser med jq.',
  openOperations: 'Åpne driftssiden',

  operationsLead: 'Helsesjekker, svartider og verktøy for plattformteamet.',
  healthTitle: 'Helsesjekker',
  autoRefresh: (seconds: number) => `Oppdateres hvert ${seconds}. sekund`,
  checkedAt: (time: string) => `Sist sjekket ${time}`,
  refresh: 'Sjekk nå',
  refreshing: 'Sjekker …',
  colComponent: 'Komponent',
  colStatus: 'Status',
  colLatency: 'Svartid',
  colDetails: 'Detaljer',
  componentApi: 'API-server',
  componentDb: 'PostgreSQL',
  apiDetails: (httpStatus: number) => `HTTP ${httpStatus} · versjon`,
  unreachableDetails: (reason: string) => `Ingen svar fra /api/health (${reason})`,
  dbDetailsOk: 'SELECT 1 svarte',
  latencyHistory: 'Databasens svartid denne økten',
  latencyHistoryEmpty: 'Ingen målinger ennå.',
  latencySummary: (count: number, last: string, max: string) => `${count} målinger · siste ${last} · høyeste ${max}`,
  endpointsTitle: 'Endepunkter',
  cliTitle: 'Kommandolinje',
  cliLead: 'Runbook-prosedyrer kjøres med drop-CLI-en fra repoet:',
  cliHealth: 'Helsesjekk mot databasen',
  cliAudit: 'Verifiser revisjonsloggen',
  cliMigrate: 'Kjør databasemigreringer',

  notFoundTitle: 'Fant ikke siden',
  notFoundText: 'Adressen finnes ikke i konsollen.',
  backToOverview: 'Tilbake til oversikten',
};

export type Messages = typeof nb;

const en: Messages = {
  appName: 'Drop Console',
  appTag: 'Back office',
  skipToContent: 'Skip to content',
  mainNav: 'Sections',
  language: 'Language',
  languageName: { nb: 'Norsk', en: 'English' },
  comingSoon: 'Soon',
  comingSoonLong: 'Coming soon',
  navGroups: { general: 'General', compliance: 'Compliance', support: 'Support', platform: 'Platform' },
  sections: {
    overview: 'Overview',
    kyc: 'KYC queue',
    aml: 'AML alerts',
    str: 'STR reports',
    customers: 'Customers',
    dataRequests: 'Data requests',
    operations: 'Operations',
  },
  staffSignIn: 'Staff sign-in is not enabled yet.',

  overviewLead: 'How Drop is doing right now.',
  systemStatus: 'System status',
  database: 'Database',
  version: 'Version',
  uptime: 'Uptime',
  latency: 'Latency',
  since: (time: string) => `Started ${time}`,
  stateOk: 'Operational',
  stateDown: 'Down',
  stateUnreachable: 'Unreachable',
  stateChecking: 'Checking …',
  dbStatusOk: 'Connected',
  dbStatusDown: 'Unavailable',
  queuesTitle: 'Work queues',
  queuesLead: 'Queues open as the features are built.',
  queues: [
    { id: 'kyc', label: 'KYC cases to review' },
    { id: 'aml', label: 'Open AML alerts' },
    { id: 'str', label: 'STR drafts awaiting approval' },
    { id: 'dataRequests', label: 'Data requests with a deadline' },
  ],
  toolsTitle: 'Tools',
  apiDocs: 'API reference',
  apiDocsText: "OpenAPI reference for Drop's HTTP API.",
  metrics: 'Prometheus metrics',
  metricsText: 'Raw metrics for scraping (/metrics).',
  healthJson: 'Health check (JSON)',
  healthJsonText: 'The response the runbooks read with jq.',
  openOperations: 'Open operations',

  operationsLead: 'Health checks, latency and tools for the platform team.',
  healthTitle: 'Health checks',
  autoRefresh: (seconds: number) => `Refreshes every ${seconds} seconds`,
  checkedAt: (time: string) => `Last checked ${time}`,
  refresh: 'Check now',
  refreshing: 'Checking …',
  colComponent: 'Component',
  colStatus: 'Status',
  colLatency: 'Latency',
  colDetails: 'Details',
  componentApi: 'API server',
  componentDb: 'PostgreSQL',
  apiDetails: (httpStatus: number) => `HTTP ${httpStatus} · version`,
  unreachableDetails: (reason: string) => `No answer from /api/health (${reason})`,
  dbDetailsOk: 'SELECT 1 answered',
  latencyHistory: 'Database latency this session',
  latencyHistoryEmpty: 'No samples yet.',
  latencySummary: (count: number, last: string, max: string) => `${count} samples · last ${last} · highest ${max}`,
  endpointsTitle: 'Endpoints',
  cliTitle: 'Command line',
  cliLead: 'Runbook procedures run with the drop CLI from the repository:',
  cliHealth: 'Health check against the database',
  cliAudit: 'Verify the audit log',
  cliMigrate: 'Run database migrations',

  notFoundTitle: 'Page not found',
  notFoundText: 'This address does not exist in the console.',
  backToOverview: 'Back to the overview',
};

export const MESSAGES: Record<Locale, Messages> = { nb, en };

/** The language provider for this app: the shared locale state, remembered under its own key. */
export function I18nProvider(props: { children: ReactNode }): ReactNode {
  return createElement(LocaleProvider, { storageKey: 'drop.console.locale' }, props.children);
}

/** The current language, its messages, and the way to change it. */
export function useI18n() {
  const { locale, setLocale } = useLocale();
  return { locale, setLocale, t: MESSAGES[locale] };
}
