/**
 * Operations alerts (app started, stopping, health down / recovered, error spike). Production
 * posts them to a Slack incoming webhook (`SLACK_WEBHOOK_URL`); without one they are only logged.
 * They are sent directly, not through the job queue, because "database down" must get out when
 * the database cannot take a job.
 */
import type { Logger } from './logger.ts';

export type OpsAlertKind =
  | 'app_started'
  | 'app_stopping'
  | 'health_down'
  | 'health_recovered'
  | 'error_spike'
  | 'security'
  | 'db_latency_high'
  | 'db_latency_recovered'
  | 'ops_checks'
  // Issue 15: the DR drill's summary (drop dr drill).
  | 'dr_drill'
  // Issue 17: the audit chain's signed head (the worker's hourly audit:checkpoint).
  | 'audit_checkpoint';

export interface OpsAlert {
  kind: OpsAlertKind;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  detail?: string;
  fields?: Record<string, string | number>;
}

export interface OpsNotifier {
  send(alert: OpsAlert): Promise<void>;
}

const EMOJI: Record<OpsAlert['severity'], string> = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' };

/** Slack's incoming-webhook message format: `text` as the fallback plus Block Kit blocks. */
export function toSlackMessage(alert: OpsAlert, environment: string) {
  const text = `${EMOJI[alert.severity]} [${environment}] ${alert.title}`;
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${text}*${alert.detail ? `\n${alert.detail}` : ''}` } }];
  const fields = Object.entries(alert.fields ?? {});
  if (fields.length > 0) {
    blocks.push({ type: 'section', fields: fields.slice(0, 10).map(([name, value]) => ({ type: 'mrkdwn', text: `*${name}*\n${value}` })) });
  }
  return { text, blocks, drop: { kind: alert.kind, severity: alert.severity, environment } };
}

export class SlackWebhookNotifier implements OpsNotifier {
  private readonly url: string;
  private readonly environment: string;
  private readonly logger: Logger;
  private readonly onOutcome: ((alert: OpsAlert, outcome: 'sent' | 'failed') => void) | undefined;

  constructor(options: {
    url: string;
    environment: string;
    logger: Logger;
    onOutcome?: (alert: OpsAlert, outcome: 'sent' | 'failed') => void;
  }) {
    this.url = options.url;
    this.environment = options.environment;
    this.logger = options.logger;
    this.onOutcome = options.onOutcome;
  }

  async send(alert: OpsAlert): Promise<void> {
    const body = JSON.stringify(toSlackMessage(alert, this.environment));
    // Two quick retries: an alert that waits minutes is worse than one that is lost and logged.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(3000),
        });
        if (response.ok) {
          this.onOutcome?.(alert, 'sent');
          return;
        }
        if (response.status < 500 && response.status !== 429) break;
      } catch (error) {
        this.logger.debug({ err: error, attempt }, 'slack webhook attempt failed');
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
    this.onOutcome?.(alert, 'failed');
    this.logger.error({ alert: alert.kind }, 'could not deliver operations alert to Slack');
  }
}

export class LogOnlyNotifier implements OpsNotifier {
  private readonly logger: Logger;
  constructor(logger: Logger) {
    this.logger = logger;
  }
  async send(alert: OpsAlert): Promise<void> {
    this.logger.info({ alert }, `ops alert: ${alert.title}`);
  }
}

export function createOpsNotifier(options: {
  slackWebhookUrl: string | undefined;
  environment: string;
  logger: Logger;
  onOutcome?: (alert: OpsAlert, outcome: 'sent' | 'failed') => void;
}): OpsNotifier {
  if (!options.slackWebhookUrl) return new LogOnlyNotifier(options.logger);
  return new SlackWebhookNotifier({
    url: options.slackWebhookUrl,
    environment: options.environment,
    logger: options.logger,
    onOutcome: options.onOutcome,
  });
}
