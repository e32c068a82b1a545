/**
 * What the AWS stand-in remembers, per region: RDS instances and snapshots, App Runner services
 * with their operations, ECR repositories with their images. A change that takes AWS minutes
 * (a snapshot being created, an instance being restored, a deployment) takes `settleMs` here, or
 * `settleReads` looks at the resource (tests, whatever the machine's speed): the resource shows its
 * in-between status until then and its final one after, computed when read, so the clients' wait
 * loops run for real without timers.
 */
import { createHash, randomBytes } from 'node:crypto';

export const STAND_IN_ACCOUNT = '324480209768';

export class AwsFault extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/**
 * A status that becomes `final` at `until` (ms since the epoch), or, when `readsLeft` is set,
 * after the resource was looked up that many more times (tests: the first look of a wait always
 * sees the change in progress, however slow the machine).
 */
export interface Settling {
  status: string;
  until: number;
  final: string;
  readsLeft?: number | undefined;
}

export interface StandInTag {
  Key: string;
  Value: string;
}

export interface StandInInstance {
  id: string;
  region: string;
  instanceClass: string;
  engineVersion: string;
  dbName: string;
  username: string;
  createdAt: Date;
  status: string;
  settling?: Settling | undefined;
  backupRetentionDays: number;
  backupWindow: string;
  vpcSecurityGroupIds: string[];
  subnetGroup: string;
  tags: StandInTag[];
  monitoringInterval: number;
  monitoringRoleArn?: string | undefined;
  /** When ModifyDBInstance last set MasterUserPassword (the stand-in keeps no password). */
  masterPasswordChangedAt?: Date | undefined;
  /** What it was restored from, for tests. */
  restoredFrom?: { snapshotId?: string; sourceInstance?: string; restoreTime?: Date } | undefined;
}

export interface StandInSnapshot {
  id: string;
  region: string;
  instance: string;
  type: 'automated' | 'manual';
  createdAt: Date;
  /** The instance's creation time (RDS reports it on the snapshot). */
  instanceCreatedAt: Date;
  engineVersion: string;
  status: string;
  settling?: Settling | undefined;
  sourceRegion?: string | undefined;
  sourceSnapshotArn?: string | undefined;
  tags: StandInTag[];
}

export interface StandInOperation {
  Id: string;
  Type: 'START_DEPLOYMENT' | 'UPDATE_SERVICE';
  TargetArn: string;
  StartedAt: Date;
  until: number;
  /** As Settling's: looks of the service left until it ends (instead of `until`). */
  readsLeft?: number | undefined;
  /** How it ends: SUCCEEDED, or ROLLBACK_SUCCEEDED (a deployment that failed and was rolled back). */
  outcome: 'SUCCEEDED' | 'ROLLBACK_SUCCEEDED';
  /** The source configuration it applies when it succeeds (UpdateService). */
  applies?: Record<string, unknown> | undefined;
}

export interface StandInService {
  arn: string;
  name: string;
  id: string;
  region: string;
  url: string;
  createdAt: Date;
  updatedAt: Date;
  sourceConfiguration: Record<string, unknown>;
  instanceConfiguration: Record<string, unknown>;
  /** Newest last. */
  operations: StandInOperation[];
  paused: boolean;
}

export interface StandInEvent {
  region: string;
  sourceId: string;
  message: string;
  categories: string[];
  date: Date;
}

export interface StandInImage {
  digest: string;
  tags: string[];
  pushedAt: Date;
  sizeBytes: number;
}

export interface StandInOptions {
  /** How long a snapshot, a restore or a deployment takes here (default 2000 ms). */
  settleMs?: number;
  /** Instead of time: a change completes after its resource was looked up this many times. */
  settleReads?: number;
  clock?: () => Date;
  /** 'runbook' (default): drop-db with three nights of automated snapshots, drop-web RUNNING, five images. */
  seed?: 'runbook' | 'empty';
}

export const RUNBOOK = {
  region: 'eu-west-1',
  instance: 'drop-db',
  serviceArn: `arn:aws:apprunner:eu-west-1:${STAND_IN_ACCOUNT}:service/drop-web/8e45b0d335304487a1880f4e32d6aeec`,
  repository: 'drop-web',
  repositoryUri: `${STAND_IN_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/drop-web`,
  databaseUrl: 'postgres://dropuser:stand-in-password@drop-db.czu2qe4quy4v.eu-west-1.rds.amazonaws.com:5432/dropapp',
} as const;

