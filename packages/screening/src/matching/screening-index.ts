/**
 * The in-memory screening index: built once from the current list snapshots, then asked one name
 * at a time. Candidate generation reads inverted indexes (token, spelling variant, phonetic key,
 * one-edit deletions, consonant skeleton, joined token pairs) so a query touches tens to a few
 * hundred names, never the whole list; only those candidates are scored.
 */
import type { ListName, ListRecord, ListSnapshot, RecordName } from '../model.ts';
import { compareBirthDates } from './birth-date.ts';
import { MAX_TOKENS, type NameToken, normalizeName, type TokenKind } from './normalize.ts';
import { Postings } from './postings.ts';
import { recordHash } from './record-hash.ts';
import { type Alignment, align, alignmentBuffers, ComparisonCache, joinedPairs, type PreparedName } from './similarity.ts';
import type { ScreeningMatch, ScreeningQuery } from './types.ts';

/**
 * The score at or above which Drop alerts in production. Chosen on the labelled set of
 * `npm run bench:screening`: the lowest threshold of its sweep at which ordinary names and namesakes
 * with distant birth dates stay below the 0.5% false-positive target (recall 0.98 there).
 */
export const ALERT_THRESHOLD = 0.8;

const KIND_WEIGHT: Record<TokenKind, number> = { name: 1, particle: 0.15, legal: 0.1 };
/** Middle names weigh less than the first and last: people drop them, but not their surname. */
const MIDDLE_WEIGHT = 0.4;
/** Candidates must share at least this part of the query's weight through some index key. */
const CANDIDATE_MIN_SHARE = 0.35;
const MAX_CANDIDATES = 40;
/** Names scoring below this are not reported even with `threshold: 0`. */
const SCORE_FLOOR = 0.4;
const SINGLE_TOKEN_CAP = 0.7;

interface IndexedRecord {
  list: ListName;
  record: ListRecord;
  hash: string;
}

interface IndexedName extends PreparedName {
  /** Token weights before the middle-name discount: what a query token matched to it is worth. */
  rawWeights: Float64Array;
  record: number;
  raw: RecordName;
  /** Number of identity-bearing tokens ('name' kind). */
  nameTokens: number;
}

type Group = 'Person' | 'Organization';

class Partition {
  readonly names: IndexedName[] = [];
  readonly df = new Map<string, number>();
  /** Every token text the partition's names use, as written (not folded). */
  readonly vocabulary = new Set<string>();
  recordCount = 0;
  readonly byToken = new Postings();
  readonly byPhonetic = new Postings();
  readonly byDeletion = new Postings();
  readonly bySkeleton = new Postings();
  maxIdf = 1;
  /** One object per distinct token (kind and text), numbered, so comparisons are cached per token. */
  readonly tokens = new Map<string, NameToken>();
  cache = new ComparisonCache(0);
  acc = new Float64Array(0);
  stamp = new Uint32Array(0);
  stampCounter = 0;

  intern(token: NameToken): NameToken {
    const key = `${token.kind}:${token.text}`;
    const known = this.tokens.get(key);
    if (known) return known;
    token.id = this.tokens.size;
    this.tokens.set(key, token);
    return token;
  }

  idf(canonical: string): number {
    return Math.log(1 + this.recordCount / (1 + (this.df.get(canonical) ?? 0)));
  }
}

/** The token itself and every one-letter deletion of it (symmetric-delete typo lookup). */
function deletionKeys(text: string): string[] {
  if (text.length < 4) return [text];
  const keys = [text];
  for (let i = 0; i < text.length; i++) {
    const key = text.slice(0, i) + text.slice(i + 1);
    if (key !== keys[keys.length - 1]) keys.push(key);
  }
  return keys;
}

function groupOf(schema: ListRecord['schema']): Group {
  return schema === 'Person' ? 'Person' : 'Organization';
}

/** Gives the event loop back (setImmediate in Node; a zero timeout elsewhere). */
function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

export class ScreeningIndex {
  private readonly records: IndexedRecord[] = [];
  private readonly partitions: Record<Group, Partition> = { Person: new Partition(), Organization: new Partition() };

  private readonly buffers = alignmentBuffers(MAX_TOKENS + 1);

  private constructor() {}

  /** Number of records indexed (people, organisations, vessels, aircraft). */
  get size(): number {
    return this.records.length;
  }

  static build(snapshots: readonly ListSnapshot[]): ScreeningIndex {
    const index = new ScreeningIndex();
    for (const snapshot of snapshots) {
      for (const record of snapshot.records) index.addRecord(snapshot.list, record);
    }
    for (const p of Object.values(index.partitions)) index.finish(p);
    return index;
  }

