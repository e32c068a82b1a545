import { createHash } from 'node:crypto';
import type { DbClient } from '@drop/db';

export interface AuditChainBreak {
  seq: string;
  id: string;
  reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch';
}

export interface AuditChainReport {
  ok: boolean;
  rowsChecked: number;
  head: { seq: string; hash: string } | null;
  firstBroken: AuditChainBreak | null;
}

interface ChainRow {
  seq: string;
  id: string;
  ts: string;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  details: string;
  prev_hash: Buffer;
  hash: Buffer;
}

const UNIT_SEPARATOR = '\x1f';
const NULL_MARKER = '\x1e';

/**
 * Recomputes the hash of one row in Node, independently of the database's own digest function
 * (a tamperer who can rewrite rows could also rewrite that function). Must match
 * `audit_log_digest` (packages/db/functions/audit_log_digest.sql) field for field.
 */
function digest(row: ChainRow): Buffer {
  const canonical = [row.seq, row.id, row.ts, row.actor, row.action, row.resource_type, row.resource_id ?? NULL_MARKER, row.details].join(
    UNIT_SEPARATOR,
  );
  return createHash('sha256').update(row.prev_hash).update(canonical, 'utf8').digest();
}

/**
 * Walks the whole audit chain in order and names the first broken row: a gap in the sequence
 * (a deleted row), a row whose prev_hash is not its predecessor's hash, or a row whose content no
 * longer matches its hash (an edited row).
 */
export async function verifyAuditChain(db: DbClient, options: { batchSize?: number } = {}): Promise<AuditChainReport> {
  const batchSize = options.batchSize ?? 5000;
  let lastSeq = 0n;
  let lastHash: Buffer = Buffer.alloc(0);
  let rowsChecked = 0;

  for (;;) {
    // Order by the table's bigint column: the text alias of the same name would sort 10 before 9.
    const { rows } = await db.query<ChainRow>(
      `SELECT seq::text AS seq, id::text AS id,
              to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts,
              actor, action, resource_type, resource_id, details::text AS details, prev_hash, hash
         FROM audit_log WHERE audit_log.seq > $1 ORDER BY audit_log.seq LIMIT $2`,
      [lastSeq.toString(), batchSize],
    );
    for (const row of rows) {
      const seq = BigInt(row.seq);
      let reason: AuditChainBreak['reason'] | null = null;
      if (seq !== lastSeq + 1n) reason = 'sequence_gap';
      else if (!row.prev_hash.equals(lastHash)) reason = 'prev_hash_mismatch';
      else if (!row.hash.equals(digest(row))) reason = 'hash_mismatch';
      if (reason) {
        return { ok: false, rowsChecked, head: null, firstBroken: { seq: row.seq, id: row.id, reason } };
      }
      rowsChecked++;
      lastSeq = seq;
      lastHash = row.hash;
    }
    if (rows.length < batchSize) break;
  }

  return {
    ok: true,
    rowsChecked,
    head: rowsChecked === 0 ? null : { seq: lastSeq.toString(), hash: lastHash.toString('hex') },
    firstBroken: null,
  };
}
