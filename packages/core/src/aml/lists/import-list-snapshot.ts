import { createHash } from 'node:crypto';
import { type DbClient, newId, withTransaction } from '@drop/db';
import { ListFormatError, type ListName, type ListSnapshot, recordHash } from '@drop/screening';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { JOBS, queueJob } from '../../jobs.ts';

/** How many versions of each list are kept: the current one and the two before it (continuous screening's delta, a reviewer's look back). */
export const KEPT_LIST_VERSIONS = 3;
/** The channel a new current version is announced on (payload: `{ list, version, id }`), to every process's index holder. */
export const LISTS_CHANGED_CHANNEL = 'drop_lists_changed';
/** Records per INSERT: big enough that 15,000 records are a handful of round trips, small enough for one parameter. */
const INSERT_BATCH = 2000;

export type ListImportSource = 'file' | 'http' | 'shipped';

export interface ImportListOptions {
  source: ListImportSource;
  /** Who imported it, for the version and the audit log: `cli:<user>`, `system`, `stf_…`. */
  actor: string;
  /**
   * The digest of the files the snapshot was parsed from (`digestListFiles`): the same files again
   * make no new version. Without it, the digest of the parsed records stands in.
   */
  sha256?: string;
  /** Checked between batches: an abort (a shutdown) rolls the import back. */
  signal?: AbortSignal;
}

export interface ListImportResult {
  list: ListName;
  /** False when the current version already has this digest: nothing was written. */
  imported: boolean;
  id: string;
  version: number;
  recordCount: number;
  /** The version that was current before (undefined for a list's first import, or when nothing was imported). */
  previousVersion?: number | undefined;
  /** Versions removed because only the last KEPT_LIST_VERSIONS are kept. */
  prunedVersions: number[];
  /** The snapshot's records by schema (Person, Organization, …) and by topic (sanction, pep, rca). */
  bySchema: Record<string, number>;
  byTopic: Record<string, number>;
}

