/**
 * RDS instances: the status check (runbook quick health check, DR scenario 2 step 1), a restore
 * from a snapshot into a new instance (DR scenario 2A, 3A step 2, 4 step 2), a point-in-time
 * restore (DR scenario 2B) and the wait until the new instance is available with its endpoint.
 * Each write has a `plan…` twin built from the same inputs, for `--dry-run`.
 */
import {
  type DBInstance,
  DeleteDBInstanceCommand,
  type DeleteDBInstanceCommandInput,
  DescribeDBInstancesCommand,
  DescribeEventsCommand,
  type DescribeEventsCommandInput,
  RestoreDBInstanceFromDBSnapshotCommand,
  type RestoreDBInstanceFromDBSnapshotCommandInput,
  RestoreDBInstanceToPointInTimeCommand,
  type RestoreDBInstanceToPointInTimeCommandInput,
} from '@aws-sdk/client-rds';
import {
  type AwsCall,
  AwsCallError,
  type AwsClients,
  AwsOperationError,
  type AwsSettings,
  sendAws,
  type WaitOptions,
  waitUntil,
} from './clients.ts';

export interface InstanceView {
  id: string;
  arn: string | undefined;
  status: string | undefined;
  instanceClass: string | undefined;
  engine: string | undefined;
  engineVersion: string | undefined;
  /** Where to connect, once the instance has one (not while it is being created). */
  endpoint: { address: string; port: number } | undefined;
  dbName: string | undefined;
  username: string | undefined;
  latestRestorableTime: Date | undefined;
  backupRetentionDays: number | undefined;
  preferredBackupWindow: string | undefined;
  multiAz: boolean | undefined;
  region: string;
}

/** An RDS DBInstance as Drop reads it. */
export function instanceView(instance: DBInstance, region: string): InstanceView {
  const address = instance.Endpoint?.Address;
  return {
    id: instance.DBInstanceIdentifier ?? '',
    arn: instance.DBInstanceArn,
    status: instance.DBInstanceStatus,
    instanceClass: instance.DBInstanceClass,
    engine: instance.Engine,
    engineVersion: instance.EngineVersion,
    endpoint: address ? { address, port: instance.Endpoint?.Port ?? 5432 } : undefined,
    dbName: instance.DBName,
    username: instance.MasterUsername,
    latestRestorableTime: instance.LatestRestorableTime,
    backupRetentionDays: instance.BackupRetentionPeriod,
    preferredBackupWindow: instance.PreferredBackupWindow,
    multiAz: instance.MultiAZ,
    region,
  };
}

/** DescribeDBInstances for one instance; AwsCallError DBInstanceNotFound when there is none. */
export async function describeDbInstance(aws: AwsClients, instanceId?: string, region = aws.settings.region): Promise<InstanceView> {
  const input = { DBInstanceIdentifier: instanceId ?? aws.settings.rds.instance };
  const answer = await sendAws(aws, { service: 'rds', operation: 'DescribeDBInstances', region, input: { ...input } }, () =>
    aws.rds(region).send(new DescribeDBInstancesCommand(input)),
  );
  const instance = answer.DBInstances?.[0];
  if (!instance) throw new AwsOperationError('NOT_FOUND', `rds DescribeDBInstances answered no instance ${input.DBInstanceIdentifier}`);
  return instanceView(instance, region);
}

export function planDescribeDbInstance(settings: AwsSettings, instanceId?: string, region = settings.region, note?: string): AwsCall {
  return {
    service: 'rds',
    operation: 'DescribeDBInstances',
    region,
    input: { DBInstanceIdentifier: instanceId ?? settings.rds.instance },
    ...(note ? { note } : {}),
  };
}

/** Where a restored instance goes: the runbook passes the class, security groups and subnet group. */
export interface RestorePlacement {
  targetInstance: string;
  instanceClass?: string | undefined;
  securityGroupIds?: string[] | undefined;
  subnetGroup?: string | undefined;
  region?: string | undefined;
}

function placement(settings: AwsSettings, options: RestorePlacement) {
  return {
    DBInstanceClass: options.instanceClass ?? settings.rds.instanceClass,
    ...(options.securityGroupIds?.length ? { VpcSecurityGroupIds: options.securityGroupIds } : {}),
    ...(options.subnetGroup ? { DBSubnetGroupName: options.subnetGroup } : {}),
    Tags: [
      { Key: 'restored-by', Value: 'drop-cli' },
      { Key: 'restored-for', Value: 'dr' },
    ],
  };
}

function fromSnapshotInput(
  settings: AwsSettings,
  options: RestorePlacement & { snapshotId: string },
): RestoreDBInstanceFromDBSnapshotCommandInput {
  return { DBInstanceIdentifier: options.targetInstance, DBSnapshotIdentifier: options.snapshotId, ...placement(settings, options) };
}

