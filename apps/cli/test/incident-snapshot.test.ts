/**
 * `drop incident snapshot` (DR scenario 5 step 5) takes both halves of the evidence: a local backup
 * of Drop's database put on hold, and the RDS forensic snapshot (the real AWS SDK against the
 * stand-in). A hold keeps a backup through retention until `drop db hold --release`; a dry run
 * takes nothing; bad input exits 1 and changes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { listBackups, pruneBackups } from '@drop/core';
import { type RunningAwsStandIn, startAwsStandIn } from '@drop/simulators';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { awsStandInEnv, describeResult, runDrop } from './run-cli.ts';

describe('drop incident snapshot', () => {
  let db: TestDatabase;
  let standIn: RunningAwsStandIn;
  let repoDir: string;
  let env: Record<string, string>;

  const drop = (...args: string[]) => runDrop(args, env);
  const incidentSnapshots = () => [...standIn.state.snapshots.values()].filter((snapshot) => snapshot.id.startsWith('drop-db-incident-'));
  const audited = async (action: string) =>
    (
      await db.pool.query<{ resource_id: string; details: Record<string, unknown> }>(
        `SELECT resource_id, details FROM audit_log WHERE action = $1 ORDER BY seq`,
        [action],
      )
    ).rows;

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_incident_snapshot', migrate: true });
  });
  beforeEach(async () => {
    repoDir = await mkdtemp(path.join(tmpdir(), 'drop-incident-snapshot-'));
    standIn = await startAwsStandIn({ production: false, settleReads: 2 });
    env = {
      DATABASE_URL: db.url,
      BACKUP_DIR: repoDir,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      ...awsStandInEnv(standIn.url),
    };
  });
  afterEach(async () => {
    await standIn.close();
    await rm(repoDir, { recursive: true, force: true });
  });
  after(async () => {
    await db?.drop();
  });

  it('takes a local backup on hold and the RDS forensic snapshot, both audited; retention keeps the held backup until released', async () => {
    const result = await drop('incident', 'snapshot', '--reason', 'INC-7 leaked staff password');
    assert.equal(result.code, 0, describeResult(result));

    const backups = await listBackups(repoDir);
    const logical = backups.find((backup) => backup.kind === 'logical');
    assert.ok(logical, describeResult(result));
    assert.ok(logical.verifiedAt, 'the held backup was verified');
    for (const backup of backups) assert.equal(backup.hold?.reason, 'INC-7 leaked staff password');
    const recorded = await audited('incident_snapshot_taken');
    assert.deepEqual(recorded.map((row) => row.resource_id).sort(), backups.map((backup) => backup.id).sort());

    const [snapshot] = incidentSnapshots();
    assert.ok(snapshot, describeResult(result));
    assert.equal(snapshot.status, 'available');
    assert.equal((await audited('aws_forensic_snapshot_created')).at(-1)?.resource_id, snapshot.id);

    // A year later, retention still keeps the evidence…
    const later = () => new Date(Date.now() + 365 * 86_400_000);
    const kept = await pruneBackups({ repoDir, retentionDays: 7, now: later });
    assert.deepEqual(kept.removedBackups, []);
    // …until the hold is released.
    const release = await drop('db', 'hold', logical.id, '--release');
    assert.equal(release.code, 0, describeResult(release));
    assert.equal((await audited('backup_hold_released')).at(-1)?.resource_id, logical.id);
    const pruned = await pruneBackups({ repoDir, retentionDays: 7, now: later });
    assert.ok(pruned.removedBackups.includes(logical.id), JSON.stringify(pruned));
  });

  it('--dry-run takes nothing and prints the RDS call', async () => {
    const before = incidentSnapshots().length;
    const result = await drop('incident', 'snapshot', '--dry-run');
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, /would back up Drop's database/);
    assert.match(result.stdout, /^rds CreateDBSnapshot eu-west-1 .*"DBSnapshotIdentifier":"drop-db-incident-\d{8}-\d{4}"/m);
    assert.equal(incidentSnapshots().length, before);
    assert.deepEqual(await readdir(repoDir), []);
  });

  it('--no-aws takes only the held local backup (a self-run database)', async () => {
    const result = await drop('incident', 'snapshot', '--no-aws', '--reason', 'INC-8');
    assert.equal(result.code, 0, describeResult(result));
    assert.ok((await listBackups(repoDir)).every((backup) => backup.hold?.reason === 'INC-8'));
    assert.equal(incidentSnapshots().length, 0);
  });

  it('refuses bad input with a code and changes nothing', async () => {
    const cases: Array<{ args: string[]; code: RegExp }> = [
      { args: ['incident', 'snapshot', '--no-local', '--no-aws'], code: /^VALIDATION_FAILED: /m },
      { args: ['incident', 'snapshot', '--reason', '  '], code: /^VALIDATION_FAILED: /m },
      { args: ['db', 'hold', 'bak_nope', '--reason', 'x'], code: /^BACKUP_NOT_FOUND: /m },
      { args: ['db', 'hold', 'bak_nope'], code: /^VALIDATION_FAILED: /m },
    ];
    for (const { args, code } of cases) {
      const result = await drop(...args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${describeResult(result)}`);
      assert.match(result.stderr, code, args.join(' '));
    }
    assert.deepEqual(await readdir(repoDir), []);
    assert.equal(incidentSnapshots().length, 0);
  });
});
