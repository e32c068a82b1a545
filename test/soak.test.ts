/**
 * The soak harness (`npm run soak`, bench/support/soak.ts) in a short run: it measures capacity,
 * holds an open-loop load, samples the server, and verifies the ledger and the audit chain after.
 * Whether a run this short is flat is not asserted (that is what the 10-minute run is for, and
 * speed belongs in benchmarks); that it samples, sees no errors and leaves a verified ledger is.
 * The verdict itself is checked on made-up samples: a leak, a growing p99 and errors are caught.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LatencyRecorder } from '../bench/support/latency.ts';
import type { LoadWindow } from '../bench/support/open-loop-load.ts';
import { analyse, runSoak, type SoakResult, type SoakSample, slope } from '../bench/support/soak.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

const root = path.resolve(import.meta.dirname, '..');

describe('soak harness', () => {
  let db: TestDatabase;
  let workDir: string;
  before(async () => {
    db = await createTestDatabase();
    workDir = await mkdtemp(path.join(tmpdir(), 'drop-soak-test-'));
  });
  after(async () => {
    await db.drop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('holds an open-loop load on a real server, samples it, and verifies the ledger and the audit chain', async () => {
    const progress: string[] = [];
    const result = await runSoak({
      root,
      workDir,
      databaseUrl: db.url,
      pool: db.pool,
      seconds: 12,
      sampleSeconds: 2,
      warmupSeconds: 2,
      capacitySeconds: 3,
      capacityWarmupSeconds: 1,
      connections: 2,
      loadFraction: 0.8,
      customers: 8,
      dropPool: 4,
      ledgerShards: 4,
      workerMode: 'inline',
      screeningLists: false,
      log: (line) => progress.push(`${new Date().toISOString()} ${line}`),
    });
    // The harness's own account of the run, shown only when an assertion fails.
    try {
      assertSampledAndVerified(result);
    } catch (error) {
      console.log(progress.join('\n'));
      throw error;
    }
  });
});

function assertSampledAndVerified(result: SoakResult) {
  assert.equal(result.samples.length, 6);
  for (const sample of result.samples) {
    assert.ok(sample.rss_mb > 0 && sample.heap_used_mb > 0, `memory sampled: ${JSON.stringify(sample)}`);
    assert.ok(sample.db_connections_drop > 0, `the server's database connections counted: ${JSON.stringify(sample)}`);
  }
  assert.ok(result.capacity_transfers_per_s > 0);
  assert.ok(result.transfers > 0);
  assert.equal(result.errors, 0, JSON.stringify(result.failures));
  assert.deepEqual(result.failures, {});
  // Every transfer the load saw accepted is in the database, and nothing else.
  assert.equal(result.committed_transfers, result.transfers);
  assert.deepEqual(result.ledger, { verified: true, violations: 0, examples: [] });
  assert.equal(result.audit.verified, true);
  assert.notEqual(result.slopes_per_minute, null);
  assert.notEqual(result.drift, null);
}

describe('soak verdict', () => {
  const steady = { warmupSeconds: 60, sampleSeconds: 10, targetRate: 100, errors: 0, ledgerOk: true, auditOk: true };
  /** A 10-minute run of 10-second samples; `shape` bends one quantity over time (minutes). */
  function run(shape: { rss?: (minute: number) => number; heap?: (minute: number) => number; latency?: (minute: number) => number } = {}) {
    const samples: SoakSample[] = [];
    const windows: LoadWindow[] = [];
    for (let n = 1; n <= 60; n++) {
      const minute = (n * 10) / 60;
      const latency = new LatencyRecorder();
      // The same spread every window: p99 is 10 × the base.
      for (let i = 1; i <= 100; i++) latency.record((shape.latency?.(minute) ?? 5) * (i === 100 || i === 99 ? 10 : 1));
      const summary = latency.summary();
      windows.push({ from: 0, to: 0, started: 1000, completed: 1000, latency, errors: 0, shed: 0, inFlight: 0 });
      samples.push({
        t_s: n * 10,
        // A saw-tooth of ±5 MB as the garbage collector runs, around a level.
        rss_mb: (shape.rss?.(minute) ?? 300) + (n % 3) * 5,
        heap_used_mb: (shape.heap?.(minute) ?? 100) + (n % 3) * 5,
        external_mb: 10,
        event_loop_p99_ms: 20,
        transfers: 1000,
        rate: 100,
        p50_ms: summary.p50,
        p99_ms: summary.p99,
        errors: 0,
        error_rate: 0,
        shed: 0,
        in_flight: 2,
        db_connections: 12,
        db_connections_drop: 11,
        pool_waiting: 0,
        load_average: 1,
      });
    }
    return analyse(samples, windows, steady);
  }

  it('draws a least-squares line', () => {
    assert.equal(
      slope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 5 },
      ]),
      2,
    );
    assert.equal(
      slope([
        { x: 0, y: 4 },
        { x: 1, y: 4 },
      ]),
      0,
    );
  });

  it('calls a steady run flat, growth in the first minute included', () => {
    const verdict = run({ rss: (minute) => (minute <= 1 ? 200 + minute * 100 : 300) });
    assert.deepEqual(verdict.not_flat_because, []);
    assert.equal(verdict.flat, true);
    assert.equal(verdict.drift?.p99_ratio, 1);
  });

  it('calls memory that grows 2% a minute a leak, in the heap or outside it', () => {
    const rss = run({ rss: (minute) => 300 * (1 + 0.02 * minute) });
    assert.equal(rss.flat, false);
    assert.match(rss.not_flat_because.join(), /RSS grows/);
    const heap = run({ heap: (minute) => 100 * (1 + 0.02 * minute) });
    assert.equal(heap.flat, false);
    assert.match(heap.not_flat_because.join(), /heap grows/);
  });

  it('calls a p99 that grows fivefold over the run growing', () => {
    const verdict = run({ latency: (minute) => 5 * (1 + minute / 2.5) });
    assert.equal(verdict.flat, false);
    assert.match(verdict.not_flat_because.join(), /p99 .* over 1.5 ×/);
  });

  it('calls a run with one error, a short load or an unverified ledger not flat', () => {
    assert.deepEqual(analyse([], [], { ...steady, errors: 1, ledgerOk: false, auditOk: false }).not_flat_because, [
      '1 errors (allowed 0)',
      'the ledger did not verify',
      'the audit chain did not verify',
      'achieved 0 transfers/s, under 0.95 × the target 100',
      'only 0 samples after the 60 s warm-up: too few to judge',
    ]);
  });
});
