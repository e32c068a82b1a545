import type { DbClient } from '@drop/db';
import type { ListFormat, ListName } from '@drop/screening';
import type { ListImportSource } from './import-list-snapshot.ts';

export interface ListStatus {
  list: ListName;
  format: ListFormat;
  enabled: boolean;
  sourceUrl: string | null;
  refreshIntervalMinutes: number;
  /** The current version; null before the list's first import. */
  current: {
    id: string;
    version: number;
    recordCount: number;
    sha256: string;
    source: ListImportSource;
    importedAt: string;
    importedBy: string;
    publishedAt: string | null;
    /** Seconds since the import. */
    ageSeconds: number;
    bySchema: Record<string, number>;
    byTopic: Record<string, number>;
  } | null;
  /** Every version kept, newest first. */
  versions: number[];
  /** An enabled list with no version, or whose current version is older than twice its refresh interval. */
  stale: boolean;
  lastCheckedAt: string | null;
  lastError: string | null;
}

/** Every list Drop knows: its current version, how old it is, what it holds, and whether it is stale. */
export async function listStatus(db: DbClient): Promise<ListStatus[]> {
  const { rows } = await db.query<{
    name: ListName;
    format: ListFormat;
    enabled: boolean;
    source_url: string | null;
    refresh_interval_minutes: number;
    last_checked_at: Date | null;
    last_error: string | null;
    versions: number[];
    id: string | null;
    version: number | null;
    record_count: number | null;
    sha256: string | null;
    source: ListImportSource | null;
    imported_at: Date | null;
    imported_by: string | null;
    published_at: Date | null;
    age_seconds: number | null;
    by_schema: Record<string, number> | null;
    by_topic: Record<string, number> | null;
  }>(
    `SELECT l.name, l.format, l.enabled, l.source_url, l.refresh_interval_minutes, l.last_checked_at, l.last_error,
            ARRAY(SELECT version FROM sanctions_list_versions WHERE list = l.name ORDER BY version DESC) AS versions,
            v.id, v.version, v.record_count, v.sha256, v.source, v.imported_at, v.imported_by, v.published_at,
            extract(epoch FROM now() - v.imported_at)::float8 AS age_seconds,
            (SELECT jsonb_object_agg(schema, n) FROM (SELECT schema, count(*) AS n FROM sanctions_list_records
              WHERE version_id = v.id GROUP BY schema) s) AS by_schema,
            (SELECT jsonb_object_agg(topic, n) FROM (SELECT topic, count(*) AS n FROM sanctions_list_records, unnest(topics) AS topic
              WHERE version_id = v.id GROUP BY topic) t) AS by_topic
       FROM sanctions_lists l
       LEFT JOIN sanctions_list_versions v ON v.list = l.name AND v.current
      ORDER BY l.name`,
  );
  return rows.map((row) => {
    const current =
      row.id === null || row.version === null || row.imported_at === null
        ? null
        : {
            id: row.id,
            version: row.version,
            recordCount: row.record_count ?? 0,
            sha256: row.sha256 ?? '',
            source: row.source ?? 'file',
            importedAt: row.imported_at.toISOString(),
            importedBy: row.imported_by ?? '',
            publishedAt: row.published_at?.toISOString() ?? null,
            ageSeconds: Math.round(row.age_seconds ?? 0),
            bySchema: row.by_schema ?? {},
            byTopic: row.by_topic ?? {},
          };
    const stale = row.enabled && (current === null || current.ageSeconds > 2 * row.refresh_interval_minutes * 60);
    return {
      list: row.name,
      format: row.format,
      enabled: row.enabled,
      sourceUrl: row.source_url,
      refreshIntervalMinutes: row.refresh_interval_minutes,
      current,
      versions: row.versions,
      stale,
      lastCheckedAt: row.last_checked_at?.toISOString() ?? null,
      lastError: row.last_error,
    };
  });
}