/** DR scenario 2A: RestoreDBInstanceFromDBSnapshot into a new instance (it starts `creating`). */
export async function restoreFromSnapshot(aws: AwsClients, options: RestorePlacement & { snapshotId: string }): Promise<InstanceView> {
  const region = options.region ?? aws.settings.region;
  const input = fromSnapshotInput(aws.settings, options);
  const answer = await sendAws(aws, { service: 'rds', operation: 'RestoreDBInstanceFromDBSnapshot', region, input: { ...input } }, () =>
    aws.rds(region).send(new RestoreDBInstanceFromDBSnapshotCommand(input)),
  );
  if (!answer.DBInstance) throw new Error('rds RestoreDBInstanceFromDBSnapshot answered no DBInstance');
  return instanceView(answer.DBInstance, region);
}

export function planRestoreFromSnapshot(
  settings: AwsSettings,
  options: RestorePlacement & { snapshotId: string; snapshotIsLatest: boolean; wait: boolean },
): AwsCall[] {
  const region = options.region ?? settings.region;
  return [
    ...(options.snapshotIsLatest
      ? [
          {
            service: 'rds',
            operation: 'DescribeDBSnapshots',
            region,
            input: { DBInstanceIdentifier: settings.rds.instance, SnapshotType: 'automated' },
            note: 'the newest available automated snapshot',
          } satisfies AwsCall,
        ]
      : []),
    { service: 'rds', operation: 'RestoreDBInstanceFromDBSnapshot', region, input: { ...fromSnapshotInput(settings, options) } },
    ...(options.wait ? [waitCall(settings, options.targetInstance, region)] : []),
  ];
}

export interface PointInTimeOptions extends RestorePlacement {
  sourceInstance?: string | undefined;
  /** The moment to restore to, or 'latest' (the instance's LatestRestorableTime). */
  restoreTime: Date | 'latest';
}

function pointInTimeInput(settings: AwsSettings, options: PointInTimeOptions): RestoreDBInstanceToPointInTimeCommandInput {
  return {
    SourceDBInstanceIdentifier: options.sourceInstance ?? settings.rds.instance,
    TargetDBInstanceIdentifier: options.targetInstance,
    ...(options.restoreTime === 'latest' ? { UseLatestRestorableTime: true } : { RestoreTime: options.restoreTime }),
    ...placement(settings, options),
  };
}

/** DR scenario 2B: RestoreDBInstanceToPointInTime into a new instance. */
export async function restoreToPointInTime(aws: AwsClients, options: PointInTimeOptions): Promise<InstanceView> {
  const region = options.region ?? aws.settings.region;
  const input = pointInTimeInput(aws.settings, options);
  const answer = await sendAws(aws, { service: 'rds', operation: 'RestoreDBInstanceToPointInTime', region, input: { ...input } }, () =>
    aws.rds(region).send(new RestoreDBInstanceToPointInTimeCommand(input)),
  );
  if (!answer.DBInstance) throw new Error('rds RestoreDBInstanceToPointInTime answered no DBInstance');
  return instanceView(answer.DBInstance, region);
}

export function planRestoreToPointInTime(settings: AwsSettings, options: PointInTimeOptions & { wait: boolean }): AwsCall[] {
  const region = options.region ?? settings.region;
  return [
    { service: 'rds', operation: 'RestoreDBInstanceToPointInTime', region, input: { ...pointInTimeInput(settings, options) } },
    ...(options.wait ? [waitCall(settings, options.targetInstance, region)] : []),
  ];
}

function waitCall(settings: AwsSettings, instanceId: string, region: string): AwsCall {
  return planDescribeDbInstance(
    settings,
    instanceId,
    region,
    `repeated every ${settings.wait.intervalMs / 1000} s until DBInstanceStatus is available, then Endpoint.Address`,
  );
}

const FAILED_INSTANCE_STATES = new Set([
  'failed',
  'deleting',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'inaccessible-encryption-credentials',
  'restore-error',
  'storage-full',
]);

/** Polls DescribeDBInstances until the instance is available (and has its endpoint). */
export async function waitForInstanceAvailable(
  aws: AwsClients,
  instanceId: string,
  options: WaitOptions & { region?: string },
): Promise<InstanceView> {
  return waitUntil(
    `instance ${instanceId}`,
    () => describeDbInstance(aws, instanceId, options.region),
    (instance) => {
      const status = instance.status ?? 'unknown';
      return {
        state: status,
        done: status === 'available' && instance.endpoint !== undefined,
        failed: FAILED_INSTANCE_STATES.has(status) ? `status ${status}` : undefined,
      };
    },
    options,
  );
}

