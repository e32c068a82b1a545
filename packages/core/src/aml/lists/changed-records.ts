import type { DbClient } from '@drop/db';
import type { ListName, ListRecord } from '@drop/screening';
import { DomainError } from '../../errors.ts';
import { RECORD_COLUMNS, type RecordRow, recordFromRow } from './list-records.ts';

export interface ListDelta {
  list: ListName;
  fromVersion: number;
  toVersion: number;
  /** Records in `toVersion` whose key was not in `fromVersion`. */
  added: ListRecord[];
  /** Records whose content (record hash) differs between the versions, as `toVersion` has them. */
  changed: ListRecord[];
  /** Keys in `fromVersion` that `toVersion` no longer has. */
  removed: string[];
}

/**
 * What changed in a list between two kept versions, by key and record hash: what continuous
 * screening re-screens. A version already pruned (or never made) is NOT_FOUND: screen everything
 * in `toVersion` instead.
 */
export async function changedRecords(db: DbClient, list: ListName, fromVersion: number, toVersion: number): Promise<ListDelta> {
  const { rows: versions } = await db.query<{ id: string; version: number }>(
    'SELECT id, version FROM sanctions_list_versions WHERE list = $1 AND version = ANY ($2::int[])',
    [list, [fromVersion, toVersion]],
  );
  const from = versions.find((row) => row.version === fromVersion);
  const to = versions.find((row) => row.version === toVersion);
  if (!from || !to) {
    const missing = [from ? undefined : fromVersion, to ? undefined : toVersion].filter((v) => v !== undefined);
    throw new DomainError('NOT_FOUND', `The ${list} list has no version ${missing.join(' or ')} (only the last few versions are kept).`, {
      list,
      missing,
    });
  }
  const { rows } = await db.query<RecordRow & { kind: 'added' | 'changed' }>(
    `SELECT CASE WHEN old.key IS NULL THEN 'added' ELSE 'changed' END AS kind, ${RECORD_COLUMNS}
       FROM sanctions_list_records r
       LEFT JOIN sanctions_list_records old ON old.version_id = $1 AND old.key = r.key
      WHERE r.version_id = $2 AND (old.key IS NULL OR old.record_hash <> r.record_hash)
      ORDER BY r.key`,
    [from.id, to.id],
  );
  const { rows: removed } = await db.query<{ key: string }>(
    `SELECT old.key FROM sanctions_list_records old
      WHERE old.version_id = $1 AND NOT EXISTS (SELECT 1 FROM sanctions_list_records r WHERE r.version_id = $2 AND r.key = old.key)
      ORDER BY old.key`,
    [from.id, to.id],
  );
  return {
    list,
    fromVersion,
    toVersion,
    added: rows.filter((row) => row.kind === 'added').map(recordFromRow),
    changed: rows.filter((row) => row.kind === 'changed').map(recordFromRow),
    removed: removed.map((row) => row.key),
  };
}
