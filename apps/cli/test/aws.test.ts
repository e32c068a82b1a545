/**
 * `drop aws …` runs the real AWS SDK v3 clients (RDS: Query/XML, App Runner: JSON 1.0, ECR: JSON 1.1)
 * over HTTP against the stand-in in @drop/simulators (AWS_ENDPOINT_URL), seeded as the runbooks'
 * production: drop-db with three nights of automated snapshots, drop-web RUNNING on the newest of
 * five images. Each command is run as an operator runs it; the waits poll the stand-in's
 * statuses (creating → available, OPERATION_IN_PROGRESS → RUNNING) for real. A dry run and bad
 * input make no call at all; an AWS error is printed with its code and exits 1; changes are in the
 * audit log, and a command still works when the database does not answer.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { AWS_RUNBOOK_RESOURCES, type AwsStandInState, type RunningAwsStandIn, startAwsStandIn } from '@drop/simulators';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { awsStandInEnv, type CliResult, describeResult, runDrop } from './run-cli.ts';

const STAMP = /\d{8}-\d{4}/;

/**
 * Runs the cases' commands two at a time (for the dry runs and the refusals, which call nothing
 * and change nothing, so their order does not matter) and answers each case with its result.
 */
async function runAll<T extends { args: string[] }>(
  cases: T[],
  run: (args: string[]) => Promise<CliResult>,
): Promise<Array<T & { result: CliResult }>> {
  const results: Array<T & { result: CliResult }> = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < cases.length; index = next++) {
      const item = cases[index] as T;
      results[index] = { ...item, result: await run(item.args) };
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

describe('drop aws', () => {
  let db: TestDatabase;
  let standIn: RunningAwsStandIn;
  let state: AwsStandInState;
  let env: Record<string, string>;

  const drop = (...args: string[]) => runDrop(['aws', ...args], env);
  const audited = async (action: string) =>
    (await db.pool.query(`SELECT resource_id, actor, details FROM audit_log WHERE action = $1 ORDER BY seq`, [action])).rows;
  /** The running service's image repository settings, as App Runner holds them. */
  const imageRepository = () => {
    const service = state.service(AWS_RUNBOOK_RESOURCES.serviceArn);
    assert.ok(service, 'the stand-in has drop-web');
    return service.sourceConfiguration.ImageRepository as {
      ImageIdentifier: string;
      ImageConfiguration: { RuntimeEnvironmentVariables: Record<string, string> };
    };
  };
  const currentImage = () => imageRepository().ImageIdentifier;
  const databaseUrl = () => imageRepository().ImageConfiguration.RuntimeEnvironmentVariables.DATABASE_URL;
  const stateOf = () =>
    JSON.stringify({
      instances: [...state.instances.keys()],
      snapshots: [...state.snapshots.keys()],
      image: currentImage(),
      databaseUrl: databaseUrl(),
      operations: state.service(AWS_RUNBOOK_RESOURCES.serviceArn)?.operations.length,
    });

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_aws' });
  });
  beforeEach(async () => {
    standIn = await startAwsStandIn({ production: false, settleReads: 3 });
    state = standIn.state;
    env = {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      ...awsStandInEnv(standIn.url),
    };
  });
  afterEach(async () => {
    await standIn.close();
  });
  after(async () => {
    await db?.drop();
  });

  it('db status: the instance is available, with its endpoint and latest restorable time', async () => {
    const result = await drop('db', 'status', '--json');
    assert.equal(result.code, 0, describeResult(result));
    const view = JSON.parse(result.stdout);
    assert.equal(view.id, 'drop-db');
    assert.equal(view.status, 'available');
    assert.deepEqual(view.endpoint, { address: 'drop-db.czu2qe4quy4v.eu-west-1.rds.amazonaws.com', port: 5432 });
    assert.equal(view.preferredBackupWindow, '23:24-23:54');
    assert.equal(view.backupRetentionDays, 7);
    assert.ok(Date.parse(view.latestRestorableTime) < Date.now());
    assert.deepEqual(state.calls, [{ service: 'rds', operation: 'DescribeDBInstances', region: 'eu-west-1' }]);
  });

  it('db latest-snapshot: the newest automated snapshot and its age, exit 1 once it is older than 24 h (runbook 3.1)', async () => {
    const newest = [...state.snapshots.values()].filter((s) => s.type === 'automated').sort((a, b) => +b.createdAt - +a.createdAt)[0];
    assert.ok(newest);
    const fresh = await drop('db', 'latest-snapshot', '--json');
    assert.equal(fresh.code, 0, describeResult(fresh));
    const report = JSON.parse(fresh.stdout);
    assert.equal(report.snapshot.id, newest.id);
    assert.equal(report.ok, true);
    assert.ok(Math.abs(report.ageHours - (Date.now() - newest.createdAt.getTime()) / 3_600_000) < 0.1);

    // No automated snapshot since: 30 hours later it fails the daily check.
    for (const snapshot of state.snapshots.values()) snapshot.createdAt = new Date(snapshot.createdAt.getTime() - 30 * 3_600_000);
    const stale = await drop('db', 'latest-snapshot');
    assert.equal(stale.code, 1, describeResult(stale));
    assert.match(stale.stdout, new RegExp(`^${newest.id.replace(/[:]/g, '\\:')}  .*  older than 24 h$`, 'm'));
  });

  it('db snapshots: the automated ones, oldest first', async () => {
    const result = await drop('db', 'snapshots', '--type', 'automated', '--json');
    assert.equal(result.code, 0, describeResult(result));
    const snapshots = JSON.parse(result.stdout) as Array<{ id: string; type: string; createdAt: string }>;
    assert.equal(snapshots.length, 3);
    assert.ok(snapshots.every((snapshot) => snapshot.type === 'automated' && snapshot.id.startsWith('rds:drop-db-')));
    assert.deepEqual(
      snapshots.map((snapshot) => snapshot.createdAt),
      snapshots.map((snapshot) => snapshot.createdAt).sort(),
    );
  });

  it('db snapshot --kind pre-deploy: creates drop-db-pre-deploy-YYYYMMDD-HHMM, waits until available, audits it', async () => {
    const result = await drop('db', 'snapshot', '--kind', 'pre-deploy');
    assert.equal(result.code, 0, describeResult(result));
    const made = [...state.snapshots.values()].find((snapshot) => snapshot.id.startsWith('drop-db-pre-deploy-'));
    assert.ok(made, describeResult(result));
    assert.match(made.id, new RegExp(`^drop-db-pre-deploy-${STAMP.source}$`));
    assert.equal(state.snapshot('eu-west-1', made.id)?.status, 'available');
    assert.deepEqual(made.tags, [
      { Key: 'purpose', Value: 'pre-deploy' },
      { Key: 'created-by', Value: 'drop-cli' },
    ]);
    assert.match(result.stdout, /… creating/);
    assert.match(result.stdout, new RegExp(`Snapshot ${made.id} is available`));
    // The wait polled until the stand-in's status turned.
    assert.ok(state.calls.filter((call) => call.operation === 'DescribeDBSnapshots').length >= 2);
    const rows = await audited('aws_snapshot_created');
    assert.equal(rows.at(-1)?.resource_id, made.id);
    assert.equal(rows.at(-1)?.details.kind, 'pre-deploy');
    assert.match(result.stderr, /audit: recorded aws_snapshot_created/);
  });

  it('db forensic-snapshot: drop-db-incident-YYYYMMDD-HHMM tagged forensic (DR scenario 5 step 5)', async () => {
    const result = await drop('db', 'forensic-snapshot');
    assert.equal(result.code, 0, describeResult(result));
    const made = [...state.snapshots.values()].find((snapshot) => snapshot.id.startsWith('drop-db-incident-'));
    assert.ok(made);
    assert.match(made.id, new RegExp(`^drop-db-incident-${STAMP.source}$`));
    assert.equal(state.snapshot('eu-west-1', made.id)?.status, 'available');
    assert.deepEqual(made.tags[0], { Key: 'purpose', Value: 'forensic' });
    assert.equal((await audited('aws_forensic_snapshot_created')).at(-1)?.resource_id, made.id);
  });

  it('db restore: the latest automated snapshot into drop-db-restored, waits until available and prints the endpoint (DR 2A)', async () => {
    const result = await drop(
      'db',
      'restore',
      '--target',
      'drop-db-restored',
      '--security-group',
      'sg-0123456789abcdef0',
      '--subnet-group',
      'default',
    );
    assert.equal(result.code, 0, describeResult(result));
    const restored = state.instance('eu-west-1', 'drop-db-restored');
    assert.ok(restored);
    assert.equal(restored.status, 'available');
    assert.deepEqual(restored.vpcSecurityGroupIds, ['sg-0123456789abcdef0']);
    assert.equal(restored.instanceClass, 'db.t4g.micro');
    const newest = [...state.snapshots.values()].sort((a, b) => +b.createdAt - +a.createdAt)[0];
    assert.equal(restored.restoredFrom?.snapshotId, newest?.id);
    assert.match(result.stdout, /^New endpoint: drop-db-restored\.czu2qe4quy4v\.eu-west-1\.rds\.amazonaws\.com:5432$/m);
    assert.match(result.stdout, /… creating\n {2}… available/);
    assert.equal((await audited('aws_db_restored_from_snapshot')).at(-1)?.details.snapshot, newest?.id);
  });

  it('db restore of a snapshot that does not exist: the AWS error by its code, exit 1, nothing created or audited', async () => {
    const before = (await audited('aws_db_restored_from_snapshot')).length;
    const result = await drop('db', 'restore', '--target', 'drop-db-temp', '--snapshot', 'drop-db-manual-20200101-0000');
    assert.equal(result.code, 1, describeResult(result));
    assert.match(
      result.stderr,
      /^AWS_ERROR: rds RestoreDBInstanceFromDBSnapshot failed: DBSnapshotNotFound: DBSnapshot drop-db-manual-20200101-0000 not found\.$/m,
    );
    assert.equal(state.instance('eu-west-1', 'drop-db-temp'), undefined);
    assert.equal((await audited('aws_db_restored_from_snapshot')).length, before);
  });

  it('db pitr --minutes-ago and --to: restores the source as of that moment into a new instance (DR 2B)', async () => {
    const startedAt = Date.now();
    const result = await drop('db', 'pitr', '--target', 'drop-db-pitr', '--minutes-ago', '60');
    assert.equal(result.code, 0, describeResult(result));
    const pitr = state.instance('eu-west-1', 'drop-db-pitr');
    assert.equal(pitr?.status, 'available');
    assert.equal(pitr?.restoredFrom?.sourceInstance, 'drop-db');
    const restoreTime = pitr?.restoredFrom?.restoreTime?.getTime() ?? 0;
    assert.ok(Math.abs(restoreTime - (startedAt - 3_600_000)) < 60_000, `restore time ${new Date(restoreTime).toISOString()}`);
    assert.match(result.stdout, /^New endpoint: drop-db-pitr\.czu2qe4quy4v\.eu-west-1\.rds\.amazonaws\.com:5432$/m);

    const to = new Date(Date.now() - 2 * 3_600_000);
    to.setUTCSeconds(0, 0);
    const exact = await drop('db', 'pitr', '--target', 'drop-db-pitr-2', '--to', to.toISOString(), '--no-wait');
    assert.equal(exact.code, 0, describeResult(exact));
    assert.equal(state.instance('eu-west-1', 'drop-db-pitr-2')?.restoredFrom?.restoreTime?.toISOString(), to.toISOString());
    assert.equal((await audited('aws_db_restored_to_point_in_time')).at(-1)?.details.restoreTime, to.toISOString());
  });

  it('db pitr past the latest restorable time: InvalidRestoreFault from RDS, exit 1', async () => {
    const result = await drop('db', 'pitr', '--target', 'drop-db-pitr', '--minutes-ago', '1');
    assert.equal(result.code, 1, describeResult(result));
    assert.match(result.stderr, /^AWS_ERROR: rds RestoreDBInstanceToPointInTime failed: InvalidRestoreFault: /m);
    assert.equal(state.instance('eu-west-1', 'drop-db-pitr'), undefined);
  });

  it('db copy-snapshot: the newest automated snapshot to eu-north-1 as drop-db-failover-YYYYMMDD, called in eu-north-1 (DR 4)', async () => {
    const result = await drop('db', 'copy-snapshot');
    assert.equal(result.code, 0, describeResult(result));
    const copy = state.regionSnapshots('eu-north-1')[0];
    assert.ok(copy, describeResult(result));
    assert.match(copy.id, /^drop-db-failover-\d{8}$/);
    assert.equal(copy.status, 'available');
    assert.equal(copy.sourceRegion, 'eu-west-1');
    assert.match(copy.sourceSnapshotArn ?? '', /^arn:aws:rds:eu-west-1:324480209768:snapshot:rds:drop-db-/);
    assert.deepEqual(
      state.calls.filter((call) => call.operation === 'CopyDBSnapshot'),
      [{ service: 'rds', operation: 'CopyDBSnapshot', region: 'eu-north-1' }],
    );
    assert.equal((await audited('aws_snapshot_copied')).at(-1)?.details.targetRegion, 'eu-north-1');

    // Step 2: restore the copy in eu-north-1.
    const restored = await drop('db', 'restore', '--target', 'drop-db-failover', '--snapshot', copy.id, '--region', 'eu-north-1');
    assert.equal(restored.code, 0, describeResult(restored));
    assert.equal(state.instance('eu-north-1', 'drop-db-failover')?.restoredFrom?.snapshotId, copy.id);
    assert.match(restored.stdout, /^New endpoint: drop-db-failover\.czu2qe4quy4v\.eu-north-1\.rds\.amazonaws\.com:5432$/m);
  });

  it('db events: the instance events of the last hour, as RDS keeps them (DR scenario 2 step 3)', async () => {
    state.event('eu-west-1', 'drop-db', 'DB instance restarted', ['availability'], new Date(Date.now() - 10 * 60_000));
    state.event('eu-west-1', 'drop-db', 'An old one', ['availability'], new Date(Date.now() - 5 * 3_600_000));
    const result = await drop('db', 'events', '--minutes', '60');
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, /^\d{4}-\d{2}-\d{2}T[\d:.]+Z {2}drop-db {2}DB instance restarted$/m);
    assert.doesNotMatch(result.stdout, /An old one/);
  });

  it('db delete: a temporary instance without a final snapshot, waits until it is gone; the production one is refused', async () => {
    state.addInstance({ id: 'drop-db-temp', region: 'eu-west-1' });
    const result = await drop('db', 'delete', '--instance', 'drop-db-temp');
    assert.equal(result.code, 0, describeResult(result));
    assert.equal(state.instance('eu-west-1', 'drop-db-temp'), undefined);
    assert.match(result.stdout, /^drop-db-temp is deleted\.$/m);
    assert.equal((await audited('aws_db_instance_deleted')).at(-1)?.resource_id, 'drop-db-temp');

    const production = await drop('db', 'delete', '--instance', 'drop-db');
    assert.equal(production.code, 1, describeResult(production));
    assert.match(production.stderr, /^VALIDATION_FAILED: drop-db is Drop's production instance/m);
    assert.equal(state.instance('eu-west-1', 'drop-db')?.status, 'available');
    assert.equal(state.calls.filter((call) => call.operation === 'DeleteDBInstance').length, 1);
  });

  it('db monitoring --interval 1: enhanced monitoring every second with the monitoring role, applied now (DR scenario 5 step 4)', async () => {
    const result = await drop('db', 'monitoring', '--interval', '1');
    assert.equal(result.code, 0, describeResult(result));
    const instance = state.instance('eu-west-1', 'drop-db');
    assert.equal(instance?.monitoringInterval, 1);
    assert.equal(instance?.monitoringRoleArn, 'arn:aws:iam::324480209768:role/rds-monitoring-role');
    assert.match(result.stdout, /^drop-db: enhanced monitoring every 1 s \(available\)\.$/m);
    assert.equal((await audited('aws_db_monitoring_changed')).at(-1)?.details.intervalSeconds, 1);
  });

  it('service status: RUNNING, the image and the database host, never the password', async () => {
    const result = await drop('service', 'status');
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, /^drop-web: RUNNING$/m);
    assert.match(result.stdout, /image {6}324480209768\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/drop-web:e52d913/);
    assert.match(result.stdout, /database {3}drop-db\.czu2qe4quy4v\.eu-west-1\.rds\.amazonaws\.com:5432/);
    assert.doesNotMatch(result.stdout + result.stderr, /stand-in-password/);
  });

  it('service deploy: StartDeployment, then waits for RUNNING with the operation SUCCEEDED (DR 1A, runbook 4.1)', async () => {
    const result = await drop('service', 'deploy');
    assert.equal(result.code, 0, describeResult(result));
    const operation = state.service(AWS_RUNBOOK_RESOURCES.serviceArn)?.operations.at(-1);
    assert.equal(operation?.Type, 'START_DEPLOYMENT');
    assert.match(result.stdout, /OPERATION_IN_PROGRESS \(operation IN_PROGRESS\)/);
    assert.match(result.stdout, /^drop-web is RUNNING after [\d.]+ s/m);
    assert.equal((await audited('aws_service_deployment_started')).at(-1)?.details.operationId, operation?.Id);
  });

  it('service deploy that App Runner rolls back: the wait fails, exit 1', async () => {
    state.failNextDeployment();
    const result = await drop('service', 'deploy');
    assert.equal(result.code, 1, describeResult(result));
    assert.match(result.stderr, /^WAIT_FAILED: service drop-web: operation [0-9a-f]+ ended ROLLBACK_SUCCEEDED$/m);
  });

  it('service rollback: UpdateService to the image pushed before the running one, waits for RUNNING (DR 1B)', async () => {
    const result = await drop('service', 'rollback');
    assert.equal(result.code, 0, describeResult(result));
    assert.equal(currentImage(), `${AWS_RUNBOOK_RESOURCES.repositoryUri}:c81f4b7`);
    // Only the image changed: the runtime configuration went back as it was.
    assert.equal(databaseUrl(), AWS_RUNBOOK_RESOURCES.databaseUrl);
    assert.deepEqual(state.calls.map((call) => call.operation).slice(0, 3), ['DescribeService', 'DescribeImages', 'UpdateService']);
    const row = (await audited('aws_service_rolled_back')).at(-1);
    assert.equal(row?.details.to, `${AWS_RUNBOOK_RESOURCES.repositoryUri}:c81f4b7`);
    assert.equal(row?.details.from, `${AWS_RUNBOOK_RESOURCES.repositoryUri}:e52d913`);

    const toTag = await drop('service', 'rollback', '--tag', 'a0c5e92');
    assert.equal(toTag.code, 0, describeResult(toTag));
    assert.equal(currentImage(), `${AWS_RUNBOOK_RESOURCES.repositoryUri}:a0c5e92`);
  });

  it('service use-db --instance: DATABASE_URL names the restored endpoint, credentials kept, nothing secret printed (DR 2A step 4)', async () => {
    const restored = state.addInstance({ id: 'drop-db-restored', region: 'eu-west-1' });
    assert.equal(restored.status, 'available');
    const result = await drop('service', 'use-db', '--instance', 'drop-db-restored', '--verbose');
    assert.equal(result.code, 0, describeResult(result));
    assert.equal(
      databaseUrl(),
      'postgres://dropuser:stand-in-password@drop-db-restored.czu2qe4quy4v.eu-west-1.rds.amazonaws.com:5432/dropapp',
    );
    assert.equal(currentImage(), `${AWS_RUNBOOK_RESOURCES.repositoryUri}:e52d913`);
    assert.match(result.stderr, /apprunner UpdateService eu-west-1 .*"DATABASE_URL":"postgres:\/\/dropuser:\*\*\*\*@drop-db-restored\./);
    assert.doesNotMatch(result.stdout + result.stderr, /stand-in-password/);
    const row = (await audited('aws_service_database_changed')).at(-1);
    assert.equal(row?.details.to, 'drop-db-restored.czu2qe4quy4v.eu-west-1.rds.amazonaws.com:5432');
  });

  it('service use-db of an instance still being created: refused, nothing updated', async () => {
    const creating = state.addInstance({ id: 'drop-db-restored', region: 'eu-west-1', status: 'creating' });
    creating.settling = { status: 'creating', final: 'available', until: Date.now() + 3_600_000 };
    const result = await drop('service', 'use-db', '--instance', 'drop-db-restored');
    assert.equal(result.code, 1, describeResult(result));
    assert.match(result.stderr, /^WAIT_FAILED: drop-db-restored is creating, not available/m);
    assert.equal(databaseUrl(), AWS_RUNBOOK_RESOURCES.databaseUrl);
    assert.ok(!state.calls.some((call) => call.operation === 'UpdateService'));
  });

  it('images: the newest by push time, the running one marked', async () => {
    const result = await drop('images', '--limit', '3');
    assert.equal(result.code, 0, describeResult(result));
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.deepEqual(
      lines.slice(1).map((line) => line.split(/\s+/)[0]),
      ['a0c5e92', 'c81f4b7', 'e52d913'],
    );
    assert.match(lines[3] ?? '', /running$/);
  });

  it('--dry-run prints every call (service, operation, region, input) and makes none', async () => {
    const unchanged = stateOf();
    const cases: Array<{ args: string[]; expect: RegExp[] }> = [
      { args: ['db', 'status'], expect: [/^rds DescribeDBInstances eu-west-1 \{"DBInstanceIdentifier":"drop-db"\}$/m] },
      {
        args: ['db', 'latest-snapshot'],
        expect: [/^rds DescribeDBSnapshots eu-west-1 \{"DBInstanceIdentifier":"drop-db","SnapshotType":"automated"\}$/m],
      },
      {
        args: ['db', 'snapshot', '--kind', 'manual'],
        expect: [
          /^rds CreateDBSnapshot eu-west-1 \{"DBInstanceIdentifier":"drop-db","DBSnapshotIdentifier":"drop-db-manual-\d{8}-\d{4}","Tags":/m,
          /^rds DescribeDBSnapshots eu-west-1 \{"DBSnapshotIdentifier":"drop-db-manual-\d{8}-\d{4}"\}\n {2}# repeated every 0\.1 s until Status is available$/m,
        ],
      },
      {
        args: ['db', 'forensic-snapshot'],
        expect: [/^rds CreateDBSnapshot eu-west-1 .*"DBSnapshotIdentifier":"drop-db-incident-\d{8}-\d{4}"/m],
      },
      {
        args: ['db', 'restore', '--target', 'drop-db-restored', '--snapshot', 'rds:drop-db-2026-12-05-23-24'],
        expect: [
          /^rds RestoreDBInstanceFromDBSnapshot eu-west-1 \{"DBInstanceIdentifier":"drop-db-restored","DBSnapshotIdentifier":"rds:drop-db-2026-12-05-23-24","DBInstanceClass":"db\.t4g\.micro"/m,
        ],
      },
      {
        args: ['db', 'pitr', '--target', 'drop-db-pitr', '--to', '2026-12-01T10:00:00Z'],
        expect: [
          /^rds RestoreDBInstanceToPointInTime eu-west-1 \{"SourceDBInstanceIdentifier":"drop-db","TargetDBInstanceIdentifier":"drop-db-pitr","RestoreTime":"2026-12-01T10:00:00\.000Z"/m,
        ],
      },
      {
        args: ['db', 'copy-snapshot'],
        expect: [
          /^rds DescribeDBSnapshots eu-west-1 /m,
          /^rds CopyDBSnapshot eu-north-1 \{"SourceDBSnapshotIdentifier":"<DBSnapshotArn of that snapshot>","TargetDBSnapshotIdentifier":"drop-db-failover-\d{8}"/m,
        ],
      },
      {
        args: ['service', 'status'],
        expect: [
          /^apprunner DescribeService eu-west-1 \{"ServiceArn":"arn:aws:apprunner:eu-west-1:324480209768:service\/drop-web\/8e45b0d335304487a1880f4e32d6aeec"\}$/m,
        ],
      },
      { args: ['service', 'deploy'], expect: [/^apprunner StartDeployment eu-west-1 /m, /until Status is RUNNING/] },
      {
        args: ['service', 'rollback'],
        expect: [/^ecr DescribeImages eu-west-1 \{"repositoryName":"drop-web"\}$/m, /^apprunner UpdateService eu-west-1 /m],
      },
      {
        args: ['service', 'use-db', '--endpoint', 'drop-db-restored.example:5433'],
        expect: [/^apprunner UpdateService eu-west-1 .*host drop-db-restored\.example:5433/m],
      },
      { args: ['images'], expect: [/^ecr DescribeImages eu-west-1 /m] },
      {
        args: ['db', 'events'],
        expect: [/^rds DescribeEvents eu-west-1 \{"SourceIdentifier":"drop-db","SourceType":"db-instance","Duration":60\}$/m],
      },
      {
        args: ['db', 'delete', '--instance', 'drop-db-temp'],
        expect: [
          /^rds DeleteDBInstance eu-west-1 \{"DBInstanceIdentifier":"drop-db-temp","SkipFinalSnapshot":true,"DeleteAutomatedBackups":true\}$/m,
        ],
      },
    ];
    for (const { args, expect, result } of await runAll(cases, (args) => drop(...args, '--dry-run'))) {
      assert.equal(result.code, 0, `${args.join(' ')}: ${describeResult(result)}`);
      assert.match(result.stdout, /^Dry run: these are the calls, in order; none is made\.$/m);
      for (const pattern of expect) assert.match(result.stdout, pattern, `${args.join(' ')}: ${result.stdout}`);
    }
    assert.deepEqual(state.calls, []);
    assert.equal(stateOf(), unchanged);
  });

  it('bad input: a clear message, exit 1, and no call made', async () => {
    const cases: Array<{ args: string[]; message: RegExp }> = [
      { args: ['db', 'restore', '--target', 'drop--db'], message: /--target "drop--db" is not an RDS identifier/ },
      {
        args: ['db', 'restore', '--target', 'ok', '--security-group', 'default'],
        message: /--security-group "default" is not a security group id/,
      },
      { args: ['db', 'snapshot', '--kind', 'weekly'], message: /--kind is one of manual, pre-deploy, incident, before-restore/ },
      { args: ['db', 'pitr', '--target', 'drop-db-pitr'], message: /Give exactly one of --to TIMESTAMP, --minutes-ago N or --latest/ },
      {
        args: ['db', 'pitr', '--target', 'drop-db-pitr', '--to', '2026-12-01 10:00'],
        message: /--to "2026-12-01 10:00" is not an ISO 8601 time with a zone/,
      },
      {
        args: ['db', 'pitr', '--target', 'drop-db-pitr', '--to', '2099-01-01T00:00:00Z'],
        message: /--to 2099-01-01T00:00:00Z is in the future/,
      },
      { args: ['db', 'pitr', '--target', 'drop-db-pitr', '--minutes-ago', '-5'], message: /--minutes-ago must be a positive whole number/ },
      { args: ['db', 'copy-snapshot', '--to-region', 'eu-west-1'], message: /is the source region/ },
      { args: ['db', 'latest-snapshot', '--max-age-hours', 'soon'], message: /--max-age-hours must be a positive number/ },
      { args: ['db', 'monitoring', '--interval', '2'], message: /--interval is one of 0, 1, 5, 10, 15, 30, 60, not "2"/ },
      { args: ['db', 'delete', '--instance', 'drop-db'], message: /drop-db is Drop's production instance/ },
      { args: ['service', 'use-db'], message: /Give one of --instance ID or --endpoint HOST\[:PORT\]/ },
      { args: ['service', 'use-db', '--endpoint', 'db.example:99999'], message: /--endpoint "db\.example:99999" is not HOST\[:PORT\]/ },
      { args: ['service', 'rollback', '--tag', '../latest'], message: /--tag \.\.\/latest is not an image tag/ },
    ];
    const unchanged = stateOf();
    for (const { args, message, result } of await runAll(cases, (args) => drop(...args))) {
      assert.equal(result.code, 1, `${args.join(' ')}: ${describeResult(result)}`);
      assert.match(result.stderr, /^VALIDATION_FAILED: /m, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
    }
    assert.deepEqual(state.calls, []);
    assert.equal(stateOf(), unchanged);
  });

  it('without AWS credentials: says so, exit 1, no request sent', async () => {
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...noKeys } = env;
    const result = await runDrop(['aws', 'db', 'status'], {
      ...noKeys,
      HOME: '/nonexistent',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    });
    assert.equal(result.code, 1, describeResult(result));
    assert.match(result.stderr, /^AWS_ERROR: rds DescribeDBInstances failed: NoCredentials: no AWS credentials/m);
    assert.deepEqual(state.calls, []);
  });

  it('works while the database is down: the change is made, and printed since it cannot be audited', async () => {
    const result = await runDrop(['aws', 'db', 'snapshot', '--no-wait'], { ...env, DATABASE_URL: 'postgres://drop@127.0.0.1:1/drop' });
    assert.equal(result.code, 0, describeResult(result));
    assert.ok([...state.snapshots.keys()].some((key) => /\/drop-db-manual-\d{8}-\d{4}$/.test(key)));
    assert.match(result.stderr, /^audit: not recorded, the database did not answer \(.*\): \{"action":"aws_snapshot_created"/m);
  });
});
