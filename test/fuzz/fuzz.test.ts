/**
 * The API fuzzer's short run in `npm test` (issue 17, item 2): a few hundred requests drawn from
 * the OpenAPI document's schemas and hostile values (test/fuzz/arbitraries.ts), sent as nobody, a
 * customer and a staff member of each role. No 5xx, every error a problem document with a stable
 * code, and nothing written by a refused request. The seed is printed; FUZZ_SEED replays it.
 * `npm run fuzz` is the long run of the same thing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningDrop } from '../../apps/api/src/runtime.ts';
import type { TestDatabase } from '../support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../support/drop-on-port.ts';
import { changedTables, fingerprintQuery, takeFingerprint } from './fingerprint.ts';
import { resultLine, runFuzz } from './run.ts';

const seed = Number(process.env.FUZZ_SEED) || Math.floor(Math.random() * 2 ** 31) + 1;
const requests = 300;

describe(`the API fuzzer (seed ${seed}: FUZZ_SEED=${seed} replays it)`, () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({
      SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000000',
      CUSTOMER_RATE_LIMIT_MULTIPLIER: '1000000',
    }));
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it(`${requests} requests: no 5xx, every error with a stable code, nothing written by a refused request`, async (t) => {
    t.diagnostic(`FUZZ_SEED=${seed}`);
    const result = await runFuzz({ base, pool: db.pool, requests, seed });
    t.diagnostic(resultLine(result));
    const failures = result.failures.map((failure) => `${failure.kind} ${failure.status}: ${failure.request}\n  → ${failure.detail}`);
    assert.deepEqual(failures, [], `seed ${seed}`);
    assert.equal(result.requests, requests);
    // The run reached past the front door: some requests succeeded and some were refused.
    assert.ok((result.byClass['2xx'] ?? 0) > 0, 'some requests succeed');
    assert.ok((result.byClass['4xx'] ?? 0) > 0, 'some requests are refused');
  });

  it('the fingerprint sees an update and a delete, and not a session being used', async () => {
    const query = await fingerprintQuery(db.pool);
    const changedBy = async (sql: string) => {
      const before = await takeFingerprint(db.pool, query);
      await db.pool.query(sql);
      return changedTables(before, await takeFingerprint(db.pool, query));
    };
    assert.deepEqual(await changedBy(`UPDATE users SET kyc_tier = kyc_tier`), ['users']);
    assert.ok(Number((await db.pool.query('SELECT count(*) FROM sessions')).rows[0].count) > 0, 'the run left sessions to change');
    assert.deepEqual(await changedBy(`UPDATE sessions SET last_seen_at = now()`), []);
    assert.deepEqual(await changedBy(`UPDATE sessions SET user_agent = 'changed by the test'`), ['sessions']);
    assert.deepEqual(await changedBy(`DELETE FROM sessions`), ['sessions']);
  });
});