  /**
   * The same index, built in slices that give the event loop back every `slice` records: a server
   * builds it (seconds for every list) while it answers requests and signals.
   */
  static async buildAsync(snapshots: readonly ListSnapshot[], options: { slice?: number } = {}): Promise<ScreeningIndex> {
    const slice = options.slice ?? 250;
    const index = new ScreeningIndex();
    let added = 0;
    for (const snapshot of snapshots) {
      for (const record of snapshot.records) {
        index.addRecord(snapshot.list, record);
        if (++added % slice === 0) await yieldToEventLoop();
      }
    }
    for (const p of Object.values(index.partitions)) {
      await yieldToEventLoop();
      index.finish(p);
    }
    return index;
  }

  private addRecord(list: ListName, record: ListRecord): void {
    const id = this.records.length;
    this.records.push({ list, record, hash: recordHash(record) });
    const group = groupOf(record.schema);
    const p = this.partitions[group];
    p.recordCount++;
    const seenNames = new Set<string>();
    const seenTokens = new Set<string>();
    for (const raw of record.names) {
      const normalized = normalizeName(raw.full, group);
      const tokens = normalized.tokens.map((t) => p.intern(t));
      if (tokens.length === 0) continue;
      const signature = tokens.map((t) => t.text).join(' ');
      if (seenNames.has(signature)) continue;
      seenNames.add(signature);
      const nameId = p.names.length;
      const pairs = joinedPairs(tokens).map((t) => p.intern(t));
      p.names.push({
        record: id,
        raw,
        tokens,
        pairs,
        weights: new Float64Array(tokens.length),
        rawWeights: new Float64Array(tokens.length),
        totalWeight: 0,
        nameTokens: tokens.filter((t) => t.kind === 'name').length,
      });
      for (const t of tokens) {
        seenTokens.add(t.canonical);
        p.vocabulary.add(t.text);
        p.byToken.add(t.text, nameId);
        p.byToken.add(t.canonical, nameId);
        if (t.kind !== 'name') continue;
        p.byPhonetic.add(t.phonetic, nameId);
        for (const key of deletionKeys(t.text)) p.byDeletion.add(key, nameId);
        if (t.skeleton.length >= 2) p.bySkeleton.add(t.skeleton, nameId);
      }
      for (const pair of pairs) {
        p.byToken.add(pair.text, nameId);
        p.byPhonetic.add(pair.phonetic, nameId);
        if (pair.skeleton.length >= 3) p.bySkeleton.add(pair.skeleton, nameId);
      }
    }
    for (const t of seenTokens) p.df.set(t, (p.df.get(t) ?? 0) + 1);
  }

  private finish(p: Partition): void {
    p.maxIdf = Math.log(1 + p.recordCount);
    for (const name of p.names) {
      const nameIdx = name.tokens.map((t, i) => (t.kind === 'name' ? i : -1)).filter((i) => i >= 0);
      const first = nameIdx[0];
      const last = nameIdx[nameIdx.length - 1];
      const organisation = groupOf(this.records[name.record]?.record.schema ?? 'Person') === 'Organization';
      let total = 0;
      name.tokens.forEach((t, i) => {
        const anchor = organisation || t.kind !== 'name' || i === first || i === last;
        const raw = p.idf(t.canonical) * KIND_WEIGHT[t.kind];
        const w = raw * (anchor ? 1 : MIDDLE_WEIGHT);
        name.rawWeights[i] = raw;
        name.weights[i] = w;
        total += w;
      });
      name.totalWeight = total;
    }
    for (const postings of [p.byToken, p.byPhonetic, p.byDeletion, p.bySkeleton]) postings.freeze();
    p.cache = new ComparisonCache(p.tokens.size);
    p.acc = new Float64Array(p.names.length);
    p.stamp = new Uint32Array(p.names.length);
  }

