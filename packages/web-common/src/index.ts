export {
  type ApiResult,
  type CheckStatus,
  endSession,
  fetchHealth,
  fetchMe,
  fetchMySessions,
  type HealthReport,
  type HealthResult,
  KYC_STATUSES,
  type KycStatus,
  logout,
  logoutEverywhere,
  type Me,
  type MySession,
} from './api.ts';
export { formatDate, formatDateTime, formatLatency, formatRelative, formatTime, formatUptime, localeTag } from './format.ts';
export { DEFAULT_LOCALE, isLocale, LOCALES, type Locale, LocaleProvider, useLocale } from './locale.ts';
export { HEALTH_INTERVAL_MS, type HealthState, type LatencySample, useHealth } from './use-health.ts';
