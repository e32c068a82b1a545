import { generateKeyPairSync } from 'node:crypto';
import { type CheckpointProblem, checkAuditCheckpoints, keyIdOf, verifyAuditChain, writeAuditCheckpoint } from '@drop/core';
import { auditDdlGuardPresent } from '@drop/db';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

export function registerAudit(program: Command, context: () => CliContext): void {
  const audit = program.command('audit').description('The tamper-evident audit log');

  audit
    .command('verify')
    .description(
      'Walk the audit_log hash chain and name the first broken row, then compare the log with its newest signed checkpoints ' +
        '(a cut tail or a rebuilt chain). Exits 1 if the chain is broken or disagrees with a checkpoint.',
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await withServices(context(), async (services) => {
        const chain = await verifyAuditChain(services.db);
        const { publicKey } = services.auditCheckpoints;
        const checkpoints = publicKey
          ? await checkAuditCheckpoints(services.db, { publicKey, stores: await services.auditCheckpoints.stores() })
          : null;
        const ddlGuard = await auditDdlGuardPresent(services.db);
        return { ...chain, ok: chain.ok && (checkpoints?.ok ?? true), chainOk: chain.ok, checkpoints, ddlGuard };
      });
      if (options.json) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        if (report.chainOk) {
          console.log(`Audit chain intact: ${report.rowsChecked} rows.`);
          if (report.head) console.log(`Head: seq ${report.head.seq}, hash ${report.head.hash}`);
        } else if (report.firstBroken) {
          console.log(`Audit chain BROKEN after ${report.rowsChecked} good rows.`);
          console.log(
            `First broken row: seq ${report.firstBroken.seq}, id ${report.firstBroken.id} (${report.firstBroken.reason.replaceAll('_', ' ')})`,
          );
        }
        const checkpoints = report.checkpoints;
        if (!checkpoints) console.log('Checkpoints: not checked (no AUDIT_CHECKPOINT_PUBLIC_KEY or signing key).');
        else if (!checkpoints.newest) console.log(`Checkpoints: none of this database yet (${checkpoints.read} read).`);
        else
          console.log(`Checkpoints: ${checkpoints.valid} signed, newest seq ${checkpoints.newest.seq} of ${checkpoints.newest.createdAt}.`);
        for (const problem of checkpoints?.problems ?? []) console.log(describeProblem(problem));
        console.log(
          report.ddlGuard
            ? 'DDL guard: present (dropping the audit log or disabling its triggers is refused).'
            : 'DDL guard: MISSING (migrate as a superuser, rds_superuser on RDS, to create it).',
        );
      }
      process.exitCode = report.ok ? 0 : 1;
    });

  audit
    .command('checkpoint')
    .description(
      "Sign the audit chain's head now and write it to the checkpoint stores and the operations channel (the worker does it hourly)",
    )
    .action(async () => {
      const written = await withServices(context(), async (services) => {
        const { signingKey } = services.auditCheckpoints;
        if (!signingKey) throw new Error('AUDIT_CHECKPOINT_SIGNING_KEY is not set');
        return writeAuditCheckpoint(services.db, {
          signingKey,
          stores: await services.auditCheckpoints.stores(),
          notifier: services.notifier,
        });
      });
      if (!written) {
        console.log('The audit log is empty: nothing to anchor.');
        return;
      }
      console.log(`Checkpoint of seq ${written.checkpoint.seq} (hash ${written.checkpoint.hash}) written to:`);
      for (const location of written.locations) console.log(`  ${location}`);
    });

  audit
    .command('checkpoint-key')
    .description('Print a new Ed25519 key pair for AUDIT_CHECKPOINT_SIGNING_KEY (secret) and AUDIT_CHECKPOINT_PUBLIC_KEY')
    .action(() => {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      console.log(`AUDIT_CHECKPOINT_SIGNING_KEY=${privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`);
      console.log(`AUDIT_CHECKPOINT_PUBLIC_KEY=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`);
      console.log(`# key id ${keyIdOf(publicKey)}`);
    });
}

function describeProblem(problem: CheckpointProblem): string {
  switch (problem.kind) {
    case 'tail_cut':
      return (
        `CUT TAIL: the log ends before the checkpoint of ${problem.checkpoint.createdAt}, which anchors seq ${problem.checkpoint.seq}: ` +
        `rows seq ${problem.firstMissingSeq} to ${problem.checkpoint.seq} are missing.`
      );
    case 'hash_mismatch':
      return (
        `REWRITTEN: seq ${problem.seq} no longer has the hash the checkpoint of ${problem.checkpoint.createdAt} signed` +
        (problem.afterGoodSeq ? ` (rows up to seq ${problem.afterGoodSeq} still match theirs): ` : ': ') +
        `a row at or before seq ${problem.seq} was changed and the chain recomputed.`
      );
    case 'bad_signature':
      return `FORGED: the checkpoint of seq ${problem.checkpoint.seq} (${problem.checkpoint.createdAt}) is not signed by the checkpoint key.`;
  }
}
