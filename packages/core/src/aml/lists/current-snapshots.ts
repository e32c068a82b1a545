import type { DbClient } from '@drop/db';
import { withTransaction } from '@drop/db';
import type { ListFormat, ListName, ListSnapshot } from '@drop/screening';
import { RECORD_COLUMNS, type RecordRow, recordFromRow } from './list-records.ts';

export interface ListVersionRef {
  list: ListName;
  version: number;
  id: string;
}

/** A list's current version with every record, as the matcher indexes it. */
export interface CurrentSnapshot extends ListSnapshot {
  versionId: string;
  version: number;
}

/** The current version of each list that has one, ordered by list: one small indexed query, cheap enough to ask often. */
export async function currentListVersions(db: DbClient): Promise<ListVersionRef[]> {
  const { rows } = await db.query<ListVersionRef>('SELECT list, version, id FROM sanctions_list_versions WHERE current ORDER BY list');
  return rows;
}

/**
 * Every list's current version with its records, read in one consistent snapshot of the database
 * (an import committing meanwhile is either wholly in or wholly out). Records come in key order.
 */
export async function loadCurrentSnapshots(db: DbClient): Promise<CurrentSnapshot[]> {
  return withTransaction(
    db,
    async (tx) => {
      const { rows: versions } = await tx.query<{
        id: string;
        list: ListName;
        version: number;
        format: ListFormat;
        published_at: Date | null;
      }>('SELECT id, list, version, format, published_at FROM sanctions_list_versions WHERE current ORDER BY list');
      const snapshots: CurrentSnapshot[] = [];
      for (const version of versions) {
        const { rows } = await tx.query<RecordRow>(
          `SELECT ${RECORD_COLUMNS} FROM sanctions_list_records r WHERE r.version_id = $1 ORDER BY r.key`,
          [version.id],
        );
        snapshots.push({
          list: version.list,
          format: version.format,
          ...(version.published_at ? { publishedAt: version.published_at.toISOString() } : {}),
          records: rows.map(recordFromRow),
          versionId: version.id,
          version: version.version,
        });
      }
      return snapshots;
    },
    { snapshot: true },
  );
}