  /** Matches for one name, best first. Defaults: `threshold` ALERT_THRESHOLD, `limit` 10. */
  screen(query: ScreeningQuery, options: { threshold?: number; limit?: number } = {}): ScreeningMatch[] {
    const threshold = options.threshold ?? ALERT_THRESHOLD;
    const limit = options.limit ?? 10;
    const group: Group = query.schema === 'Person' ? 'Person' : 'Organization';
    const p = this.partitions[group];
    const normalized = normalizeName(query.name, group);
    if (normalized.tokens.length === 0 || p.names.length === 0) return [];
    const prepared = this.prepareQuery(p, normalized.tokens, group === 'Person');
    const candidates = this.candidates(p, prepared, normalized.abjad);
    p.cache.begin(prepared, normalized.abjad);

    // Best name per record; explanations are written only for the records reported.
    const best = new Map<number, { score: number; name: IndexedName }>();
    for (const nameId of candidates) {
      const name = p.names[nameId] as IndexedName;
      const score = scoreName(prepared, name, p.cache, this.buffers).score;
      if (score < SCORE_FLOOR) continue;
      const current = best.get(name.record);
      // At equal score a strong name wins over a weak alias, so the weak-alias cap applies only when it must.
      if (current === undefined || score > current.score || (score === current.score && current.name.raw.quality === 'weak')) {
        best.set(name.record, { score, name });
      }
    }

    const matches: ScreeningMatch[] = [];
    for (const [recordId, hit] of best) {
      const indexed = this.records[recordId] as IndexedRecord;
      const { record } = indexed;
      // Cheap to settle before explaining: a record far below the threshold is dropped here.
      const dob = compareBirthDates(query.birthDate, record.birthDates);
      const country = compareCountry(query.country, record.countries);
      if (hit.score + dob.adjustment + country.adjustment < threshold) continue;
      const named = scoreName(prepared, hit.name, p.cache, this.buffers, true);
      const explanation = {
        queryName: query.name,
        matchedName: hit.name.raw.full,
        features: named.features,
        notes: named.notes,
      };
      let score = hit.score;
      explanation.features.birthDate = dob.adjustment;
      if (dob.note) explanation.notes.push(dob.note);
      score += dob.adjustment;
      explanation.features.country = country.adjustment;
      if (country.note) explanation.notes.push(country.note);
      score += country.adjustment;
      if (hit.name.raw.quality === 'weak' && score >= ALERT_THRESHOLD) {
        score = ALERT_THRESHOLD - 0.01;
        explanation.features.weakAliasCap = 1;
        explanation.notes.push('matched only a weak alias: capped below the alert threshold');
      }
      score = Math.round(Math.max(0, Math.min(1, score)) * 1000) / 1000;
      explanation.features.score = score;
      if (score < threshold) continue;
      matches.push({
        id: `${indexed.list}:${record.key}`,
        list: indexed.list,
        key: record.key,
        score,
        name: record.names[0]?.full ?? '',
        matchedName: hit.name.raw.full,
        topics: record.topics,
        schema: record.schema,
        programmes: record.programmes,
        recordHash: indexed.hash,
        explanation,
      });
    }
    matches.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return matches.slice(0, limit);
  }

  private prepareQuery(p: Partition, tokens: NameToken[], person: boolean): PreparedName {
    const weights = new Float64Array(tokens.length);
    const unmatchedWeights = new Float64Array(tokens.length);
    const nameIdx = tokens.map((t, i) => (t.kind === 'name' ? i : -1)).filter((i) => i >= 0);
    const first = nameIdx[0];
    const last = nameIdx[nameIdx.length - 1];
    let total = 0;
    tokens.forEach((t, i) => {
      // An initial, or a one- or two-letter word the lists never use, is noise more than identity.
      const noise = t.text.length === 1 || (t.text.length === 2 && !p.vocabulary.has(t.text));
      const w = p.idf(t.canonical) * KIND_WEIGHT[noise ? 'particle' : t.kind];
      weights[i] = w;
      // A person's middle name the list does not carry counts less when missing (BankID gives the
      // full legal name, 'Joaquin Archivaldo Guzman Loera'; lists often carry 'Joaquin Guzman Loera').
      const middle = person && t.kind === 'name' && i !== first && i !== last;
      unmatchedWeights[i] = middle ? w * MIDDLE_WEIGHT : w;
      total += w;
    });
    const known = new Uint8Array(tokens.length);
    tokens.forEach((t, i) => {
      if (p.vocabulary.has(t.text)) known[i] = 1;
    });
    return { tokens, weights, unmatchedWeights, totalWeight: total, pairs: joinedPairs(tokens), known };
  }