const HOUR = 3_600_000;

export class AwsStandInState {
  readonly instances = new Map<string, StandInInstance>();
  readonly snapshots = new Map<string, StandInSnapshot>();
  readonly services = new Map<string, StandInService>();
  /** RDS events (DescribeEvents), oldest first. */
  readonly events: StandInEvent[] = [];
  /** Repository name → images; one registry, in the runbook's region. */
  readonly repositories = new Map<string, StandInImage[]>();
  /** Every request that reached an operation, in order (tests check what was, and was not, called). */
  readonly calls: Array<{ service: 'rds' | 'apprunner' | 'ecr'; operation: string; region: string }> = [];
  settleMs: number;
  readonly settleReads: number | undefined;
  readonly clock: () => Date;
  private failNext = false;

  constructor(options: StandInOptions = {}) {
    this.settleMs = options.settleMs ?? 2000;
    this.settleReads = options.settleReads;
    this.clock = options.clock ?? (() => new Date());
    if ((options.seed ?? 'runbook') === 'runbook') this.seedRunbook();
  }

  now(): Date {
    return this.clock();
  }

  private key(region: string, id: string): string {
    return `${region}/${id}`;
  }

  /** The runbooks' production: drop-db available, automated snapshots at the last three starts of the 23:24 backup window, drop-web RUNNING. */
  seedRunbook(): void {
    const now = this.now();
    const created = new Date(now.getTime() - 120 * 24 * HOUR);
    this.addInstance({ id: RUNBOOK.instance, region: RUNBOOK.region, createdAt: created });
    // The newest backup is the last start of the backup window (23:24 UTC) at or before now, so it
    // is always less than 24 h old, as on a healthy RDS instance. (Counting whole days back from now
    // made "last night's" snapshot 24 h and more old between 23:24 and about 00:24, and the daily
    // snapshot check failed on a healthy seed at that hour.)
    const newest = new Date(now);
    newest.setUTCHours(23, 24, 0, 0);
    if (newest.getTime() > now.getTime()) newest.setTime(newest.getTime() - 24 * HOUR);
    for (let nightsAgo = 2; nightsAgo >= 0; nightsAgo--) {
      const at = new Date(newest.getTime() - nightsAgo * 24 * HOUR);
      this.addSnapshot({ region: RUNBOOK.region, instance: RUNBOOK.instance, type: 'automated', createdAt: at });
      this.event(RUNBOOK.region, RUNBOOK.instance, 'Backing up DB instance', ['backup'], at);
      this.event(RUNBOOK.region, RUNBOOK.instance, 'Finished DB Instance backup', ['backup'], new Date(at.getTime() + 4 * 60_000));
    }
    const tags = ['3f9c2a1', '7b41d0e', 'a0c5e92', 'c81f4b7', 'e52d913'];
    this.repositories.set(
      RUNBOOK.repository,
      tags.map((tag, index) => ({
        digest: `sha256:${createHash('sha256').update(tag).digest('hex')}`,
        tags: [tag],
        pushedAt: new Date(now.getTime() - (tags.length - index) * 24 * HOUR),
        sizeBytes: 98_000_000 + index * 1_000_000,
      })),
    );
    this.addService({
      arn: RUNBOOK.serviceArn,
      image: `${RUNBOOK.repositoryUri}:${tags.at(-1)}`,
      variables: { NODE_ENV: 'production', DATABASE_URL: RUNBOOK.databaseUrl, PUBLIC_URL: 'https://getdrop.no', TRUST_PROXY_HOPS: '1' },
    });
  }

  addInstance(options: { id: string; region: string; createdAt?: Date; status?: string }): StandInInstance {
    const instance: StandInInstance = {
      id: options.id,
      region: options.region,
      instanceClass: 'db.t4g.micro',
      engineVersion: '16.4',
      dbName: 'dropapp',
      username: 'dropuser',
      createdAt: options.createdAt ?? this.now(),
      status: options.status ?? 'available',
      backupRetentionDays: 7,
      backupWindow: '23:24-23:54',
      vpcSecurityGroupIds: ['sg-0d1e2f3a4b5c6d7e8'],
      subnetGroup: 'default',
      tags: [],
      monitoringInterval: 60,
      monitoringRoleArn: `arn:aws:iam::${STAND_IN_ACCOUNT}:role/rds-monitoring-role`,
    };
    this.instances.set(this.key(options.region, options.id), instance);
    return instance;
  }

