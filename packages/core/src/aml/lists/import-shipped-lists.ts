import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DbClient } from '@drop/db';
import { SHIPPED_LISTS } from '@drop/screening';
import { importListFiles } from './import-list-files.ts';
import type { ListImportResult } from './import-list-snapshot.ts';

/**
 * Imports the list files shipped with Drop (packages/screening/lists) for every list that has no
 * version yet, so a fresh installation screens against real lists before its first download. A
 * list imported before (from the publisher, by hand, or shipped) is left alone.
 */
export async function importShippedLists(
  db: DbClient,
  options: { actor?: string; skip?: readonly string[]; signal?: AbortSignal } = {},
): Promise<ListImportResult[]> {
  const { rows } = await db.query<{ list: string }>('SELECT DISTINCT list FROM sanctions_list_versions');
  const present = new Set(rows.map((row) => row.list));
  const results: ListImportResult[] = [];
  for (const shipped of SHIPPED_LISTS) {
    if (present.has(shipped.list) || options.skip?.includes(shipped.list)) continue;
    options.signal?.throwIfAborted();
    const files: Record<string, Buffer> = {};
    for (const path of shipped.files) files[basename(path)] = await readFile(path);
    results.push(
      ...(await importListFiles(db, [{ list: shipped.list, format: shipped.format, files }], {
        source: 'shipped',
        actor: options.actor ?? 'system',
        ...(options.signal ? { signal: options.signal } : {}),
      })),
    );
  }
  return results;
}

/** Whether any shipped list has no version yet (what the worker asks at start before queueing the import). */
export async function shippedListsMissing(db: DbClient, skip: readonly string[] = []): Promise<boolean> {
  const { rows } = await db.query<{ list: string }>('SELECT DISTINCT list FROM sanctions_list_versions');
  const present = new Set(rows.map((row) => row.list));
  return SHIPPED_LISTS.some((shipped) => !present.has(shipped.list) && !skip.includes(shipped.list));
}
