/**
 * ModifyDBInstance as the runbooks use it: enhanced monitoring at one-second granularity during a
 * security incident (DR scenario 5 step 4) and a new master password applied at once (DR scenario
 * 5 step 3, runbook 5.2; `drop secrets rotate-db-password` owns the rotation around it). The
 * password never appears in a plan, a log line or an error here.
 */
import { ModifyDBInstanceCommand, type ModifyDBInstanceCommandInput } from '@aws-sdk/client-rds';
import { type AwsCall, type AwsClients, AwsOperationError, type AwsSettings, sendAws } from './clients.ts';
import { type InstanceView, instanceView } from './rds-instances.ts';

export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

export interface MonitoringOptions {
  instance?: string | undefined;
  /** Seconds between enhanced-monitoring samples; 0 turns it off. */
  intervalSeconds: (typeof MONITORING_INTERVALS)[number];
  /** The IAM role RDS publishes the metrics with (the runbook's rds-monitoring-role); required unless 0. */
  roleArn?: string | undefined;
  region?: string | undefined;
}

function monitoringInput(settings: AwsSettings, options: MonitoringOptions): ModifyDBInstanceCommandInput {
  if (options.intervalSeconds !== 0 && !options.roleArn) {
    throw new AwsOperationError('INVALID_INPUT', 'enhanced monitoring needs the monitoring role ARN');
  }
  return {
    DBInstanceIdentifier: options.instance ?? settings.rds.instance,
    MonitoringInterval: options.intervalSeconds,
    ...(options.intervalSeconds !== 0 && options.roleArn ? { MonitoringRoleArn: options.roleArn } : {}),
    ApplyImmediately: true,
  };
}

/** DR scenario 5 step 4: enhanced monitoring every `intervalSeconds`, applied immediately. */
export async function setEnhancedMonitoring(aws: AwsClients, options: MonitoringOptions): Promise<InstanceView> {
  const region = options.region ?? aws.settings.region;
  const input = monitoringInput(aws.settings, options);
  const answer = await sendAws(aws, { service: 'rds', operation: 'ModifyDBInstance', region, input: { ...input } }, () =>
    aws.rds(region).send(new ModifyDBInstanceCommand(input)),
  );
  if (!answer.DBInstance) throw new Error('rds ModifyDBInstance answered no DBInstance');
  return instanceView(answer.DBInstance, region);
}

export function planSetEnhancedMonitoring(settings: AwsSettings, options: MonitoringOptions): AwsCall[] {
  return [
    {
      service: 'rds',
      operation: 'ModifyDBInstance',
      region: options.region ?? settings.region,
      input: { ...monitoringInput(settings, options) },
    },
  ];
}

/**
 * DR scenario 5 step 3 / runbook 5.2 step 2: the instance's master password, applied immediately.
 * What is told to `onCall` (and so printed with --verbose) carries `****` for it.
 */
export async function setMasterUserPassword(
  aws: AwsClients,
  options: { instance?: string | undefined; password: string; region?: string | undefined },
): Promise<InstanceView> {
  if (options.password.length < 8 || options.password.length > 128 || /[/"@\s]/.test(options.password)) {
    throw new AwsOperationError(
      'INVALID_INPUT',
      'an RDS PostgreSQL master password has 8–128 printable characters, without /, ", @ or spaces',
    );
  }
  const region = options.region ?? aws.settings.region;
  const input: ModifyDBInstanceCommandInput = {
    DBInstanceIdentifier: options.instance ?? aws.settings.rds.instance,
    MasterUserPassword: options.password,
    ApplyImmediately: true,
  };
  const answer = await sendAws(
    aws,
    { service: 'rds', operation: 'ModifyDBInstance', region, input: { ...input, MasterUserPassword: '****' } },
    () => aws.rds(region).send(new ModifyDBInstanceCommand(input)),
  );
  if (!answer.DBInstance) throw new Error('rds ModifyDBInstance answered no DBInstance');
  return instanceView(answer.DBInstance, region);
}
