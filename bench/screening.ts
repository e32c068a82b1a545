/**
 * `npm run bench:screening`: the in-process name matcher against every shipped list.
 *   - build: parse the shipped files (P1's parsers) and build the ScreeningIndex;
 *   - latency: one name at a time, a mixed stream (listed names with perturbations, ordinary names,
 *     namesakes), p50/p99 per name and names/s on one core. The machine is shared, so the stream
 *     runs BENCH_PASSES times and the best pass is reported beside the median pass;
 *   - baseline, same run: a naive scan scoring the query against every record name with plain
 *     Levenshtein (fastest-levenshtein), on BENCH_NAIVE queries; the index's speed-up is the ratio;
 *   - quality on the labelled set of bench/screening/labelled-set.ts (seeded, built from the lists;
 *     built before the matcher was tuned): precision, recall, F1, ordinary names alerting, namesakes
 *     alerting, per perturbation and per community, and a threshold sweep.
 * Prints one line `RESULT {json}` with every figure.
 * Settings: BENCH_SEED (12), BENCH_POSITIVES (3000), BENCH_ORDINARY (4000), BENCH_COMPANIES (500),
 * BENCH_NAMESAKES (1000), BENCH_PASSES (3), BENCH_NAIVE (300).
 */
import { loadavg } from 'node:os';
import anyAscii from 'any-ascii';
import { distance } from 'fastest-levenshtein';
import {
  ALERT_THRESHOLD,
  type ListSnapshot,
  parseListFiles,
  readListFiles,
  ScreeningIndex,
  SHIPPED_LISTS,
} from '../packages/screening/src/index.ts';
import { breakdown, quality, scoreSet } from './screening/evaluate.ts';
import { buildLabelledSet, type LabelledQuery, prng } from './screening/labelled-set.ts';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const SEED = env('BENCH_SEED', 12);
const PASSES = env('BENCH_PASSES', 3);
const NAIVE = env('BENCH_NAIVE', 300);
const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

// Lists and index.
let started = performance.now();
const snapshots: ListSnapshot[] = SHIPPED_LISTS.map((s) => parseListFiles(s.format, readListFiles(s.files)));
const parseMs = performance.now() - started;
const records = Object.fromEntries(snapshots.map((s) => [s.list, s.records.length]));
const heapBefore = process.memoryUsage().heapUsed;
started = performance.now();
const index = ScreeningIndex.build(snapshots);
const buildMs = performance.now() - started;
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
log(`lists parsed in ${round(parseMs, 0)} ms: ${JSON.stringify(records)}; index of ${index.size} records built in ${round(buildMs, 0)} ms`);

// The labelled set.
const set = buildLabelledSet(snapshots, {
  seed: SEED,
  positives: env('BENCH_POSITIVES', 3000),
  ordinary: env('BENCH_ORDINARY', 4000),
  ordinaryCompanies: env('BENCH_COMPANIES', 500),
  namesakes: env('BENCH_NAMESAKES', 1000),
});
const queries = set.queries;
const count = (f: (q: LabelledQuery) => boolean): number => queries.filter(f).length;
const composition = {
  total: queries.length,
  positives: count((q) => q.kind === 'positive'),
  positivePersons: count((q) => q.kind === 'positive' && q.schema === 'Person'),
  positiveOrganizations: count((q) => q.kind === 'positive' && q.schema === 'Organization'),
  positivesWithBirthDate: count((q) => q.kind === 'positive' && q.birthDate !== undefined),
  positivesByList: Object.fromEntries(
    snapshots.map((s) => [s.list, count((q) => q.kind === 'positive' && q.expected?.startsWith(`${s.list}:`) === true)]),
  ),
  ordinaryPersons: count((q) => q.kind === 'ordinary' && q.schema === 'Person'),
  ordinaryCompanies: count((q) => q.kind === 'ordinary' && q.schema === 'Organization'),
  ordinaryDroppedAsListed: set.droppedAsListed,
  namesakes: count((q) => q.kind === 'namesake'),
};
log(`labelled set: ${JSON.stringify(composition)}`);

// Quality.
started = performance.now();
const scored = scoreSet(index, snapshots, queries);
log(`labelled set scored in ${round(performance.now() - started, 0)} ms`);
const atThreshold = quality(scored, ALERT_THRESHOLD);
const sweep = [0.7, 0.75, 0.78, 0.8, 0.82, 0.85, 0.9].map((t) => quality(scored, t));
for (const q of sweep) log(`threshold ${q.threshold}: ${JSON.stringify(q)}`);
const perGroup = breakdown(scored, ALERT_THRESHOLD);
log(`at ${ALERT_THRESHOLD}: ${JSON.stringify(perGroup)}`);

// A second set from another seed, never looked at while tuning: the figures that did not steer the matcher.
const HOLDOUT_SEED = env('BENCH_HOLDOUT_SEED', 2027);
const holdoutSet = buildLabelledSet(snapshots, {
  seed: HOLDOUT_SEED,
  positives: env('BENCH_POSITIVES', 3000),
  ordinary: env('BENCH_ORDINARY', 4000),
  ordinaryCompanies: env('BENCH_COMPANIES', 500),
  namesakes: env('BENCH_NAMESAKES', 1000),
});
const holdout = quality(scoreSet(index, snapshots, holdoutSet.queries), ALERT_THRESHOLD);
log(`holdout (seed ${HOLDOUT_SEED}) at ${ALERT_THRESHOLD}: ${JSON.stringify(holdout)}`);

