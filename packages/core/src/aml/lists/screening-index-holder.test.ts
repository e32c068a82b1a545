/**
 * The in-memory index follows the database: a version imported through another connection (as by
 * another process) reaches a holder through LISTEN/NOTIFY, or through the version check when the
 * holder does not listen; a failed rebuild keeps the index there was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPool, type Db } from '@drop/db';
import type { ListRecord, ListSnapshot } from '@drop/screening';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database.ts';
import type { CurrentSnapshot } from './current-snapshots.ts';
import { importListSnapshot } from './import-list-snapshot.ts';
import { ScreeningIndexHolder } from './screening-index-holder.ts';

/** A stand-in index: which versions and keys it was built from. */
const build = (snapshots: readonly CurrentSnapshot[]) => ({
  versions: snapshots.map((snapshot) => `${snapshot.list}@${snapshot.version}`),
  keys: snapshots.flatMap((snapshot) => snapshot.records.map((record) => `${snapshot.list}:${record.key}`)),
});

function unList(keys: string[]): ListSnapshot {
  const records: ListRecord[] = keys.map((key) => ({
    key,
    schema: 'Person',
    topics: ['sanction'],
    names: [{ full: `Person ${key}`, quality: 'primary' }],
    birthDates: [],
    countries: [],
    programmes: [],
  }));
  return { list: 'un', format: 'un-xml', records };
}

/** Polls `get` until `done` holds (a condition, not a fixed wait); fails after many tries. */
async function eventually<T>(get: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const value = await get();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the condition never held');
}

describe('ScreeningIndexHolder', () => {
  let db: TestDatabase;
  let otherProcess: Db;
  before(async () => {
    db = await createTestDatabase();
    otherProcess = createPool({
      url: db.url,
      max: 2,
      connectTimeoutMs: 3000,
      statementTimeoutMs: 15_000,
      applicationName: 'another-process',
    });
  });
  after(async () => {
    await otherProcess.end();
    await db.drop();
  });

  it('builds an empty index before any list is imported, then rebuilds on the notification of a version imported elsewhere', async () => {
    // An hour between version checks: only the notification can tell this holder.
    const holder = new ScreeningIndexHolder(db.pool, { build, checkIntervalMs: 3_600_000 });
    try {
      assert.deepEqual(await holder.get(), { versions: [], keys: [] });
      await importListSnapshot(otherProcess, unList(['QDi.001']), { source: 'file', actor: 'cli:test' });
      const rebuilt = await eventually(
        () => holder.get(),
        (index) => index.versions.length > 0,
      );
      assert.deepEqual(rebuilt, { versions: ['un@1'], keys: ['un:QDi.001'] });
      const held = await holder.current();
      assert.deepEqual(
        held.versions.map((ref) => [ref.list, ref.version]),
        [['un', 1]],
      );
      assert.equal(await holder.get(), rebuilt, 'the same index while nothing changes');
    } finally {
      await holder.close();
    }
  });

  it('without LISTEN, finds a new version by the version check', async () => {
    const holder = new ScreeningIndexHolder(db.pool, { build, listen: false, checkIntervalMs: 0 });
    try {
      assert.deepEqual((await holder.get()).versions, ['un@1']);
      await importListSnapshot(otherProcess, unList(['QDi.001', 'QDi.002']), { source: 'file', actor: 'cli:test' });
      assert.deepEqual(await holder.get(), { versions: ['un@2'], keys: ['un:QDi.001', 'un:QDi.002'] });
    } finally {
      await holder.close();
    }
  });

  it('keeps the index it has when a rebuild fails, and rebuilds at the next call', async () => {
    let failNext = false;
    const holder = new ScreeningIndexHolder(db.pool, {
      build: (snapshots) => {
        if (failNext) {
          failNext = false;
          throw new Error('out of memory');
        }
        return build(snapshots);
      },
      listen: false,
      checkIntervalMs: 0,
    });
    try {
      assert.deepEqual((await holder.get()).versions, ['un@2']);
      await importListSnapshot(otherProcess, unList(['QDi.003']), { source: 'file', actor: 'cli:test' });
      failNext = true;
      assert.deepEqual((await holder.get()).versions, ['un@2'], 'the previous index');
      assert.deepEqual(await holder.get(), { versions: ['un@3'], keys: ['un:QDi.003'] });
    } finally {
      await holder.close();
    }
  });
});
