export { type CheckStatus, fetchHealth, type HealthReport, type HealthResult } from './api.ts';
export { formatDateTime, formatLatency, formatTime, formatUptime, localeTag } from './format.ts';
export { DEFAULT_LOCALE, isLocale, LOCALES, type Locale, LocaleProvider, useLocale } from './locale.ts';
export { HEALTH_INTERVAL_MS, type HealthState, type LatencySample, useHealth } from './use-health.ts';
