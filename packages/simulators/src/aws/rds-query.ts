/**
 * RDS over the AWS Query protocol, for the calls Drop makes: a form-encoded POST
 * (`Action=CreateDBSnapshot&Version=2014-10-31&…`, lists as `Tags.Tag.1.Key`), answered with
 * `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>` XML in the 2014-10-31
 * namespace, errors as `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>` with
 * the documented codes (DBSnapshotNotFound 404, DBInstanceNotFound 404, DBSnapshotAlreadyExists,
 * InvalidDBInstanceState, InvalidRestoreFault, …).
 *
 * Actions: DescribeDBInstances, DescribeDBSnapshots, CreateDBSnapshot, CopyDBSnapshot,
 * RestoreDBInstanceFromDBSnapshot, RestoreDBInstanceToPointInTime, DeleteDBInstance, DescribeEvents,
 * ModifyDBInstance (MonitoringInterval, MonitoringRoleArn, MasterUserPassword).
 */
import { randomUUID } from 'node:crypto';
import { AwsFault, type AwsStandInState, type StandInInstance, type StandInSnapshot, type StandInTag } from './state.ts';

const NAMESPACE = 'http://rds.amazonaws.com/doc/2014-10-31/';
const IDENTIFIER = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;

type Xml = string | number | boolean | Date | undefined | Xml[] | { [name: string]: Xml };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `{ Name: value }` → `<Name>value</Name>`; arrays are written as [memberName, items]. */
function xml(value: Xml): string {
  if (value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(xml).join('');
  return Object.entries(value)
    .filter(([, child]) => child !== undefined)
    .map(([name, child]) => `<${name}>${xml(child)}</${name}>`)
    .join('');
}

function list(member: string, items: Xml[]): Xml[] {
  return items.map((item) => ({ [member]: item }));
}

export function rdsResponse(action: string, result: Record<string, Xml>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NAMESPACE}"><${action}Result>${xml(result)}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

export function rdsError(code: string, message: string, type: 'Sender' | 'Receiver' = 'Sender'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

/** `Prefix.Member.N` (and `Prefix.Member.N.Field`) parameters, in N order. */
function listParam(params: URLSearchParams, prefix: string, member: string): string[] {
  const found: Array<[number, string]> = [];
  for (const [name, value] of params) {
    const match = new RegExp(`^${prefix}\\.${member}\\.(\\d+)$`).exec(name);
    if (match) found.push([Number(match[1]), value]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

function tagsParam(params: URLSearchParams): StandInTag[] {
  const tags = new Map<number, StandInTag>();
  for (const [name, value] of params) {
    const match = /^Tags\.Tag\.(\d+)\.(Key|Value)$/.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    const tag = tags.get(index) ?? { Key: '', Value: '' };
    tag[match[2] as 'Key' | 'Value'] = value;
    tags.set(index, tag);
  }
  return [...tags.entries()].sort((a, b) => a[0] - b[0]).map(([, tag]) => tag);
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw new AwsFault('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

function identifier(params: URLSearchParams, name: string, max = 63): string {
  const value = required(params, name);
  if (value.length > max || !IDENTIFIER.test(value)) {
    throw new AwsFault(
      'InvalidParameterValue',
      `The parameter ${name} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  return value;
}

function timestamp(params: URLSearchParams, name: string): Date | undefined {
  const value = params.get(name);
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new AwsFault('InvalidParameterValue', `${name} is not a valid timestamp: ${value}`);
  return date;
}

function tagList(tags: StandInTag[]): Xml {
  return tags.length
    ? list(
        'Tag',
        tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
      )
    : undefined;
}

function instanceXml(state: AwsStandInState, instance: StandInInstance): Xml {
  const creating = instance.status !== 'available' && instance.settling !== undefined;
  return {
    DBInstanceIdentifier: instance.id,
    DBInstanceClass: instance.instanceClass,
    Engine: 'postgres',
    DBInstanceStatus: instance.status,
    MasterUsername: instance.username,
    DBName: instance.dbName,
    // RDS gives a new instance its endpoint only once it is created.
    Endpoint: creating
      ? undefined
      : { Address: `${instance.id}.czu2qe4quy4v.${instance.region}.rds.amazonaws.com`, Port: 5432, HostedZoneId: 'Z29XKXDKYMONMX' },
    AllocatedStorage: 20,
    InstanceCreateTime: creating ? undefined : instance.createdAt,
    PreferredBackupWindow: instance.backupWindow,
    BackupRetentionPeriod: instance.backupRetentionDays,
    VpcSecurityGroups: list(
      'VpcSecurityGroupMembership',
      instance.vpcSecurityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    ),
    DBSubnetGroup: { DBSubnetGroupName: instance.subnetGroup, SubnetGroupStatus: 'Complete' },
    AvailabilityZone: `${instance.region}a`,
    PreferredMaintenanceWindow: 'sun:02:00-sun:02:30',
    LatestRestorableTime: state.latestRestorableTime(instance),
    MonitoringInterval: instance.monitoringInterval,
    MonitoringRoleArn: instance.monitoringInterval > 0 ? instance.monitoringRoleArn : undefined,
    MultiAZ: false,
    EngineVersion: instance.engineVersion,
    AutoMinorVersionUpgrade: true,
    PubliclyAccessible: false,
    StorageType: 'gp3',
    StorageEncrypted: true,
    DbiResourceId: `db-${instance.id.toUpperCase().replace(/-/g, '')}`,
    DBInstanceArn: state.instanceArn(instance),
    TagList: tagList(instance.tags),
  };
}

function snapshotXml(state: AwsStandInState, snapshot: StandInSnapshot): Xml {
  const done = snapshot.status === 'available';
  const progress = done ? 100 : snapshot.settling ? state.progress(snapshot.settling) : 0;
  return {
    DBSnapshotIdentifier: snapshot.id,
    DBInstanceIdentifier: snapshot.instance,
    SnapshotCreateTime: snapshot.createdAt,
    Engine: 'postgres',
    AllocatedStorage: 20,
    Status: snapshot.status,
    Port: 5432,
    AvailabilityZone: `${snapshot.region}a`,
    VpcId: 'vpc-0a1b2c3d4e5f60718',
    InstanceCreateTime: snapshot.instanceCreatedAt,
    MasterUsername: 'dropuser',
    EngineVersion: snapshot.engineVersion,
    LicenseModel: 'postgresql-license',
    SnapshotType: snapshot.type,
    PercentProgress: progress,
    SourceRegion: snapshot.sourceRegion,
    SourceDBSnapshotIdentifier: snapshot.sourceSnapshotArn,
    StorageType: 'gp3',
    Encrypted: true,
    DBSnapshotArn: state.snapshotArn(snapshot),
    IAMDatabaseAuthenticationEnabled: false,
    TagList: tagList(snapshot.tags),
    SnapshotTarget: 'region',
  };
}

function needInstance(state: AwsStandInState, region: string, id: string): StandInInstance {
  const instance = state.instance(region, id);
  if (!instance) throw new AwsFault('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
  return instance;
}

function needSnapshot(state: AwsStandInState, region: string, id: string): StandInSnapshot {
  const snapshot = state.snapshot(region, id);
  if (!snapshot) throw new AwsFault('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404);
  return snapshot;
}

/** A manual snapshot of the instance, `creating` until it settles. */
function manualSnapshot(state: AwsStandInState, region: string, instance: string, id: string): StandInSnapshot {
  const snapshot = state.addSnapshot({ region, instance, type: 'manual', createdAt: state.now(), id, status: 'creating' });
  snapshot.settling = state.settling('creating', 'available');
  return snapshot;
}

function refuseExistingInstance(state: AwsStandInState, region: string, id: string): void {
  if (state.instance(region, id)) throw new AwsFault('DBInstanceAlreadyExists', `DB instance already exists`);
}

function refuseExistingSnapshot(state: AwsStandInState, region: string, id: string): void {
  if (state.snapshot(region, id))
    throw new AwsFault(
      'DBSnapshotAlreadyExists',
      `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`,
    );
}

/** A new instance being created from a backup, with the placement the request gave. */
function restoredInstance(
  state: AwsStandInState,
  region: string,
  params: URLSearchParams,
  id: string,
  from: StandInInstance['restoredFrom'],
  engineVersion: string,
): StandInInstance {
  const instance = state.addInstance({ id, region, status: 'creating' });
  instance.settling = state.settling('creating', 'available');
  instance.engineVersion = engineVersion;
  instance.instanceClass = params.get('DBInstanceClass') ?? 'db.t4g.micro';
  const groups = listParam(params, 'VpcSecurityGroupIds', 'VpcSecurityGroupId');
  if (groups.length) instance.vpcSecurityGroupIds = groups;
  instance.subnetGroup = params.get('DBSubnetGroupName') ?? 'default';
  instance.tags = tagsParam(params);
  instance.restoredFrom = from;
  return instance;
}

/** Runs one Query request; throws AwsFault for the protocol's errors. */
export function handleRdsAction(state: AwsStandInState, region: string, params: URLSearchParams): { action: string; body: string } {
  const action = params.get('Action') ?? '';
  if (!action) throw new AwsFault('MissingAction', 'The request must contain the parameter Action');
  if (params.get('Version') !== '2014-10-31') {
    throw new AwsFault('InvalidParameterValue', `Version ${params.get('Version') ?? '(none)'} is not 2014-10-31`);
  }
  switch (action) {
    case 'DescribeDBInstances': {
      const id = params.get('DBInstanceIdentifier');
      const instances = id ? [needInstance(state, region, id)] : state.regionInstances(region);
      return {
        action,
        body: rdsResponse(action, {
          DBInstances: list(
            'DBInstance',
            instances.map((instance) => instanceXml(state, instance)),
          ),
        }),
      };
    }
    case 'DescribeDBSnapshots': {
      const snapshotId = params.get('DBSnapshotIdentifier');
      const instanceId = params.get('DBInstanceIdentifier');
      const type = params.get('SnapshotType');
      let snapshots: StandInSnapshot[];
      if (snapshotId) {
        // An ARN names a snapshot in its own region.
        const arn = /^arn:aws:rds:([a-z0-9-]+):\d{12}:snapshot:(.+)$/.exec(snapshotId);
        snapshots = [arn ? needSnapshot(state, arn[1] ?? region, arn[2] ?? '') : needSnapshot(state, region, snapshotId)];
      } else {
        snapshots = state.regionSnapshots(region);
      }
      if (instanceId) snapshots = snapshots.filter((snapshot) => snapshot.instance === instanceId);
      if (type) snapshots = snapshots.filter((snapshot) => snapshot.type === type);
      // One page at most MaxRecords (20–100), continued with Marker.
      const maxRecords = Math.min(100, Math.max(20, Number(params.get('MaxRecords') ?? 100)));
      const start = Number(params.get('Marker') ?? 0) || 0;
      const page = snapshots.slice(start, start + maxRecords);
      const next = start + maxRecords < snapshots.length ? String(start + maxRecords) : undefined;
      return {
        action,
        body: rdsResponse(action, {
          Marker: next,
          DBSnapshots: list(
            'DBSnapshot',
            page.map((snapshot) => snapshotXml(state, snapshot)),
          ),
        }),
      };
    }
    case 'CreateDBSnapshot': {
      const snapshotId = identifier(params, 'DBSnapshotIdentifier', 255);
      const instance = needInstance(state, region, required(params, 'DBInstanceIdentifier'));
      if (instance.status !== 'available') {
        throw new AwsFault(
          'InvalidDBInstanceState',
          `Cannot create a snapshot because the database instance ${instance.id} is not currently in the available state.`,
        );
      }
      refuseExistingSnapshot(state, region, snapshotId);
      const snapshot = manualSnapshot(state, region, instance.id, snapshotId);
      snapshot.tags = tagsParam(params);
      state.event(region, instance.id, `Creating manual snapshot ${snapshotId}`, ['backup']);
      return { action, body: rdsResponse(action, { DBSnapshot: snapshotXml(state, snapshot) }) };
    }
    case 'CopyDBSnapshot': {
      const source = required(params, 'SourceDBSnapshotIdentifier');
      const targetId = identifier(params, 'TargetDBSnapshotIdentifier', 255);
      const arn = /^arn:aws:rds:([a-z0-9-]+):\d{12}:snapshot:(.+)$/.exec(source);
      const sourceRegion = arn?.[1] ?? region;
      if (sourceRegion !== region && !arn) {
        throw new AwsFault('InvalidParameterValue', 'A cross-region copy names its source by ARN.');
      }
      const original = needSnapshot(state, sourceRegion, arn?.[2] ?? source);
      if (original.status !== 'available') {
        throw new AwsFault('InvalidDBSnapshotState', `Snapshot ${original.id} is not in the available state.`);
      }
      refuseExistingSnapshot(state, region, targetId);
      const copy = state.addSnapshot({
        region,
        instance: original.instance,
        type: 'manual',
        createdAt: original.createdAt,
        id: targetId,
        status: sourceRegion === region ? 'creating' : 'pending',
      });
      copy.instanceCreatedAt = original.instanceCreatedAt;
      copy.settling = state.settling(copy.status, 'available');
      copy.sourceRegion = sourceRegion === region ? undefined : sourceRegion;
      copy.sourceSnapshotArn = state.snapshotArn(original);
      copy.tags = [...(params.get('CopyTags') === 'true' ? original.tags : []), ...tagsParam(params)];
      return { action, body: rdsResponse(action, { DBSnapshot: snapshotXml(state, copy) }) };
    }
    case 'RestoreDBInstanceFromDBSnapshot': {
      const targetId = identifier(params, 'DBInstanceIdentifier');
      const snapshot = needSnapshot(state, region, required(params, 'DBSnapshotIdentifier'));
      if (snapshot.status !== 'available') {
        throw new AwsFault('InvalidDBSnapshotState', `Snapshot ${snapshot.id} is not in the available state.`);
      }
      refuseExistingInstance(state, region, targetId);
      const instance = restoredInstance(state, region, params, targetId, { snapshotId: snapshot.id }, snapshot.engineVersion);
      state.event(region, targetId, `Restored from snapshot ${snapshot.id}`, ['creation']);
      return { action, body: rdsResponse(action, { DBInstance: instanceXml(state, instance) }) };
    }
    case 'RestoreDBInstanceToPointInTime': {
      const source = needInstance(state, region, required(params, 'SourceDBInstanceIdentifier'));
      const targetId = identifier(params, 'TargetDBInstanceIdentifier');
      const restoreTime = timestamp(params, 'RestoreTime');
      const useLatest = params.get('UseLatestRestorableTime') === 'true';
      if (restoreTime && useLatest) {
        throw new AwsFault('InvalidParameterCombination', 'Cannot specify both RestoreTime and UseLatestRestorableTime.');
      }
      if (!restoreTime && !useLatest) {
        throw new AwsFault('InvalidParameterCombination', 'One of RestoreTime or UseLatestRestorableTime must be specified.');
      }
      const latest = state.latestRestorableTime(source);
      if (!latest) throw new AwsFault('InvalidDBInstanceState', `Instance ${source.id} has no restorable backups in its current state.`);
      const earliest = state.earliestRestorableTime(source);
      if (restoreTime && (restoreTime.getTime() > latest.getTime() || restoreTime.getTime() < earliest.getTime())) {
        throw new AwsFault(
          'InvalidRestoreFault',
          `Restore time ${restoreTime.toISOString()} is outside the restorable window ${earliest.toISOString()} to ${latest.toISOString()}.`,
        );
      }
      refuseExistingInstance(state, region, targetId);
      const instance = restoredInstance(
        state,
        region,
        params,
        targetId,
        { sourceInstance: source.id, restoreTime: restoreTime ?? latest },
        source.engineVersion,
      );
      state.event(region, targetId, `Restored from DB instance ${source.id} to ${(restoreTime ?? latest).toISOString()}`, ['creation']);
      return { action, body: rdsResponse(action, { DBInstance: instanceXml(state, instance) }) };
    }
    case 'DeleteDBInstance': {
      const instance = needInstance(state, region, required(params, 'DBInstanceIdentifier'));
      const skip = params.get('SkipFinalSnapshot') === 'true';
      const finalId = params.get('FinalDBSnapshotIdentifier');
      if (skip && finalId)
        throw new AwsFault('InvalidParameterCombination', 'Cannot specify both SkipFinalSnapshot and FinalDBSnapshotIdentifier.');
      if (!skip && !finalId) {
        throw new AwsFault('InvalidParameterCombination', 'FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
      }
      if (instance.status !== 'available') {
        throw new AwsFault('InvalidDBInstanceState', `Instance ${instance.id} is not in the available state (${instance.status}).`);
      }
      if (finalId) {
        const checked = identifier(params, 'FinalDBSnapshotIdentifier', 255);
        refuseExistingSnapshot(state, region, checked);
        manualSnapshot(state, region, instance.id, checked);
      }
      instance.status = 'deleting';
      instance.settling = state.settling('deleting', 'deleted');
      state.event(region, instance.id, 'DB instance deletion started', ['deletion']);
      return { action, body: rdsResponse(action, { DBInstance: instanceXml(state, instance) }) };
    }
    case 'ModifyDBInstance': {
      const instance = needInstance(state, region, required(params, 'DBInstanceIdentifier'));
      if (instance.status !== 'available') {
        throw new AwsFault('InvalidDBInstanceState', `Instance ${instance.id} is not in the available state (${instance.status}).`);
      }
      const interval = params.get('MonitoringInterval');
      if (interval !== null) {
        const seconds = Number(interval);
        if (![0, 1, 5, 10, 15, 30, 60].includes(seconds)) {
          throw new AwsFault('InvalidParameterValue', 'MonitoringInterval must be one of 0, 1, 5, 10, 15, 30, 60.');
        }
        const role = params.get('MonitoringRoleArn') ?? undefined;
        if (seconds > 0 && !role && !instance.monitoringRoleArn) {
          throw new AwsFault(
            'InvalidParameterCombination',
            'A MonitoringRoleArn value is required if you specify a MonitoringInterval value other than 0.',
          );
        }
        instance.monitoringInterval = seconds;
        if (role) instance.monitoringRoleArn = role;
      }
      const password = params.get('MasterUserPassword');
      if (password !== null) {
        if (password.length < 8 || password.length > 128)
          throw new AwsFault('InvalidParameterValue', 'The parameter MasterUserPassword is not a valid password.');
        instance.masterPasswordChangedAt = state.now();
        instance.status = 'resetting-master-credentials';
        instance.settling = state.settling('resetting-master-credentials', 'available');
        state.event(region, instance.id, 'Reset master credentials', ['configuration change']);
      }
      return {
        action,
        body: rdsResponse(action, {
          DBInstance: {
            ...(instanceXml(state, instance) as Record<string, Xml>),
            PendingModifiedValues: password ? { MasterUserPassword: '****' } : undefined,
          },
        }),
      };
    }
    case 'DescribeEvents': {
      const sourceId = params.get('SourceIdentifier');
      const sourceType = params.get('SourceType');
      if (sourceId && !sourceType) throw new AwsFault('InvalidParameterCombination', 'SourceType is required with SourceIdentifier.');
      if (sourceType && sourceType !== 'db-instance') return { action, body: rdsResponse(action, { Events: [] }) };
      const minutes = Number(params.get('Duration') ?? 60);
      const since = state.now().getTime() - minutes * 60_000;
      const events = state.events.filter(
        (event) => event.region === region && event.date.getTime() >= since && (!sourceId || event.sourceId === sourceId),
      );
      return {
        action,
        body: rdsResponse(action, {
          Events: list(
            'Event',
            events.map((event) => ({
              SourceIdentifier: event.sourceId,
              SourceType: 'db-instance',
              Message: event.message,
              EventCategories: list('EventCategory', event.categories),
              Date: event.date,
              SourceArn: `arn:aws:rds:${region}:324480209768:db:${event.sourceId}`,
            })),
          ),
        }),
      };
    }
    default:
      throw new AwsFault(
        'InvalidAction',
        `The action ${action} is not valid for this web service (the stand-in speaks only Drop's calls).`,
      );
  }
}