/**
 * DR scenario 3A step 5: deletes a temporary instance (a restore aside, a drill's scratch
 * instance) without a final snapshot, as the runbook does, or with one when `finalSnapshotId` is
 * given. The production instance (AWS_RDS_INSTANCE in AWS_REGION) is refused here, whoever asks.
 */
export interface DeleteInstanceOptions {
  instance: string;
  region?: string | undefined;
  finalSnapshotId?: string | undefined;
}

function deleteInput(options: DeleteInstanceOptions): DeleteDBInstanceCommandInput {
  return {
    DBInstanceIdentifier: options.instance,
    ...(options.finalSnapshotId ? { FinalDBSnapshotIdentifier: options.finalSnapshotId } : { SkipFinalSnapshot: true }),
    DeleteAutomatedBackups: true,
  };
}

function refuseProduction(settings: AwsSettings, options: DeleteInstanceOptions): void {
  if (options.instance === settings.rds.instance && (options.region ?? settings.region) === settings.region) {
    throw new AwsOperationError(
      'INVALID_INPUT',
      `${options.instance} is Drop's production instance (AWS_RDS_INSTANCE): it is never deleted from here.`,
    );
  }
}

export async function deleteDbInstance(aws: AwsClients, options: DeleteInstanceOptions): Promise<InstanceView> {
  refuseProduction(aws.settings, options);
  const region = options.region ?? aws.settings.region;
  const input = deleteInput(options);
  const answer = await sendAws(aws, { service: 'rds', operation: 'DeleteDBInstance', region, input: { ...input } }, () =>
    aws.rds(region).send(new DeleteDBInstanceCommand(input)),
  );
  if (!answer.DBInstance) throw new Error('rds DeleteDBInstance answered no DBInstance');
  return instanceView(answer.DBInstance, region);
}

export function planDeleteDbInstance(settings: AwsSettings, options: DeleteInstanceOptions & { wait: boolean }): AwsCall[] {
  refuseProduction(settings, options);
  const region = options.region ?? settings.region;
  return [
    { service: 'rds', operation: 'DeleteDBInstance', region, input: { ...deleteInput(options) } },
    ...(options.wait
      ? [
          planDescribeDbInstance(
            settings,
            options.instance,
            region,
            `repeated every ${settings.wait.intervalMs / 1000} s until DBInstanceNotFound`,
          ),
        ]
      : []),
  ];
}

/** Polls DescribeDBInstances until the instance is gone (DBInstanceNotFound). */
export async function waitForInstanceDeleted(
  aws: AwsClients,
  instanceId: string,
  options: WaitOptions & { region?: string },
): Promise<void> {
  await waitUntil(
    `instance ${instanceId}`,
    async () => {
      try {
        return (await describeDbInstance(aws, instanceId, options.region)).status ?? 'unknown';
      } catch (error) {
        if (error instanceof AwsCallError && error.code === 'DBInstanceNotFound') return 'deleted';
        throw error;
      }
    },
    (status) => ({ state: status, done: status === 'deleted' }),
    options,
  );
}

export interface RdsEvent {
  date: Date | undefined;
  message: string;
  sourceId: string | undefined;
  categories: string[];
}

/** DR scenario 2 step 3: the instance's events of the last `minutes` (DescribeEvents), oldest first. */
export async function describeEvents(
  aws: AwsClients,
  options: { instance?: string; minutes?: number; region?: string } = {},
): Promise<RdsEvent[]> {
  const region = options.region ?? aws.settings.region;
  const input = eventsInput(aws.settings, options);
  const answer = await sendAws(aws, { service: 'rds', operation: 'DescribeEvents', region, input: { ...input } }, () =>
    aws.rds(region).send(new DescribeEventsCommand(input)),
  );
  return (answer.Events ?? [])
    .map((event) => ({
      date: event.Date,
      message: event.Message ?? '',
      sourceId: event.SourceIdentifier,
      categories: event.EventCategories ?? [],
    }))
    .sort((a, b) => (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0));
}

function eventsInput(settings: AwsSettings, options: { instance?: string; minutes?: number }): DescribeEventsCommandInput {
  return { SourceIdentifier: options.instance ?? settings.rds.instance, SourceType: 'db-instance', Duration: options.minutes ?? 60 };
}

export function planDescribeEvents(settings: AwsSettings, options: { instance?: string; minutes?: number; region?: string } = {}): AwsCall {
  return {
    service: 'rds',
    operation: 'DescribeEvents',
    region: options.region ?? settings.region,
    input: { ...eventsInput(settings, options) },
  };
}
