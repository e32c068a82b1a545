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
import { analyse, type MemoryAfterGc, runSoak, type SoakResult, type SoakSample, slope } from '../bench/support/soak.ts';
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
      pool: db.owner,
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
    assert.equal(typeof sample.checkpoints, 'number', `the database's checkpoints counted: ${JSON.stringify(sample)}`);
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
  // The live heap was read through the inspector before and after the load.
  assert.ok(result.memory_after_full_gc && result.memory_after_full_gc.heap_before_mb > 0 && result.memory_after_full_gc.heap_after_mb > 0);
}

describe('soak verdict', () => {
  const steady = { warmupSeconds: 60, sampleSeconds: 10, targetRate: 100, errors: 0, ledgerOk: true, auditOk: true };
  /** Live heap and RSS after a full collection over 9 minutes of load, growing by the given MB/min. */
  function collected(growth: { heap?: number; rss?: number } = {}): MemoryAfterGc {
    const heap = growth.heap ?? 0.1;
    const rss = growth.rss ?? 0.2;
    return {
      heap_before_mb: 100,
      heap_after_mb: 100 + 9 * heap,
      rss_before_mb: 300,
      rss_after_mb: 300 + 9 * rss,
      minutes: 9,
      heap_growth_mb_per_min: heap,
      rss_growth_mb_per_min: rss,
      heap_bytes_per_transfer: 20,
    };
  }
  /** A 10-minute run of 10-second samples; `latency` bends the transfers' latency over time (minutes). */
  function run(shape: { latency?: (minute: number) => number; memory?: MemoryAfterGc | null } = {}) {
    const samples: SoakSample[] = [];
    const windows: LoadWindow[] = [];
    for (let n = 1; n <= 60; n++) {
      const minute = (n * 10) / 60;
      const latency = new LatencyRecorder();
      // The same spread every window: p99 is 10 × the base.
      for (let i = 1; i <= 100; i++) latency.record((shape.latency?.(minute) ?? 5) * (i === 100 || i === 99 ? 10 : 1));
      const summary = latency.summary();
      windows.push({ from: 0, to: 0, started: 1000, completed: 1000, latency, errors: 0, shed: 0, inFlight: 0 });
      // The heap climbs 200 MB between major collections every two and a half minutes: a
      // saw-tooth whose raw least-squares slope is far from zero over a run of this length.
      const sawTooth = ((n * 10) % 150) * (200 / 150);
      samples.push({
        t_s: n * 10,
        rss_mb: 400 + sawTooth,
        heap_used_mb: 200 + sawTooth,
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
        checkpoints: 3,
        autovacuum_workers: 0,
        load_average: 1,
      });
    }
    return analyse(samples, windows, { ...steady, memory: shape.memory === undefined ? collected() : shape.memory });
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

  it('calls a steady run flat, and judges memory by what survives a full collection, not by the saw-tooth', () => {
    const verdict = run();
    assert.deepEqual(verdict.not_flat_because, []);
    assert.equal(verdict.flat, true);
    assert.equal(verdict.drift?.p99_ratio, 1);
    // The sampled heap's slope is reported; it is the saw-tooth's phase, not a leak.
    assert.notEqual(verdict.slopes_per_minute?.heap_used_mb, 0);
  });

  it('calls memory that grows 2% a minute after full collections a leak, in the heap or outside it', () => {
    const heap = run({ memory: collected({ heap: 2 }) });
    assert.equal(heap.flat, false);
    assert.deepEqual(heap.not_flat_because, ['the live heap grows 2 MB/min, not under 1 (1% of 100 MB)']);
    const rss = run({ memory: collected({ rss: 6 }) });
    assert.equal(rss.flat, false);
    assert.deepEqual(rss.not_flat_because, ['RSS after a full collection grows 6 MB/min, not under 3 (1% of 300 MB)']);
    assert.deepEqual(run({ memory: null }).not_flat_because, ['memory after a full collection was not measured']);
  });

  it('calls a p99 that grows fivefold over the run growing', () => {
    const verdict = run({ latency: (minute) => 5 * (1 + minute / 2.5) });
    assert.equal(verdict.flat, false);
    assert.match(verdict.not_flat_because.join(), /p99 .* over 1.5 ×/);
  });

  it('calls a run with one error, a short load or an unverified ledger not flat', () => {
    assert.deepEqual(analyse([], [], { ...steady, errors: 1, ledgerOk: false, auditOk: false, memory: null }).not_flat_because, [
      '1 errors (allowed 0)',
      'the ledger did not verify',
      'the audit chain did not verify',
      'achieved 0 transfers/s, under 0.95 × the target 100',
      'only 0 samples after the 60 s warm-up: too few to judge',
    ]);
  });
});
