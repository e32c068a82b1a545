/**
 * Issue 15's first "done when": under a continuous transfer load, a base backup is taken, the
 * database is killed mid-load (SIGKILL to the postmaster), `drop db restore` recovers to the end of
 * the archived WAL (the moment before the kill, as far as it was archived) into a new cluster, and
 * `drop db verify` passes with every acknowledged transfer present up to the recovery point. The
 * RPO it reports is the time between the last acknowledged transfer and the last one recovered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SequenceKidAllocator } from '@drop/core';
import pg from 'pg';
import { fixedRates, makeTransfer, verifiedCustomer } from '../../../test/support/money.ts';
import { type BackupCluster, startBackupCluster, stopRestoredCluster } from './backup-cluster.ts';
import { describeResult, runDrop } from './run-cli.ts';

interface Acknowledged {
  id: string;
  /** When createTransfer returned (the commit was acknowledged to the client). */
  ackAt: number;
}

describe('kill the database mid-load, restore to the moment before, verify', () => {
  let cluster: BackupCluster;
  let restoredDataDir: string | null = null;

  before(async () => {
    cluster = await startBackupCluster();
  });
  after(async () => {
    await stopRestoredCluster(restoredDataDir);
    await cluster?.cleanUp();
  });

  it('recovers every acknowledged transfer up to the recovery point, and drop db verify passes', async () => {
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
    const customers = [];
    for (let index = 0; index < 4; index += 1) customers.push(await verifiedCustomer(cluster.pool, 2));

    // The load: one writer per customer, each making transfers through Drop's transfer path
    // (quote, then create_transfer: the transfer and its ledger reservation in one commit).
    const acknowledged: Acknowledged[] = [];
    let stopping = false;
    const writer = async (customer: { userId: string; recipientId: string }) => {
      while (!stopping) {
        try {
          const made = await makeTransfer(cluster.pool, { ...customer, nok: 100, rates, kids });
          acknowledged.push({ id: made.id, ackAt: Date.now() });
        } catch {
          if (stopping) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const writers = customers.map((customer) => writer(customer));
    while (acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 50));

    const backupStarted = Date.now();
    const backup = await runDrop(['db', 'backup', '--json'], cluster.env);
    const backupMs = Date.now() - backupStarted;
    assert.equal(backup.code, 0, describeResult(backup));
    const taken = JSON.parse(backup.stdout) as {
      backups: Array<{ id: string; kind: string; finishedAt: string; verifiedAt: string | null }>;
    };
    const base = taken.backups.find((entry) => entry.kind === 'physical');
    assert.ok(base?.verifiedAt, 'a verified physical base backup');

    // Keep writing after the base backup, and make sure WAL written after it reached the archive
    // (so the restore below must replay archived WAL, not just the base backup).
    const afterBackup = acknowledged.length;
    while (acknowledged.length < afterBackup + 20) await new Promise((resolve) => setTimeout(resolve, 50));
    const mustSurvive = acknowledged[acknowledged.length - 1] as Acknowledged;
    await cluster.archiveNow();
    const more = acknowledged.length;
    while (acknowledged.length < more + 10) await new Promise((resolve) => setTimeout(resolve, 50));

    // Mid-load: SIGKILL to the postmaster, no shutdown.
    process.kill(await cluster.postmasterPid(), 'SIGKILL');
    const killedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    stopping = true;
    await Promise.all(writers);
    const acked = acknowledged.filter((entry) => entry.ackAt <= killedAt).sort((a, b) => a.ackAt - b.ackAt);

    const restore = await runDrop(['db', 'restore', '--json'], cluster.env);
    assert.equal(restore.code, 0, describeResult(restore));
    const restored = JSON.parse(restore.stdout) as {
      url: string;
      recoveredTo: string | null;
      dataDir: string;
      durationMs: number;
      backupId: string;
      verification: { ok: boolean };
    };
    restoredDataDir = restored.dataDir;
    assert.equal(restored.backupId, base.id);
    assert.equal(restored.verification.ok, true);

    const check = new pg.Client({ connectionString: restored.url });
    await check.connect();
    const present = new Set(
      (
        await check.query<{ id: string }>('SELECT id FROM transactions WHERE id = ANY($1::text[])', [acked.map((entry) => entry.id)])
      ).rows.map((row) => row.id),
    );
    await check.end();

    // The recovery point is the commit time of the last transaction replayed (the server's clock,
    // this machine's). A transfer acknowledged at or before it committed before it, so it must be
    // there: every acknowledged transfer up to the recovery point is recovered. (Acknowledgement
    // order is not commit order under concurrency, so "up to" is by time, not by position.)
    assert.ok(restored.recoveredTo, 'WAL was replayed');
    const recoveryPoint = new Date(restored.recoveredTo).getTime();
    const upToRecoveryPoint = acked.filter((entry) => entry.ackAt <= recoveryPoint);
    const holes = upToRecoveryPoint.filter((entry) => !present.has(entry.id));
    assert.deepEqual(holes, [], 'every transfer acknowledged up to the recovery point is recovered');
    assert.ok(upToRecoveryPoint.length > 0, 'the recovery point is after some acknowledged transfer');
    assert.ok(present.has(mustSurvive.id), 'the transfer archived before the kill is recovered (WAL replayed from the archive)');
    const lastAcked = acked.at(-1) as Acknowledged;
    const rpoMs = Math.max(0, lastAcked.ackAt - recoveryPoint);
    const lost = acked.filter((entry) => !present.has(entry.id)).length;

    // drop db verify on the restored database: ledger, audit chain, counts against the base
    // backup's manifest, its last transfer, and every acknowledged transfer up to the recovery point.
    const verify = await runDrop(
      [
        'db',
        'verify',
        '--url',
        restored.url,
        '--backup',
        base.id,
        '--json',
        '--expect-transaction',
        ...upToRecoveryPoint.map((entry) => entry.id),
      ],
      cluster.env,
    );
    assert.equal(verify.code, 0, describeResult(verify));
    const report = JSON.parse(verify.stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean }> };
    assert.equal(report.ok, true);
    assert.deepEqual(report.checks.map((c) => c.name).sort(), [
      'audit_chain',
      'expected_transfers',
      'last_transfer',
      'ledger',
      'row_counts',
    ]);

    console.log(
      `RESULT ${JSON.stringify({ acknowledged: acked.length, recovered: present.size, lost, rpoMs, backupCommandMs: backupMs, restoreMs: restored.durationMs, recoveredTo: restored.recoveredTo })}`,
    );
  });
});
