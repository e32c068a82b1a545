export { createLogger, type LogFormat, type Logger, redactUrl, scrubNationalIds } from './logger.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { createOpsNotifier, LogOnlyNotifier, type OpsAlert, type OpsNotifier, SlackWebhookNotifier } from './ops-notifier.ts';
export { formatLogLine, prettyDestination } from './pretty.ts';
