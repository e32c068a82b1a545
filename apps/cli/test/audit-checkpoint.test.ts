/**
 * The audit chain anchored outside the database: `drop audit checkpoint` (what the worker's hourly
 * audit:checkpoint job runs) signs the head with a key the database does not hold and writes it to
 * AUDIT_CHECKPOINT_DIR; `drop audit verify` then detects what the chain alone cannot: the newest
 * rows deleted by a superuser who switched the guards off (the chain that is left verifies), and a
 * checkpoint not signed by the key. Drop runs here as the application's login (a member of drop_app).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '@drop/config';
import {
  type AuditCheckpoint,
  checkpointObjectName,
  checkpointPublicKey,
  checkpointSignatureValid,
  recordAuditEvent,
  signCheckpoint,
  verifyAuditChain,
} from '@drop/core';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { describeResult, runDrop } from './run-cli.ts';

describe('drop audit checkpoint and verify against the checkpoints', () => {
  let database: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  const record = (i: number) =>
    recordAuditEvent(database.pool, { action: 'demo_data_seeded', resourceType: 'test', resourceId: String(i), actor: 'system' });

  before(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), 'drop-audit-checkpoints-'));
    env = { DATABASE_URL: database.url, AUDIT_CHECKPOINT_DIR: dir, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    for (let i = 0; i < 5; i++) await record(i);
  });
  after(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a signed checkpoint of the head, and verify agrees with it', async () => {
    const head = (
      await database.pool.query<{ seq: string; hash: string }>(
        `SELECT seq::text, encode(hash, 'hex') AS hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
      )
    ).rows[0];
    const result = await runDrop(['audit', 'checkpoint'], env);
    assert.equal(result.code, 0, describeResult(result));
    assert.match(
      result.stdout,
      new RegExp(`^Checkpoint of seq ${head?.seq} \\(hash ${head?.hash}\\) written to:\\n  ${dir}/audit-checkpoint-`),
    );

    const files = await readdir(dir);
    assert.equal(files.length, 1);
    const checkpoint = JSON.parse(await readFile(path.join(dir, files[0] ?? ''), 'utf8')) as AuditCheckpoint;
    assert.deepEqual([checkpoint.seq, checkpoint.hash, checkpoint.database], [head?.seq, head?.hash, database.name]);
    const publicKey = checkpointPublicKey(loadConfig({ NODE_ENV: 'test' }).auditCheckpoints.publicKey ?? '');
    assert.equal(checkpointSignatureValid(checkpoint, publicKey), true, 'signed with the key');
    assert.equal(
      checkpointSignatureValid({ ...checkpoint, seq: String(Number(checkpoint.seq) - 1) }, publicKey),
      false,
      'a moved anchor fails',
    );

    const verify = await runDrop(['audit', 'verify'], env);
    assert.equal(verify.code, 0, describeResult(verify));
    assert.match(verify.stdout, new RegExp(`^Checkpoints: 1 signed, newest seq ${head?.seq} of `, 'm'));
  });

  it('a cut tail (the newest rows deleted by a superuser with the guards off) is detected and the missing seqs named', async () => {
    await record(5);
    await record(6);
    assert.equal((await runDrop(['audit', 'checkpoint'], env)).code, 0);
    const anchored = (await database.pool.query<{ seq: string }>('SELECT max(seq)::text AS seq FROM audit_log')).rows[0]?.seq ?? '';
    // The application's login may not do this at all; the owner (a superuser) has to switch off the
    // DDL guard and the log's own trigger first.
    await assert.rejects(database.pool.query('DELETE FROM audit_log WHERE seq > 5'), { code: '42501' });
    await database.owner.query(`BEGIN;
      ALTER EVENT TRIGGER drop_audit_log_guard_alter DISABLE;
      ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete;
      DELETE FROM audit_log WHERE seq > ${Number(anchored) - 2};
      ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_or_delete;
      ALTER EVENT TRIGGER drop_audit_log_guard_alter ENABLE ALWAYS;
      COMMIT;`);
    // What is left is a chain that verifies on its own.
    assert.equal((await verifyAuditChain(database.pool)).ok, true);

    const verify = await runDrop(['audit', 'verify'], env);
    assert.equal(verify.code, 1, describeResult(verify));
    const firstMissing = Number(anchored) - 1;
    assert.match(verify.stdout, /^Audit chain intact: /m);
    assert.match(
      verify.stdout,
      new RegExp(
        `^CUT TAIL: the log ends before the checkpoint of .*, which anchors seq ${anchored}: rows seq ${firstMissing} to ${anchored} are missing\\.$`,
        'm',
      ),
    );
    const json = JSON.parse((await runDrop(['audit', 'verify', '--json'], env)).stdout);
    assert.deepEqual(
      json.checkpoints.problems.map((problem: { kind: string; firstMissingSeq: string }) => [problem.kind, problem.firstMissingSeq]),
      [['tail_cut', String(firstMissing)]],
    );
  });

  it('a checkpoint not signed by the key is named as forged and fails verify', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = signCheckpoint({ seq: '1', hash: 'ab'.repeat(32), database: database.name, createdAt: new Date() }, privateKey);
    await writeFile(path.join(dir, checkpointObjectName(forged)), JSON.stringify(forged));
    const verify = await runDrop(['audit', 'verify'], env);
    assert.equal(verify.code, 1, describeResult(verify));
    assert.match(verify.stdout, /^FORGED: the checkpoint of seq 1 \(.*\) is not signed by the checkpoint key\.$/m);
  });
});