  /** Names sharing enough of the query's weight through any index key, heaviest first. */
  private candidates(p: Partition, q: PreparedName, abjad: boolean): number[] {
    const touched: number[] = [];
    const { acc, stamp } = p;
    // Each query token (or joined pair) adds its weight once to every name reached by any of its keys.
    let w = 0;
    let s = 0;
    const visitor = (id: number): void => {
      if (stamp[id] === s) return;
      stamp[id] = s;
      if (acc[id] === 0) touched.push(id);
      acc[id] = (acc[id] as number) + w;
    };
    const nextStamp = (): number => {
      p.stampCounter = (p.stampCounter + 1) >>> 0;
      if (p.stampCounter === 0) {
        stamp.fill(0);
        p.stampCounter = 1;
      }
      return p.stampCounter;
    };
    const nameOnly = q.tokens.some((t) => t.kind === 'name');
    q.tokens.forEach((t, i) => {
      w = q.weights[i] as number;
      s = nextStamp();
      p.byToken.forEach(t.text, visitor);
      p.byToken.forEach(t.canonical, visitor);
      // Particles and legal forms match everything; they add weight only through exact tokens.
      if (t.kind !== 'name' && nameOnly) return;
      p.byPhonetic.forEach(t.phonetic, visitor);
      for (const key of deletionKeys(t.text)) p.byDeletion.forEach(key, visitor);
      if (abjad && t.skeleton.length >= 2) p.bySkeleton.forEach(t.skeleton, visitor);
    });
    q.pairs.forEach((pair, i) => {
      w = ((q.weights[i] as number) + (q.weights[i + 1] as number)) / 2;
      s = nextStamp();
      p.byToken.forEach(pair.text, visitor);
      p.byPhonetic.forEach(pair.phonetic, visitor);
      if (abjad && pair.skeleton.length >= 3) p.bySkeleton.forEach(pair.skeleton, visitor);
    });
    const min = q.totalWeight * CANDIDATE_MIN_SHARE;
    let kept: number[] = [];
    for (const id of touched) {
      if ((acc[id] as number) >= min) kept.push(id);
    }
    if (kept.length > MAX_CANDIDATES) {
      // Many names share common tokens (Mohammad, Abdul): among them, prefer names of the query's length.
      const n = q.tokens.length;
      for (const id of kept) {
        const m = (p.names[id] as IndexedName).tokens.length;
        acc[id] = (acc[id] as number) * (0.6 + (0.4 * Math.min(n, m)) / Math.max(n, m));
      }
      kept.sort((a, b) => (acc[b] as number) - (acc[a] as number));
      kept = kept.slice(0, MAX_CANDIDATES);
    }
    for (const id of touched) acc[id] = 0;
    return kept;
  }
}

function compareCountry(query: string | undefined, countries: readonly string[]): { adjustment: number; note?: string } {
  if (!query || countries.length === 0) return { adjustment: 0 };
  const code = query.toUpperCase();
  if (countries.includes(code)) return { adjustment: 0.02, note: `country ${code} matches` };
  return { adjustment: -0.04, note: `country ${code} not among ${countries.join(', ')}` };
}

interface NameScore {
  score: number;
  features: Record<string, number>;
  notes: string[];
}

const NO_NOTES: string[] = [];
const NO_FEATURES: Record<string, number> = {};

/**
 * The name score, 0..1: how alike the matched tokens are (weighted mean similarity), times how
 * much of the query's weight found a partner, times how much of the record's (middle names
 * discounted). A query token matched to a record token is worth what the record token is worth, so
 * a typo in a common word does not count as a rare unknown word.
 */
function scoreName(query: PreparedName, name: IndexedName, cache: ComparisonCache, buffers: Alignment, explain = false): NameScore {
  align(query, name, cache, buffers, explain);
  const { queryScores, queryMatch, recordScores } = buffers;
  let qMatched = 0;
  let qTotal = 0;
  let simWeighted = 0;
  for (let i = 0; i < query.tokens.length; i++) {
    const own = query.weights[i] as number;
    const j = queryMatch[i] as number;
    if (j < 0) {
      qTotal += query.unmatchedWeights?.[i] ?? own;
      continue;
    }
    const w = Math.min(own, name.rawWeights[j] as number);
    qTotal += w;
    qMatched += w;
    simWeighted += w * (queryScores[i] as number);
  }
  let rMatched = 0;
  let rNameTokensMatched = 0;
  for (let j = 0; j < name.tokens.length; j++) {
    if ((recordScores[j] as number) === 0) continue;
    rMatched += name.weights[j] as number;
    if (name.tokens[j]?.kind === 'name') rNameTokensMatched++;
  }
  const similarity = qMatched > 0 ? simWeighted / qMatched : 0;
  const queryCoverage = qTotal > 0 ? qMatched / qTotal : 0;
  const recordCoverage = name.totalWeight > 0 ? rMatched / name.totalWeight : 0;
  let score = similarity * queryCoverage * (0.3 + 0.7 * recordCoverage);
  // One shared given name (Mohammed, Ali) is not a match with a person who has a family name too.
  const singleToken = name.nameTokens >= 2 && rNameTokensMatched < 2 && score > SINGLE_TOKEN_CAP;
  if (singleToken) score = SINGLE_TOKEN_CAP;
  if (!explain) return { score, features: NO_FEATURES, notes: NO_NOTES };
  const notes = buffers.links.map((l) =>
    l.how === 'exact' ? `'${l.query}' = '${l.record}'` : `'${l.query}' ~ '${l.record}' (${l.how} ${l.score.toFixed(2)})`,
  );
  const features: Record<string, number> = {
    tokenSimilarity: round(similarity),
    queryCoverage: round(queryCoverage),
    recordCoverage: round(recordCoverage),
    phoneticOrVariant: buffers.links.filter((l) => l.how !== 'exact' && l.how !== 'edit').length,
  };
  if (singleToken) {
    features.singleTokenCap = 1;
    notes.push(`only one name token matched: capped at ${SINGLE_TOKEN_CAP}`);
  }
  features.name = round(score);
  return { score, features, notes };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