  addSnapshot(options: {
    region: string;
    instance: string;
    type: 'automated' | 'manual';
    createdAt: Date;
    id?: string;
    status?: string;
  }): StandInSnapshot {
    const iso = options.createdAt.toISOString();
    const id = options.id ?? `rds:${options.instance}-${iso.slice(0, 10)}-${iso.slice(11, 13)}-${iso.slice(14, 16)}`;
    const instance = this.instances.get(this.key(options.region, options.instance));
    const snapshot: StandInSnapshot = {
      id,
      region: options.region,
      instance: options.instance,
      type: options.type,
      createdAt: options.createdAt,
      instanceCreatedAt: instance?.createdAt ?? options.createdAt,
      engineVersion: instance?.engineVersion ?? '16.4',
      status: options.status ?? 'available',
      tags: [],
    };
    this.snapshots.set(this.key(options.region, id), snapshot);
    return snapshot;
  }

  addService(options: { arn: string; image: string; variables: Record<string, string>; secrets?: Record<string, string> }): StandInService {
    const [, , , region = RUNBOOK.region, , resource = ''] = options.arn.split(':');
    const [, name = 'service', id = randomBytes(16).toString('hex')] = resource.split('/');
    const now = this.now();
    const service: StandInService = {
      arn: options.arn,
      name,
      id,
      region,
      url: `${randomBytes(5).toString('hex')}.${region}.awsapprunner.com`,
      createdAt: new Date(now.getTime() - 90 * 24 * HOUR),
      updatedAt: now,
      sourceConfiguration: {
        ImageRepository: {
          ImageIdentifier: options.image,
          ImageRepositoryType: 'ECR',
          ImageConfiguration: {
            Port: '3000',
            RuntimeEnvironmentVariables: options.variables,
            ...(options.secrets ? { RuntimeEnvironmentSecrets: options.secrets } : {}),
          },
        },
        AutoDeploymentsEnabled: false,
        AuthenticationConfiguration: { AccessRoleArn: `arn:aws:iam::${STAND_IN_ACCOUNT}:role/drop-apprunner-ecr-access` },
      },
      instanceConfiguration: { Cpu: '1024', Memory: '2048' },
      operations: [],
      paused: false,
    };
    this.services.set(options.arn, service);
    return service;
  }

  /** The next deployment fails and is rolled back (the service stays RUNNING on what it ran). */
  failNextDeployment(): void {
    this.failNext = true;
  }

  settle<T extends { status: string; settling?: Settling | undefined }>(resource: T): T {
    const settling = resource.settling;
    if (!settling) return resource;
    if (settling.readsLeft !== undefined) settling.readsLeft -= 1;
    const due = settling.readsLeft !== undefined ? settling.readsLeft <= 0 : this.now().getTime() >= settling.until;
    if (due) {
      resource.status = settling.final;
      resource.settling = undefined;
    }
    return resource;
  }

  settling(status: string, final: string): Settling {
    return { status, final, until: this.now().getTime() + this.settleMs, readsLeft: this.settleReads };
  }

  /** How far a settling change is, 0–99. */
  progress(settling: Settling): number {
    const share =
      settling.readsLeft !== undefined && this.settleReads
        ? 1 - settling.readsLeft / this.settleReads
        : 1 - (settling.until - this.now().getTime()) / this.settleMs;
    return Math.max(0, Math.min(99, Math.floor(100 * share)));
  }

  // --- RDS -----------------------------------------------------------------------------------

  event(region: string, sourceId: string, message: string, categories: string[], date = this.now()): void {
    this.events.push({ region, sourceId, message, categories, date });
  }

  /** An instance; one whose deletion completed is gone. */
  instance(region: string, id: string): StandInInstance | undefined {
    const found = this.instances.get(this.key(region, id));
    if (!found) return undefined;
    this.settle(found);
    if (found.status !== 'deleted') return found;
    this.instances.delete(this.key(region, id));
    this.event(region, id, 'DB instance deleted', ['deletion']);
    return undefined;
  }

  regionInstances(region: string): StandInInstance[] {
    return [...this.instances.values()]
      .filter((instance) => instance.region === region)
      .map((instance) => this.instance(region, instance.id))
      .filter((instance) => instance !== undefined);
  }

