/**
 * RDS snapshots, as the runbooks use them: the newest automated snapshot and its age (operational
 * runbook 3.1, DR appendix), manual snapshots before risky work (6.4, pre-deploy 4.1 step 3,
 * DR scenario 3A step 1), the forensic snapshot of a security incident (DR scenario 5 step 5) and
 * the copy to eu-north-1 for a region failover (DR scenario 4 step 1). Each write has a `plan…`
 * twin listing the calls it would make, built from the same inputs, for `--dry-run`.
 */
import {
  CopyDBSnapshotCommand,
  type CopyDBSnapshotCommandInput,
  CreateDBSnapshotCommand,
  type CreateDBSnapshotCommandInput,
  type DBSnapshot,
  DescribeDBSnapshotsCommand,
  type DescribeDBSnapshotsCommandInput,
} from '@aws-sdk/client-rds';
import {
  type AwsCall,
  type AwsClients,
  AwsOperationError,
  type AwsSettings,
  runbookStamp,
  sendAws,
  type WaitOptions,
  waitUntil,
} from './clients.ts';

export type SnapshotType = 'automated' | 'manual';

export interface SnapshotView {
  id: string;
  arn: string | undefined;
  instance: string | undefined;
  type: string | undefined;
  status: string | undefined;
  createdAt: Date | undefined;
  percentProgress: number | undefined;
  /** For a copy: the region it was copied from. */
  sourceRegion: string | undefined;
  region: string;
}

function snapshotView(snapshot: DBSnapshot, region: string): SnapshotView {
  return {
    id: snapshot.DBSnapshotIdentifier ?? '',
    arn: snapshot.DBSnapshotArn,
    instance: snapshot.DBInstanceIdentifier,
    type: snapshot.SnapshotType,
    status: snapshot.Status,
    createdAt: snapshot.SnapshotCreateTime,
    percentProgress: snapshot.PercentProgress,
    sourceRegion: snapshot.SourceRegion,
    region,
  };
}

