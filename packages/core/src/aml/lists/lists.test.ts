/**
 * Lists as versioned snapshots in a real PostgreSQL: the import is all or nothing, the same file
 * twice is one version, a changed file is the next version and the delta between them is exactly
 * what changed, old versions are pruned, and status tells what is current and what is stale.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListFormatError, type ListRecord, type ListSnapshot, recordHash } from '@drop/screening';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database.ts';
import { DomainError } from '../../errors.ts';
import { changedRecords } from './changed-records.ts';
import { currentListVersions, loadCurrentSnapshots } from './current-snapshots.ts';
import { digestListFiles, importListSnapshot, KEPT_LIST_VERSIONS } from './import-list-snapshot.ts';
import { listStatus } from './list-status.ts';

const ACTOR = 'cli:test';

function person(key: string, name: string, extra: Partial<ListRecord> = {}): ListRecord {
  return {
    key,
    schema: 'Person',
    topics: ['sanction'],
    names: [{ full: name, quality: 'primary' }],
    birthDates: [],
    countries: [],
    programmes: ['SDGT'],
    ...extra,
  };
}

function unList(records: ListRecord[], publishedAt = '2026-02-27T00:00:00.000Z'): ListSnapshot {
  return { list: 'un', format: 'un-xml', publishedAt, records };
}

const ORIGINAL = [
  person('QDi.001', 'Ayman al-Zawahiri', {
    names: [
      { full: 'Ayman al-Zawahiri', given: 'Ayman', family: 'al-Zawahiri', quality: 'primary' },
      { full: 'أيمن الظواهري', quality: 'strong', lang: 'ar' },
      { full: 'Abu Fatima', quality: 'weak' },
    ],
    birthDates: [{ date: '1951-06-19' }, { fromYear: 1950, toYear: 1952 }],
    countries: ['EG'],
    listedOn: '2001-01-25',
    remarks: 'Father’s name is Mohammed Rabi al-Zawahiri.',
  }),
  person('QDi.002', 'Sa’d al-Sharif'),
  { ...person('QDe.001', 'Al-Qaida'), schema: 'Organization', programmes: ['QDe'] } satisfies ListRecord,
];

async function count(db: TestDatabase, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) q`, params);
  return Number(rows[0]?.n);
}

describe('sanctions lists in the database', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.drop());

  it('imports a snapshot as version 1: every record reads back as imported, with its record hash, and the import is audited', async () => {
    const result = await importListSnapshot(db.pool, unList(ORIGINAL), { source: 'file', actor: ACTOR });
    assert.equal(result.imported, true);
    assert.equal(result.version, 1);
    assert.equal(result.recordCount, 3);
    assert.match(result.id, /^slv_[0-9A-Z]{26}$/);
    const snapshots = await loadCurrentSnapshots(db.pool);
    assert.equal(snapshots.length, 1);
    const [un] = snapshots;
    assert.equal(un?.list, 'un');
    assert.equal(un?.version, 1);
    assert.equal(un?.publishedAt, '2026-02-27T00:00:00.000Z');
    const byKey = (records: readonly ListRecord[]) => [...records].sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(byKey(un?.records ?? []), byKey(ORIGINAL));
    const { rows } = await db.pool.query<{ key: string; record_hash: string }>(
      'SELECT key, record_hash FROM sanctions_list_records WHERE version_id = $1 ORDER BY key',
      [result.id],
    );
    assert.deepEqual(
      rows,
      byKey(ORIGINAL).map((record) => ({ key: record.key, record_hash: recordHash(record) })),
    );
    const { rows: audit } = await db.pool.query<{ actor: string; resource_id: string; details: Record<string, unknown> }>(
      `SELECT actor, resource_id, details FROM audit_log WHERE action = 'sanctions_list_imported'`,
    );
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor, ACTOR);
    assert.equal(audit[0]?.resource_id, result.id);
    assert.equal(audit[0]?.details.list, 'un');
    assert.equal(audit[0]?.details.records, 3);
    assert.deepEqual(await currentListVersions(db.pool), [{ list: 'un', version: 1, id: result.id }]);
  });

  it('imports the same files again as no new version', async () => {
    const files = { 'consolidated.xml': Buffer.from('<CONSOLIDATED_LIST/>') };
    const first = await importListSnapshot(db.pool, unList(ORIGINAL), { source: 'file', actor: ACTOR, sha256: digestListFiles(files) });
    assert.equal(first.imported, true, 'a digest of files is not the digest of records the first import stored');
    assert.equal(first.version, 2);
    const again = await importListSnapshot(db.pool, unList(ORIGINAL), { source: 'http', actor: 'system', sha256: digestListFiles(files) });
    assert.deepEqual(again, {
      list: 'un',
      imported: false,
      id: first.id,
      version: 2,
      recordCount: 3,
      prunedVersions: [],
      bySchema: { Person: 2, Organization: 1 },
      byTopic: { sanction: 3 },
    });
    assert.equal(await count(db, `SELECT 1 FROM sanctions_list_versions WHERE list = 'un'`), 2);
    assert.equal(await count(db, `SELECT 1 FROM audit_log WHERE action = 'sanctions_list_imported'`), 2);
  });

  it('refuses a snapshot with no records, a key twice or a nameless record whole: nothing changes', async () => {
    const before = await db.pool.query('SELECT id, version, current FROM sanctions_list_versions ORDER BY id');
    const recordsBefore = await count(db, 'SELECT 1 FROM sanctions_list_records');
    for (const records of [[], [...ORIGINAL, person('QDi.001', 'Someone else')], [{ ...person('QDi.009', 'x'), names: [] }]]) {
      await assert.rejects(importListSnapshot(db.pool, unList(records), { source: 'file', actor: ACTOR }), ListFormatError);
    }
    assert.deepEqual((await db.pool.query('SELECT id, version, current FROM sanctions_list_versions ORDER BY id')).rows, before.rows);
    assert.equal(await count(db, 'SELECT 1 FROM sanctions_list_records'), recordsBefore);
  });

  it('rolls back a snapshot the database refuses half way (a record past the first batch): no version, the current one stays current', async () => {
    const many = Array.from({ length: 4500 }, (_, index) => person(`QDi.${1000 + index}`, `Person ${index}`));
    const broken = [...many, { ...person('QDi.9999', 'Broken'), schema: 'Spaceship' as 'Person' }];
    await assert.rejects(
      importListSnapshot(db.pool, unList(broken), { source: 'file', actor: ACTOR }),
      /sanctions_list_records_schema_check/,
    );
    assert.deepEqual(
      (await currentListVersions(db.pool)).map((ref) => ref.version),
      [2],
    );
    assert.equal(await count(db, `SELECT 1 FROM sanctions_list_versions WHERE list = 'un'`), 2);
    assert.equal(
      await count(db, `SELECT 1 FROM sanctions_list_records r JOIN sanctions_list_versions v ON v.id = r.version_id WHERE v.list = 'un'`),
      6,
    );
  });

  it('stops an import between batches when its signal aborts (a worker shutting down): no version, the current one stays current', async () => {
    const many = Array.from({ length: 4500 }, (_, index) => person(`QDi.${3000 + index}`, `Person ${index}`));
    const controller = new AbortController();
    // Aborted once the import is under way: after the version row, before the second batch.
    const aborting = importListSnapshot(db.pool, unList(many), { source: 'file', actor: ACTOR, signal: controller.signal });
    controller.abort();
    await assert.rejects(aborting, { name: 'AbortError' });
    assert.deepEqual(
      (await currentListVersions(db.pool)).map((ref) => ref.version),
      [2],
    );
    assert.equal(await count(db, `SELECT 1 FROM sanctions_list_versions WHERE list = 'un'`), 2);
  });

  it('makes a changed file version 3, and the delta from version 2 is exactly the added, changed and removed records', async () => {
    const changed = [
      // QDi.001 gains an alias: changed.
      { ...ORIGINAL[0], names: [...(ORIGINAL[0]?.names ?? []), { full: 'Ayman al-Zawahri', quality: 'strong' }] } as ListRecord,
      // QDe.001 unchanged; QDi.002 removed; QDi.003 added.
      ORIGINAL[2] as ListRecord,
      person('QDi.003', 'Tariq Anwar al-Sayyid Ahmad'),
    ];
    const result = await importListSnapshot(db.pool, unList(changed), { source: 'file', actor: ACTOR });
    assert.equal(result.version, 3);
    assert.equal(result.previousVersion, 2);
    const delta = await changedRecords(db.pool, 'un', 2, 3);
    assert.deepEqual(delta.added, [changed[2]]);
    assert.deepEqual(delta.changed, [changed[0]]);
    assert.deepEqual(delta.removed, ['QDi.002']);
    const none = await changedRecords(db.pool, 'un', 3, 3);
    assert.deepEqual([none.added, none.changed, none.removed], [[], [], []]);
    const { rows } = await db.pool.query<{ version: number; current: boolean }>(
      `SELECT version, current FROM sanctions_list_versions WHERE list = 'un' ORDER BY version`,
    );
    assert.deepEqual(rows, [
      { version: 1, current: false },
      { version: 2, current: false },
      { version: 3, current: true },
    ]);
  });

  it(`keeps the last ${KEPT_LIST_VERSIONS} versions: the next import prunes version 1 with its records, and a delta from it is NOT_FOUND`, async () => {
    const result = await importListSnapshot(db.pool, unList([person('QDi.004', 'Only one')]), { source: 'http', actor: 'system' });
    assert.equal(result.version, 4);
    assert.deepEqual(result.prunedVersions, [1]);
    assert.deepEqual(
      (await db.pool.query(`SELECT version FROM sanctions_list_versions WHERE list = 'un' ORDER BY version`)).rows.map((r) => r.version),
      [2, 3, 4],
    );
    await assert.rejects(
      changedRecords(db.pool, 'un', 1, 4),
      (error: unknown) => error instanceof DomainError && error.code === 'NOT_FOUND',
    );
    // The pruned version's deletion is in the audit log.
    assert.equal(await count(db, `SELECT 1 FROM audit_log WHERE action = 'DELETE' AND resource_type = 'sanctions_list_versions'`), 1);
  });

  it('refuses an edit of a stored record: a version is a snapshot', async () => {
    // The application may not UPDATE it at all; the trigger refuses the owner too.
    await assert.rejects(db.pool.query(`UPDATE sanctions_list_records SET remarks = 'edited'`), { code: '42501' });
    await assert.rejects(db.owner.query(`UPDATE sanctions_list_records SET remarks = 'edited'`), /append-only/);
  });

  it('refuses a second current version of a list, whoever writes', async () => {
    await assert.rejects(
      db.pool.query(`UPDATE sanctions_list_versions SET current = true WHERE list = 'un' AND version = 3`),
      /one_current/,
    );
  });

  it('reports each list: version, age, counts by schema and topic, and stale when never imported or older than twice its interval', async () => {
    await importListSnapshot(
      db.pool,
      {
        list: 'os',
        format: 'ftm-json',
        records: [
          { ...person('Q1', 'Jonas Gahr Støre'), topics: ['pep'], programmes: [] },
          { ...person('Q2', 'Marit Støre'), topics: ['rca'], programmes: [] },
          { ...person('Q3', 'Some Company'), schema: 'Organization', topics: ['sanction', 'pep'] },
        ],
      },
      { source: 'shipped', actor: 'system' },
    );
    let status = await listStatus(db.pool);
    assert.deepEqual(
      status.map((s) => s.list),
      ['eu', 'ofac-cons', 'ofac-sdn', 'os', 'uk', 'un'],
    );
    const os = status.find((s) => s.list === 'os');
    assert.equal(os?.current?.version, 1);
    assert.equal(os?.current?.source, 'shipped');
    assert.deepEqual(os?.current?.bySchema, { Person: 2, Organization: 1 });
    assert.deepEqual(os?.current?.byTopic, { pep: 2, rca: 1, sanction: 1 });
    assert.ok((os?.current?.ageSeconds ?? -1) >= 0);
    assert.equal(os?.stale, false);
    const un = status.find((s) => s.list === 'un');
    assert.deepEqual(un?.versions, [4, 3, 2]);
    const eu = status.find((s) => s.list === 'eu');
    assert.equal(eu?.current, null);
    assert.equal(eu?.stale, true, 'never imported');
    await db.pool.query(`UPDATE sanctions_list_versions SET imported_at = now() - interval '49 hours' WHERE list = 'os'`);
    await db.pool.query(`UPDATE sanctions_lists SET enabled = false WHERE name = 'eu'`);
    status = await listStatus(db.pool);
    assert.equal(status.find((s) => s.list === 'os')?.stale, true, 'older than twice a day');
    assert.equal(status.find((s) => s.list === 'eu')?.stale, false, 'a disabled list is never stale');
  });
});