  snapshot(region: string, id: string): StandInSnapshot | undefined {
    const found = this.snapshots.get(this.key(region, id));
    return found ? this.settle(found) : undefined;
  }

  regionSnapshots(region: string): StandInSnapshot[] {
    return [...this.snapshots.values()].filter((snapshot) => snapshot.region === region).map((snapshot) => this.settle(snapshot));
  }

  snapshotArn(snapshot: StandInSnapshot): string {
    return `arn:aws:rds:${snapshot.region}:${STAND_IN_ACCOUNT}:snapshot:${snapshot.id}`;
  }

  instanceArn(instance: StandInInstance): string {
    return `arn:aws:rds:${instance.region}:${STAND_IN_ACCOUNT}:db:${instance.id}`;
  }

  /** RDS restores to at most about five minutes ago. */
  latestRestorableTime(instance: StandInInstance): Date | undefined {
    if (instance.status !== 'available' || instance.backupRetentionDays === 0) return undefined;
    return new Date(this.now().getTime() - 5 * 60_000);
  }

  earliestRestorableTime(instance: StandInInstance): Date {
    return new Date(Math.max(instance.createdAt.getTime(), this.now().getTime() - instance.backupRetentionDays * 24 * HOUR));
  }

  // --- App Runner ----------------------------------------------------------------------------

  service(arn: string): StandInService | undefined {
    const service = this.services.get(arn);
    if (!service) return undefined;
    for (const operation of service.operations) {
      if (operation.readsLeft !== undefined && operation.readsLeft > 0) {
        operation.readsLeft -= 1;
        if (operation.readsLeft === 0) operation.until = this.now().getTime();
      }
      if (this.operationStatus(operation) !== 'IN_PROGRESS' && operation.applies) {
        if (operation.outcome === 'SUCCEEDED') service.sourceConfiguration = operation.applies;
        operation.applies = undefined;
        service.updatedAt = new Date(operation.until);
      }
    }
    return service;
  }

  operationStatus(operation: StandInOperation): string {
    const done = operation.readsLeft !== undefined ? operation.readsLeft <= 0 : operation.until <= this.now().getTime();
    return done ? operation.outcome : 'IN_PROGRESS';
  }

  serviceStatus(service: StandInService): string {
    if (service.paused) return 'PAUSED';
    return service.operations.some((operation) => this.operationStatus(operation) === 'IN_PROGRESS') ? 'OPERATION_IN_PROGRESS' : 'RUNNING';
  }

  startOperation(service: StandInService, type: StandInOperation['Type'], applies?: Record<string, unknown>): StandInOperation {
    let outcome: StandInOperation['outcome'] = 'SUCCEEDED';
    if (this.failNext) {
      this.failNext = false;
      outcome = 'ROLLBACK_SUCCEEDED';
    }
    // An image that is not in the repository cannot be pulled: the deployment fails and is rolled back.
    const image = (applies?.ImageRepository as { ImageIdentifier?: string } | undefined)?.ImageIdentifier;
    if (image && !this.imageExists(image)) outcome = 'ROLLBACK_SUCCEEDED';
    const operation: StandInOperation = {
      Id: randomBytes(16).toString('hex'),
      Type: type,
      TargetArn: service.arn,
      StartedAt: this.now(),
      until: this.now().getTime() + this.settleMs,
      readsLeft: this.settleReads,
      outcome,
      applies,
    };
    service.operations.push(operation);
    service.updatedAt = this.now();
    return operation;
  }

  // --- ECR -----------------------------------------------------------------------------------

  imageExists(identifier: string): boolean {
    const match = /\/([^/:@]+)(?::([^@]+)|@(.+))?$/.exec(identifier);
    if (!match) return false;
    const [, repository = '', tag = 'latest', digest] = match;
    const images = this.repositories.get(repository) ?? [];
    return images.some((image) => (digest ? image.digest === digest : image.tags.includes(tag)));
  }

  pushImage(repository: string, tag: string, at = this.now()): StandInImage {
    const image: StandInImage = {
      digest: `sha256:${createHash('sha256').update(`${tag}${at.toISOString()}`).digest('hex')}`,
      tags: [tag],
      pushedAt: at,
      sizeBytes: 99_500_000,
    };
    const images = this.repositories.get(repository) ?? [];
    for (const other of images) other.tags = other.tags.filter((existing) => existing !== tag);
    images.push(image);
    this.repositories.set(repository, images);
    return image;
  }
}
