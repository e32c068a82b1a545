/**
 * The audit log against its signed checkpoints (`drop audit verify`): the chain in the database may
 * verify on its own and still be short (its newest rows deleted with the triggers off) or rebuilt
 * (rows edited and every later hash recomputed). Each checkpoint names a seq and the hash that row
 * had: the row must still be there with that hash.
 */
import type { KeyObject } from 'node:crypto';
import type { DbClient } from '@drop/db';
import { type AuditCheckpoint, type AuditCheckpointStore, checkpointSignatureValid } from './audit-checkpoint.ts';

export type CheckpointProblem =
  /** The log ends before the checkpoint's seq: rows `firstMissingSeq`…`checkpoint.seq` are gone. */
  | { kind: 'tail_cut'; firstMissingSeq: string; checkpoint: AuditCheckpoint }
  /** The row at the checkpoint's seq has another hash: it or a row before it was rewritten. */
  | { kind: 'hash_mismatch'; seq: string; checkpoint: AuditCheckpoint; afterGoodSeq: string | null }
  /** A stored checkpoint is not signed by the key (forged or altered): it anchors nothing. */
  | { kind: 'bad_signature'; checkpoint: AuditCheckpoint };

export interface CheckpointReport {
  /** Checkpoints read (newest first), and of those with a valid signature. */
  read: number;
  valid: number;
  /** The newest valid checkpoint. */
  newest: AuditCheckpoint | null;
  problems: CheckpointProblem[];
  ok: boolean;
}

export async function checkAuditCheckpoints(
  db: DbClient,
  options: { publicKey: KeyObject; stores: AuditCheckpointStore[]; limit?: number },
): Promise<CheckpointReport> {
  const limit = options.limit ?? 50;
  const { rows } = await db.query<{ seq: string | null; database: string }>(
    'SELECT (SELECT max(seq) FROM audit_log)::text AS seq, current_database() AS database',
  );
  const head = BigInt(rows[0]?.seq ?? '0');
  // A store may hold another environment's checkpoints (a shared directory): this database's only.
  const read = (await Promise.all(options.stores.map((store) => store.newest(limit))))
    .flat()
    .filter((checkpoint) => checkpoint.database === rows[0]?.database);
  // One per seq and time, newest first.
  const unique = [...new Map(read.map((checkpoint) => [`${checkpoint.seq}/${checkpoint.createdAt}`, checkpoint])).values()].sort((a, b) =>
    BigInt(b.seq) > BigInt(a.seq) ? 1 : BigInt(b.seq) < BigInt(a.seq) ? -1 : b.createdAt.localeCompare(a.createdAt),
  );
  const problems: CheckpointProblem[] = [];
  const valid: AuditCheckpoint[] = [];
  for (const checkpoint of unique) {
    if (checkpointSignatureValid(checkpoint, options.publicKey)) valid.push(checkpoint);
    else problems.push({ kind: 'bad_signature', checkpoint });
  }
  const newest = valid[0] ?? null;
  if (newest && BigInt(newest.seq) > head) {
    problems.push({ kind: 'tail_cut', firstMissingSeq: (head + 1n).toString(), checkpoint: newest });
  }
  // Every valid checkpoint whose row is present must match; oldest first, so the first mismatch
  // (and the newest match before it) bound where the log was rewritten.
  const present = valid.filter((checkpoint) => BigInt(checkpoint.seq) <= head);
  if (present.length > 0) {
    const hashes = await db.query<{ seq: string; hash: string }>(
      `SELECT seq::text AS seq, encode(hash, 'hex') AS hash FROM audit_log WHERE seq = ANY($1::bigint[])`,
      [present.map((checkpoint) => checkpoint.seq)],
    );
    const stored = new Map(hashes.rows.map((row) => [row.seq, row.hash]));
    let afterGoodSeq: string | null = null;
    for (const checkpoint of [...present].reverse()) {
      const hash = stored.get(checkpoint.seq);
      if (hash === checkpoint.hash) {
        afterGoodSeq = checkpoint.seq;
        continue;
      }
      problems.push({ kind: 'hash_mismatch', seq: checkpoint.seq, checkpoint, afterGoodSeq });
      break;
    }
  }
  return { read: unique.length, valid: valid.length, newest, problems, ok: problems.length === 0 };
}