/** The digest of a list's files, independent of the order they are given in. */
export function digestListFiles(files: Record<string, Uint8Array>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) {
    const content = files[name] ?? new Uint8Array();
    hash.update(`${name}\u0000${content.byteLength}\u0000`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/**
 * Stores `snapshot` as the list's new current version, in one transaction: the version row, every
 * record (with its content hash), the previous version no longer current, versions beyond the kept
 * ones pruned, an audit event, and a notification to every process's screening index (delivered at
 * commit). Imports of the same list are serialised by a lock on the list's row. A snapshot with the
 * current version's digest changes nothing. A snapshot with no records or a key twice is refused
 * (ListFormatError) before anything is written: a publisher never empties its list, and an empty
 * parse is far likelier a broken download than the end of sanctions.
 */
export async function importListSnapshot(db: DbClient, snapshot: ListSnapshot, options: ImportListOptions): Promise<ListImportResult> {
  checkSnapshot(snapshot);
  const hashes = snapshot.records.map((record) => recordHash(record));
  const sha256 = options.sha256 ?? digestRecords(snapshot, hashes);
  const counts = countRecords(snapshot);
  return withTransaction(db, async (tx) => {
    await tx.query(`INSERT INTO sanctions_lists (name, format) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
      snapshot.list,
      snapshot.format,
    ]);
    await tx.query('SELECT 1 FROM sanctions_lists WHERE name = $1 FOR UPDATE', [snapshot.list]);
    const { rows: versions } = await tx.query<{ id: string; version: number; sha256: string; record_count: number; current: boolean }>(
      `SELECT id, version, sha256, record_count, current FROM sanctions_list_versions WHERE list = $1 ORDER BY version DESC`,
      [snapshot.list],
    );
    const current = versions.find((version) => version.current);
    if (current && current.sha256 === sha256) {
      return {
        list: snapshot.list,
        imported: false,
        id: current.id,
        version: current.version,
        recordCount: current.record_count,
        prunedVersions: [],
        ...counts,
      };
    }
    const id = newId('slv');
    const version = (versions[0]?.version ?? 0) + 1;
    await tx.query('UPDATE sanctions_list_versions SET current = false WHERE list = $1 AND current', [snapshot.list]);
    await tx.query(
      `INSERT INTO sanctions_list_versions (id, list, version, format, sha256, record_count, published_at, imported_by, source, current)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true)`,
      [
        id,
        snapshot.list,
        version,
        snapshot.format,
        sha256,
        snapshot.records.length,
        snapshot.publishedAt ?? null,
        options.actor,
        options.source,
      ],
    );
    for (let start = 0; start < snapshot.records.length; start += INSERT_BATCH) {
      options.signal?.throwIfAborted();
      await insertRecords(tx, id, snapshot, hashes, start, Math.min(start + INSERT_BATCH, snapshot.records.length));
    }
    const { rows: pruned } = await tx.query<{ version: number }>(
      'DELETE FROM sanctions_list_versions WHERE list = $1 AND version <= $2 RETURNING version',
      [snapshot.list, version - KEPT_LIST_VERSIONS],
    );
    const prunedVersions = pruned.map((row) => row.version).sort((a, b) => a - b);
    await recordAuditEvent(tx, {
      action: 'sanctions_list_imported',
      resourceType: 'sanctions_list_version',
      resourceId: id,
      actor: options.actor,
      details: {
        list: snapshot.list,
        version,
        format: snapshot.format,
        source: options.source,
        sha256,
        records: snapshot.records.length,
        previousVersion: current?.version ?? null,
        publishedAt: snapshot.publishedAt ?? null,
        prunedVersions,
      },
    });
    await tx.query('SELECT pg_notify($1, $2)', [LISTS_CHANGED_CHANNEL, JSON.stringify({ list: snapshot.list, version, id })]);
    // Continuous screening of everyone against what changed (one queued run covers several imports).
    await queueJob(tx, JOBS.rescreenSubjects, {}, { jobKey: 'aml_rescreen' });
    return {
      list: snapshot.list,
      imported: true,
      id,
      version,
      recordCount: snapshot.records.length,
      previousVersion: current?.version,
      prunedVersions,
      ...counts,
    };
  });
}

function checkSnapshot(snapshot: ListSnapshot): void {
  if (snapshot.records.length === 0) throw new ListFormatError(snapshot.format, `the ${snapshot.list} file has no records`);
  const keys = new Set<string>();
  for (const record of snapshot.records) {
    if (keys.has(record.key)) throw new ListFormatError(snapshot.format, `the ${snapshot.list} file has the key ${record.key} twice`);
    keys.add(record.key);
    if (record.names.length === 0) throw new ListFormatError(snapshot.format, `the ${snapshot.list} record ${record.key} has no name`);
  }
}

function countRecords(snapshot: ListSnapshot): { bySchema: Record<string, number>; byTopic: Record<string, number> } {
  const bySchema: Record<string, number> = {};
  const byTopic: Record<string, number> = {};
  for (const record of snapshot.records) {
    bySchema[record.schema] = (bySchema[record.schema] ?? 0) + 1;
    for (const topic of record.topics) byTopic[topic] = (byTopic[topic] ?? 0) + 1;
  }
  return { bySchema, byTopic };
}

function digestRecords(snapshot: ListSnapshot, hashes: string[]): string {
  const hash = createHash('sha256').update(`${snapshot.list}\u0000${snapshot.format}\u0000`);
  for (const [index, record] of snapshot.records.entries()) hash.update(`${record.key}\u0000${hashes[index]}\n`);
  return hash.digest('hex');
}

/** One multi-row INSERT: the records travel as one JSON array and PostgreSQL unpacks it into rows. */
async function insertRecords(
  tx: DbClient,
  versionId: string,
  snapshot: ListSnapshot,
  hashes: string[],
  start: number,
  end: number,
): Promise<void> {
  const rows = [];
  for (let index = start; index < end; index++) {
    const record = snapshot.records[index];
    if (!record) continue;
    rows.push({
      key: record.key,
      schema: record.schema,
      topics: record.topics,
      names: record.names,
      birth_dates: record.birthDates,
      countries: record.countries,
      programmes: record.programmes,
      listed_on: record.listedOn ?? null,
      remarks: record.remarks ?? null,
      record_hash: hashes[index],
    });
  }
  await tx.query(
    `INSERT INTO sanctions_list_records
       (version_id, key, schema, topics, names, birth_dates, countries, programmes, listed_on, remarks, record_hash)
     SELECT $1, r.key, r.schema,
            ARRAY(SELECT jsonb_array_elements_text(r.topics)), r.names, r.birth_dates,
            ARRAY(SELECT jsonb_array_elements_text(r.countries)), ARRAY(SELECT jsonb_array_elements_text(r.programmes)),
            r.listed_on, r.remarks, r.record_hash
       FROM jsonb_to_recordset($2::jsonb) AS r (key text, schema text, topics jsonb, names jsonb, birth_dates jsonb,
                                                countries jsonb, programmes jsonb, listed_on text, remarks text, record_hash text)`,
    [versionId, JSON.stringify(rows)],
  );
}
