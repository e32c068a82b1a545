export { createLogger, type Logger, scrubNationalIds } from './logger.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { type OpsAlert, type OpsNotifier, createOpsNotifier, SlackWebhookNotifier, LogOnlyNotifier } from './ops-notifier.ts';
