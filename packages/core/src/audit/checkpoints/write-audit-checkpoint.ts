/**
 * Anchors the audit chain's head outside the database (the worker's hourly `audit:checkpoint`
 * job, `drop audit checkpoint`): signs the newest row's seq and hash and writes the checkpoint to
 * every store (the local directory, S3 under Object Lock) and to the operations channel, whose
 * history the database's users cannot edit either. An empty log has no head: nothing is written.
 */
import type { KeyObject } from 'node:crypto';
import type { DbClient } from '@drop/db';
import type { OpsNotifier } from '@drop/observability';
import { type AuditCheckpoint, type AuditCheckpointStore, signCheckpoint } from './audit-checkpoint.ts';

export interface WrittenCheckpoint {
  checkpoint: AuditCheckpoint;
  /** Where each store put it. */
  locations: string[];
}

export async function writeAuditCheckpoint(
  db: DbClient,
  options: { signingKey: KeyObject; stores: AuditCheckpointStore[]; notifier?: OpsNotifier; now?: Date },
): Promise<WrittenCheckpoint | null> {
  if (options.stores.length === 0) throw new Error('no audit checkpoint store: set AUDIT_CHECKPOINT_DIR or AUDIT_CHECKPOINT_BUCKET');
  const { rows } = await db.query<{ seq: string; hash: string; database: string }>(
    `SELECT seq::text AS seq, encode(hash, 'hex') AS hash, current_database() AS database FROM audit_log ORDER BY seq DESC LIMIT 1`,
  );
  const head = rows[0];
  if (!head) return null;
  const checkpoint = signCheckpoint({ ...head, createdAt: options.now ?? new Date() }, options.signingKey);
  // Every store, even when one fails: a checkpoint in any of them anchors the chain.
  const results = await Promise.allSettled(options.stores.map((store) => store.write(checkpoint)));
  const locations = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failures = results.flatMap((result, index) =>
    result.status === 'rejected' ? [`${options.stores[index]?.description}: ${(result.reason as Error).message}`] : [],
  );
  await options.notifier?.send({
    kind: 'audit_checkpoint',
    severity: failures.length > 0 ? 'warning' : 'info',
    title: `Audit checkpoint: seq ${checkpoint.seq}`,
    detail: failures.length > 0 ? `Not written to: ${failures.join('; ')}` : undefined,
    // The channel's copy is a checkpoint too: the whole signed object.
    fields: {
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      database: checkpoint.database,
      createdAt: checkpoint.createdAt,
      keyId: checkpoint.keyId,
      signature: checkpoint.signature,
    },
  });
  if (locations.length === 0) throw new Error(`the audit checkpoint was written nowhere: ${failures.join('; ')}`);
  return { checkpoint, locations };
}