// Latency: the same mixed stream, shuffled, one name at a time, production options.
const rng = prng(SEED + 1);
const stream = queries.map((q) => ({ name: q.name, schema: q.schema, birthDate: q.birthDate, country: q.country }));
for (let i = stream.length - 1; i > 0; i--) {
  const j = Math.floor(rng() * (i + 1));
  [stream[i], stream[j]] = [stream[j] as (typeof stream)[number], stream[i] as (typeof stream)[number]];
}
for (let i = 0; i < Math.min(2000, stream.length); i++) index.screen(stream[i] as (typeof stream)[number]);
const passes: { p50: number; p99: number; max: number; namesPerSecond: number }[] = [];
for (let pass = 0; pass < PASSES; pass++) {
  const times = new Float64Array(stream.length);
  const passStart = performance.now();
  for (let i = 0; i < stream.length; i++) {
    const t = performance.now();
    index.screen(stream[i] as (typeof stream)[number]);
    times[i] = performance.now() - t;
  }
  const total = performance.now() - passStart;
  const sorted = [...times].sort((a, b) => a - b);
  passes.push({
    p50: round(percentile(sorted, 0.5), 4),
    p99: round(percentile(sorted, 0.99), 4),
    max: round(sorted[sorted.length - 1] as number, 2),
    namesPerSecond: round((stream.length / total) * 1000, 0),
  });
  log(`latency pass ${pass + 1}: ${JSON.stringify(passes[pass])}`);
}
// CPU time per name (process.cpuUsage around each call): what the matcher costs, whatever else runs on the machine.
const cpuTimes = new Float64Array(stream.length);
for (let i = 0; i < stream.length; i++) {
  const before = process.cpuUsage();
  index.screen(stream[i] as (typeof stream)[number]);
  const used = process.cpuUsage(before);
  cpuTimes[i] = (used.user + used.system) / 1000;
}
const cpuSorted = [...cpuTimes].sort((a, b) => a - b);
const cpu = {
  p50Ms: round(percentile(cpuSorted, 0.5), 4),
  p99Ms: round(percentile(cpuSorted, 0.99), 4),
  meanMs: round(cpuSorted.reduce((a, b) => a + b, 0) / cpuSorted.length, 4),
};
log(`cpu time per name: ${JSON.stringify(cpu)}`);
const byP99 = [...passes].sort((a, b) => a.p99 - b.p99);
const best = byP99[0] as (typeof passes)[number];
const median = byP99[Math.floor(byP99.length / 2)] as (typeof passes)[number];

// Baseline: a naive scan with plain Levenshtein over every record name.
const flat = (s: string): string =>
  anyAscii(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const allNames: string[] = [];
for (const s of snapshots) for (const r of s.records) for (const n of r.names) allNames.push(flat(n.full));
const naiveQueries = stream.slice(0, NAIVE).map((q) => flat(q.name));
started = performance.now();
let checksum = 0;
for (const q of naiveQueries) {
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const n of allNames) {
    const d = distance(q, n);
    if (d < bestDistance) bestDistance = d;
  }
  checksum += bestDistance;
}
const naiveMs = (performance.now() - started) / naiveQueries.length;
started = performance.now();
for (const q of stream.slice(0, NAIVE)) index.screen(q);
const indexMs = (performance.now() - started) / naiveQueries.length;
log(`naive scan: ${round(naiveMs, 2)} ms per name over ${allNames.length} names (checksum ${checksum}); index ${round(indexMs, 3)} ms`);

const result = {
  bench: 'screening',
  lists: records,
  indexedRecords: index.size,
  recordNames: allNames.length,
  parseMs: round(parseMs, 0),
  buildMs: round(buildMs, 0),
  indexHeapMb: round(heapMb, 0),
  threshold: ALERT_THRESHOLD,
  latency: {
    names: stream.length,
    passes: PASSES,
    p50Ms: best.p50,
    p99Ms: best.p99,
    namesPerSecond: best.namesPerSecond,
    medianPass: median,
    cpuTimePerName: cpu,
    namesPerCpuSecond: round(1000 / cpu.meanMs, 0),
    p99TargetMs: 1,
    p99VsTarget: round(best.p99 / 1, 3),
    namesPerSecondTarget: 2000,
    namesPerSecondVsTarget: round(best.namesPerSecond / 2000, 2),
    loadAverage1m: round(loadavg()[0] as number, 2),
  },
  baseline: {
    naiveLevenshteinMsPerName: round(naiveMs, 3),
    indexMsPerName: round(indexMs, 4),
    speedup: round(naiveMs / indexMs, 0),
    queries: naiveQueries.length,
  },
  quality: {
    ...atThreshold,
    targets: { recall: 0.98, ordinaryAlertRate: 0.005, f1: 0.95 },
    perGroup,
    sweep: sweep.map(({ threshold, precision, recall, f1, ordinaryAlertRate, namesakeAlertRate }) => ({
      threshold,
      precision,
      recall,
      f1,
      ordinaryAlertRate,
      namesakeAlertRate,
    })),
  },
  holdout: { seed: HOLDOUT_SEED, queries: holdoutSet.queries.length, ...holdout },
  set: { seed: SEED, ...composition },
};
console.log(`RESULT ${JSON.stringify(result)}`);