/** What a manual snapshot is for; its id is `<instance>-<kind>-YYYYMMDD-HHMM`, as the runbooks name them. */
export const SNAPSHOT_KINDS = ['manual', 'pre-deploy', 'incident', 'before-restore'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

export function snapshotIdFor(kind: SnapshotKind, instance: string, at: Date): string {
  return `${instance}-${kind}-${runbookStamp(at)}`;
}

/** `drop-db-failover-YYYYMMDD`, DR scenario 4's name for the copy in the failover region. */
export function failoverSnapshotIdFor(instance: string, at: Date): string {
  return `${instance}-failover-${runbookStamp(at).slice(0, 8)}`;
}

function describeInput(options: { instance?: string; snapshotId?: string; type?: SnapshotType }): DescribeDBSnapshotsCommandInput {
  return {
    ...(options.instance ? { DBInstanceIdentifier: options.instance } : {}),
    ...(options.snapshotId ? { DBSnapshotIdentifier: options.snapshotId } : {}),
    ...(options.type ? { SnapshotType: options.type } : {}),
  };
}

/** Every snapshot of an instance (of one type, if given), oldest first. */
export async function listSnapshots(
  aws: AwsClients,
  options: { instance?: string; type?: SnapshotType; region?: string } = {},
): Promise<SnapshotView[]> {
  const region = options.region ?? aws.settings.region;
  const input = describeInput({ instance: options.instance ?? aws.settings.rds.instance, ...(options.type ? { type: options.type } : {}) });
  const snapshots: SnapshotView[] = [];
  let marker: string | undefined;
  do {
    const page = await sendAws(
      aws,
      { service: 'rds', operation: 'DescribeDBSnapshots', region, input: { ...input, ...(marker ? { Marker: marker } : {}) } },
      () => aws.rds(region).send(new DescribeDBSnapshotsCommand({ ...input, ...(marker ? { Marker: marker } : {}) })),
    );
    for (const snapshot of page.DBSnapshots ?? []) snapshots.push(snapshotView(snapshot, region));
    marker = page.Marker;
  } while (marker);
  return snapshots.sort(
    (a, b) => (a.createdAt?.getTime() ?? Number.MAX_SAFE_INTEGER) - (b.createdAt?.getTime() ?? Number.MAX_SAFE_INTEGER),
  );
}

/** One snapshot by id; AwsCallError DBSnapshotNotFound when there is none. */
export async function describeSnapshot(aws: AwsClients, snapshotId: string, region = aws.settings.region): Promise<SnapshotView> {
  const input = describeInput({ snapshotId });
  const answer = await sendAws(aws, { service: 'rds', operation: 'DescribeDBSnapshots', region, input: { ...input } }, () =>
    aws.rds(region).send(new DescribeDBSnapshotsCommand(input)),
  );
  const snapshot = answer.DBSnapshots?.[0];
  if (!snapshot) throw new AwsOperationError('NOT_FOUND', `rds DescribeDBSnapshots answered no snapshot ${snapshotId}`);
  return snapshotView(snapshot, region);
}

export interface LatestSnapshot {
  snapshot: SnapshotView;
  /** Hours since SnapshotCreateTime at `now`. */
  ageHours: number;
}

/**
 * The newest available automated snapshot of the instance and its age (runbook 3.1: it must exist
 * and be younger than 24 h), or undefined when there is none.
 */
export async function latestAutomatedSnapshot(
  aws: AwsClients,
  options: { instance?: string; region?: string; now?: Date } = {},
): Promise<LatestSnapshot | undefined> {
  const snapshots = await listSnapshots(aws, { ...options, type: 'automated' });
  const usable = snapshots.filter((snapshot) => snapshot.status === 'available' && snapshot.createdAt);
  const snapshot = usable.at(-1);
  if (!snapshot?.createdAt) return undefined;
  const now = options.now ?? new Date();
  return { snapshot, ageHours: (now.getTime() - snapshot.createdAt.getTime()) / 3_600_000 };
}

export function planLatestAutomatedSnapshot(settings: AwsSettings, options: { instance?: string; region?: string } = {}): AwsCall[] {
  return [
    {
      service: 'rds',
      operation: 'DescribeDBSnapshots',
      region: options.region ?? settings.region,
      input: { ...describeInput({ instance: options.instance ?? settings.rds.instance, type: 'automated' }) },
      note: 'the newest available one by SnapshotCreateTime',
    },
  ];
}

function createInput(instance: string, snapshotId: string, purpose: string): CreateDBSnapshotCommandInput {
  return {
    DBInstanceIdentifier: instance,
    DBSnapshotIdentifier: snapshotId,
    Tags: [
      { Key: 'purpose', Value: purpose },
      { Key: 'created-by', Value: 'drop-cli' },
    ],
  };
}

export interface CreateSnapshotOptions {
  instance?: string;
  snapshotId: string;
  /** Tagged on the snapshot (`purpose`), e.g. the kind. */
  purpose?: string;
  region?: string;
}

/** CreateDBSnapshot; the snapshot starts `creating` (wait with `waitForSnapshotAvailable`). */
export async function createDbSnapshot(aws: AwsClients, options: CreateSnapshotOptions): Promise<SnapshotView> {
  const region = options.region ?? aws.settings.region;
  const input = createInput(options.instance ?? aws.settings.rds.instance, options.snapshotId, options.purpose ?? 'manual');
  const answer = await sendAws(aws, { service: 'rds', operation: 'CreateDBSnapshot', region, input: { ...input } }, () =>
    aws.rds(region).send(new CreateDBSnapshotCommand(input)),
  );
  if (!answer.DBSnapshot) throw new Error('rds CreateDBSnapshot answered no DBSnapshot');
  return snapshotView(answer.DBSnapshot, region);
}

export function planCreateDbSnapshot(settings: AwsSettings, options: CreateSnapshotOptions & { wait: boolean }): AwsCall[] {
  const region = options.region ?? settings.region;
  const input = createInput(options.instance ?? settings.rds.instance, options.snapshotId, options.purpose ?? 'manual');
  return [
    { service: 'rds', operation: 'CreateDBSnapshot', region, input: { ...input } },
    ...(options.wait ? [waitCall(settings, options.snapshotId, region)] : []),
  ];
}

function waitCall(settings: AwsSettings, snapshotId: string, region: string): AwsCall {
  return {
    service: 'rds',
    operation: 'DescribeDBSnapshots',
    region,
    input: { ...describeInput({ snapshotId }) },
    note: `repeated every ${settings.wait.intervalMs / 1000} s until Status is available`,
  };
}

/**
 * The forensic snapshot of DR scenario 5 step 5: `<instance>-incident-YYYYMMDD-HHMM`, tagged
 * `purpose=forensic`. Waits for it to be available when `wait` is given.
 */
export async function createForensicSnapshot(
  aws: AwsClients,
  options: { instance?: string; at?: Date; wait?: Omit<WaitOptions, 'intervalMs' | 'timeoutMs'> & Partial<WaitOptions> } = {},
): Promise<SnapshotView> {
  const instance = options.instance ?? aws.settings.rds.instance;
  const snapshotId = snapshotIdFor('incident', instance, options.at ?? new Date());
  const created = await createDbSnapshot(aws, { instance, snapshotId, purpose: 'forensic' });
  if (!options.wait) return created;
  return waitForSnapshotAvailable(aws, snapshotId, { ...aws.settings.wait, ...options.wait });
}

/** Polls DescribeDBSnapshots until the snapshot is available (failed, deleted, incompatible-*: AwsOperationError). */
export async function waitForSnapshotAvailable(
  aws: AwsClients,
  snapshotId: string,
  options: WaitOptions & { region?: string },
): Promise<SnapshotView> {
  return waitUntil(
    `snapshot ${snapshotId}`,
    () => describeSnapshot(aws, snapshotId, options.region),
    (snapshot) => {
      const status = snapshot.status ?? 'unknown';
      const failed = ['failed', 'deleted', 'deleting', 'incompatible-restore', 'incompatible-parameters'].includes(status)
        ? `status ${status}`
        : undefined;
      const progress = snapshot.percentProgress === undefined ? '' : ` ${snapshot.percentProgress}%`;
      return { state: `${status}${status === 'available' ? '' : progress}`, done: status === 'available', failed };
    },
    options,
  );
}

export interface CopySnapshotOptions {
  /** The snapshot in the source region (default: the newest available automated one). */
  sourceSnapshotId?: string;
  sourceRegion?: string;
  /** Default: the failover region (eu-north-1). */
  targetRegion?: string;
  /** Default: `<instance>-failover-YYYYMMDD`. */
  targetSnapshotId?: string;
  at?: Date;
}

function copyInput(sourceArn: string, targetSnapshotId: string): CopyDBSnapshotCommandInput {
  return {
    SourceDBSnapshotIdentifier: sourceArn,
    TargetDBSnapshotIdentifier: targetSnapshotId,
    CopyTags: true,
    Tags: [
      { Key: 'purpose', Value: 'failover' },
      { Key: 'created-by', Value: 'drop-cli' },
    ],
  };
}

/**
 * DR scenario 4 step 1: copies a snapshot to the failover region. The source is named by its ARN
 * (read with DescribeDBSnapshots, which also proves it exists); the call is made in the target
 * region, and the SDK adds the pre-signed URL an encrypted snapshot needs.
 */
export async function copySnapshotToRegion(
  aws: AwsClients,
  options: CopySnapshotOptions = {},
): Promise<{ source: SnapshotView; copy: SnapshotView }> {
  const sourceRegion = options.sourceRegion ?? aws.settings.region;
  const targetRegion = options.targetRegion ?? aws.settings.failoverRegion;
  let source: SnapshotView;
  if (options.sourceSnapshotId) {
    source = await describeSnapshot(aws, options.sourceSnapshotId, sourceRegion);
  } else {
    const latest = await latestAutomatedSnapshot(aws, { region: sourceRegion });
    if (!latest)
      throw new AwsOperationError('NOT_FOUND', `no available automated snapshot of ${aws.settings.rds.instance} in ${sourceRegion}`);
    source = latest.snapshot;
  }
  if (!source.arn) throw new Error(`rds DescribeDBSnapshots gave no DBSnapshotArn for ${source.id}`);
  const targetId =
    options.targetSnapshotId ?? failoverSnapshotIdFor(source.instance ?? aws.settings.rds.instance, options.at ?? new Date());
  const input = copyInput(source.arn, targetId);
  const answer = await sendAws(aws, { service: 'rds', operation: 'CopyDBSnapshot', region: targetRegion, input: { ...input } }, () =>
    aws.rds(targetRegion).send(new CopyDBSnapshotCommand(input)),
  );
  if (!answer.DBSnapshot) throw new Error('rds CopyDBSnapshot answered no DBSnapshot');
  return { source, copy: snapshotView(answer.DBSnapshot, targetRegion) };
}

export function planCopySnapshotToRegion(settings: AwsSettings, options: CopySnapshotOptions & { wait: boolean }): AwsCall[] {
  const sourceRegion = options.sourceRegion ?? settings.region;
  const targetRegion = options.targetRegion ?? settings.failoverRegion;
  const targetId = options.targetSnapshotId ?? failoverSnapshotIdFor(settings.rds.instance, options.at ?? new Date());
  const describe: AwsCall = options.sourceSnapshotId
    ? {
        service: 'rds',
        operation: 'DescribeDBSnapshots',
        region: sourceRegion,
        input: { ...describeInput({ snapshotId: options.sourceSnapshotId }) },
        note: "the source snapshot's DBSnapshotArn",
      }
    : {
        service: 'rds',
        operation: 'DescribeDBSnapshots',
        region: sourceRegion,
        input: { ...describeInput({ instance: settings.rds.instance, type: 'automated' }) },
        note: 'the newest available automated snapshot and its DBSnapshotArn',
      };
  const sourceArn = `<DBSnapshotArn of ${options.sourceSnapshotId ?? 'that snapshot'}>`;
  return [
    describe,
    { service: 'rds', operation: 'CopyDBSnapshot', region: targetRegion, input: { ...copyInput(sourceArn, targetId) } },
    ...(options.wait ? [waitCall(settings, targetId, targetRegion)] : []),
  ];
}
