export {
  type ApiResult,
  type CheckStatus,
  declareSourceOfFunds,
  endSession,
  fetchHealth,
  fetchKyc,
  fetchMe,
  fetchMySessions,
  type HealthReport,
  type HealthResult,
  KYC_STATUSES,
  type KycOverview,
  type KycStart,
  type KycStatus,
  logout,
  logoutEverywhere,
  type Me,
  type MySession,
  startKyc,
} from './api.ts';
export { formatDate, formatDateTime, formatLatency, formatNok, formatRelative, formatTime, formatUptime, localeTag } from './format.ts';
export { DEFAULT_LOCALE, isLocale, LOCALES, type Locale, LocaleProvider, useLocale } from './locale.ts';
export { HEALTH_INTERVAL_MS, type HealthState, type LatencySample, useHealth } from './use-health.ts';
