/**
 * Token similarity and the alignment of a query name with a record name. String distance comes from
 * fastest-levenshtein; how distance, spelling variants, phonetic keys and skeletons combine into
 * one number per token pair is Drop's own.
 */
import { distance } from 'fastest-levenshtein';
import { makeToken, type NameToken } from './normalize.ts';

/** Below this a token pair is not a match at all (it contributes nothing). */
export const TOKEN_MATCH_FLOOR = 0.66;

export type TokenHow = 'exact' | 'variant' | 'phonetic' | 'edit' | 'skeleton';

/** Levenshtein distance, with one swap of neighbouring letters ('Dmirty') counted as one edit, not two. */
function editDistance(a: string, b: string): number {
  const d = distance(a, b);
  if (d < 2 || a.length !== b.length) return d;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i + 1 >= a.length || a[i] !== b[i + 1] || a[i + 1] !== b[i]) return d;
  const swapped = a.slice(0, i) + (a[i + 1] as string) + (a[i] as string) + a.slice(i + 2);
  return Math.min(d, 1 + distance(swapped, b));
}

function editSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  const lev = 1 - editDistance(a, b) / longest;
  // A shared beginning counts more than a shared end, as in Jaro-Winkler: typos are rarer in the first letters.
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && a[prefix] === b[prefix]) prefix++;
  return lev + prefix * 0.05 * (1 - lev);
}

/** Why the last `compareTokens` call scored what it did (an index into HOWS); set with every call, so no object is allocated. */
export let comparedHow = 3; // 'edit'

/** How alike two tokens are, 0..1 (0 below the match floor); why in `comparedHow`. `abjad`: the query was written without short vowels. */
export function compareTokens(q: NameToken, r: NameToken, abjad: boolean): number {
  comparedHow = HOW_EDIT;
  if (q.text === r.text) {
    comparedHow = HOW_EXACT;
    return 1;
  }
  if (q.canonical === r.canonical) {
    comparedHow = HOW_VARIANT;
    return 0.97;
  }
  // One- and two-letter tokens (initials, particles) match only exactly: an edit is a different word.
  // Arabic script writes 'bin' as 'bn': for such a query, equal consonants are enough.
  if (q.text.length <= 2 || r.text.length <= 2) {
    if (!abjad || q.skeleton.length < 2 || q.skeleton !== r.skeleton) return 0;
    comparedHow = HOW_SKELETON;
    return 0.92;
  }
  const phoneticAgrees = q.phonetic !== '' && q.phonetic === r.phonetic;
  const skeletonCounts = abjad && q.skeleton.length >= 2;
  const firstLetterDiffers = q.canonical[0] !== r.canonical[0];
  // Cheap bound before the distance: tokens of very different lengths cannot be one typo apart.
  if (!phoneticAgrees && !skeletonCounts) {
    const la = q.canonical.length;
    const lb = r.canonical.length;
    const bound = 1 - Math.abs(la - lb) / Math.max(la, lb);
    const best = firstLetterDiffers ? bound - FIRST_LETTER_PENALTY : bound + 0.2 * (1 - bound);
    if (best < TOKEN_MATCH_FLOOR) return 0;
  }
  let score = editSimilarity(q.text, r.text);
  if (q.canonical !== q.text || r.canonical !== r.text) score = Math.max(score, editSimilarity(q.canonical, r.canonical));
  let how = HOW_EDIT;
  if (phoneticAgrees) {
    // Sounding alike lifts an edit similarity halfway towards 0.9, not to certainty.
    const phonetic = (score + 0.9) / 2;
    if (phonetic > score) {
      score = phonetic;
      how = HOW_PHONETIC;
    }
  }
  if (skeletonCounts) {
    const skeleton = q.skeleton === r.skeleton ? 0.92 : 0.9 * editSimilarity(q.skeleton, r.skeleton);
    if (skeleton > score) {
      score = skeleton;
      how = HOW_SKELETON;
    }
  }
  // Typists and transliterators rarely get the first letter wrong (Watchman applies the same penalty):
  // 'Niaz' is not 'Riaz', 'Tuva' is not 'Dawwa', however alike the rest.
  if (how !== HOW_SKELETON && firstLetterDiffers) score -= FIRST_LETTER_PENALTY;
  comparedHow = how;
  return score >= TOKEN_MATCH_FLOOR ? score : 0;
}

const FIRST_LETTER_PENALTY = 0.1;
const HOW_EXACT = 0;
const HOW_VARIANT = 1;
const HOW_PHONETIC = 2;
const HOW_EDIT = 3;
const HOW_SKELETON = 4;

/** A name prepared for alignment: its tokens, their weights, and the joined adjacent pairs. */
export interface PreparedName {
  tokens: NameToken[];
  weights: Float64Array;
  /** Query side only: what a token that found no partner counts for (a person's middle names less). */
  unmatchedWeights?: Float64Array;
  totalWeight: number;
  /** `pairs[i]` is tokens i and i+1 written together ('al qaida' → 'alqaida'). */
  pairs: NameToken[];
  /** Query side only: 1 where the token is itself a word of the lists (so not a typo of another). */
  known?: Uint8Array;
}

/**
 * A query word that the lists themselves use as a name ('Karim', 'Salma') is not a typo of a
 * neighbouring name ('Qasim', 'Salim'): its edit and phonetic likeness to another word counts less.
 */
const KNOWN_WORD_PENALTY = 0.08;

export function joinedPairs(tokens: readonly NameToken[]): NameToken[] {
  const pairs: NameToken[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i] as NameToken;
    const b = tokens[i + 1] as NameToken;
    pairs.push(makeToken(a.text + b.text, 'name'));
  }
  return pairs;
}

export interface TokenLink {
  query: string;
  record: string;
  score: number;
  how: TokenHow | 'joined';
}

export interface Alignment {
  /** Per query token: the similarity of the record token it was matched to, 0 when unmatched. */
  queryScores: Float64Array;
  recordScores: Float64Array;
  /** Per query token: the index of the (first) record token it was matched to, -1 when unmatched. */
  queryMatch: Int32Array;
  links: TokenLink[];
}

// Edge buffers reused across calls: alignment runs for every candidate and must not allocate.
const MAX_EDGES = 4096;
const edgeScore = new Float64Array(MAX_EDGES);
const edgeHow = new Uint8Array(MAX_EDGES);
const edgeQ = new Int32Array(MAX_EDGES); // q0 * 2 + (joined on the query side ? 1 : 0)
const edgeR = new Int32Array(MAX_EDGES);
const order = new Int32Array(MAX_EDGES);
let edgeCount = 0;

function push(score: number, how: number, q: number, r: number): void {
  if (edgeCount >= MAX_EDGES) return;
  edgeScore[edgeCount] = score;
  edgeHow[edgeCount] = how;
  edgeQ[edgeCount] = q;
  edgeR[edgeCount] = r;
  edgeCount++;
}
const HOWS: readonly (TokenHow | 'joined')[] = ['exact', 'variant', 'phonetic', 'edit', 'skeleton', 'joined'];

/**
 * Token comparisons of one query, cached per record token: the same tokens (Mohammad, Abdul, LLC)
 * recur across candidate names, and each pair of words is compared once per query. A row holds the
 * comparison of every query unit (its tokens, then its joined pairs) with one record token.
 */
export class ComparisonCache {
  private stamp: Uint32Array;
  private offset: Int32Array;
  private scores = new Float32Array(1 << 14);
  private hows = new Uint8Array(1 << 14);
  private used = 0;
  private generation = 0;
  private units: NameToken[] = [];
  private abjad = false;

  constructor(vocabularySize: number) {
    this.stamp = new Uint32Array(vocabularySize);
    this.offset = new Int32Array(vocabularySize);
  }

  begin(query: PreparedName, abjad: boolean): void {
    this.units = query.tokens.concat(query.pairs);
    this.abjad = abjad;
    this.used = 0;
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }

  /** Where record token `r`'s row starts (comparisons computed on first use). */
  row(r: NameToken): number {
    const id = r.id;
    if (id >= 0 && this.stamp[id] === this.generation) return this.offset[id] as number;
    const n = this.units.length;
    if (this.used + n > this.scores.length) {
      const scores = new Float32Array(Math.max(this.scores.length * 2, this.used + n));
      scores.set(this.scores);
      this.scores = scores;
      const hows = new Uint8Array(scores.length);
      hows.set(this.hows);
      this.hows = hows;
    }
    const base = this.used;
    for (let u = 0; u < n; u++) {
      this.scores[base + u] = compareTokens(this.units[u] as NameToken, r, this.abjad);
      this.hows[base + u] = comparedHow;
    }
    this.used += n;
    if (id >= 0) {
      this.stamp[id] = this.generation;
      this.offset[id] = base;
    }
    return base;
  }

  score(at: number): number {
    return this.scores[at] as number;
  }

  how(at: number): number {
    return this.hows[at] as number;
  }
}

const EDIT = HOW_EDIT;
const PHONETIC = HOW_PHONETIC;
const JOINED = 5;

/**
 * One-to-one alignment of query tokens with record tokens, best pairs first (greedy), order-free so
 * reordered names match. A token may also match two adjacent tokens of the other side written
 * together ('Alqaida' ~ 'Al Qaida', 'Abdullah' ~ 'Abd Allah'). Fills `out` (queryScores,
 * recordScores, queryMatch: the record token index matched, -1 if none); `links` only when asked.
 * `cache` must have begun this query.
 */
export function align(query: PreparedName, record: PreparedName, cache: ComparisonCache, out: Alignment, explain = false): void {
  const qt = query.tokens;
  const rt = record.tokens;
  const nq = qt.length;
  const nPairs = query.pairs.length;
  const known = query.known;
  edgeCount = 0;
  for (let j = 0; j < rt.length; j++) {
    const r = rt[j] as NameToken;
    const base = cache.row(r);
    for (let i = 0; i < nq; i++) {
      const score = cache.score(base + i);
      if (score === 0) continue;
      const how = cache.how(base + i);
      if (known !== undefined && known[i] === 1 && (how === EDIT || how === PHONETIC)) {
        if (score - KNOWN_WORD_PENALTY >= TOKEN_MATCH_FLOOR) push(score - KNOWN_WORD_PENALTY, how, i * 2, j * 2);
      } else push(score, how, i * 2, j * 2);
    }
    if (r.kind !== 'name') continue;
    for (let i = 0; i < nPairs; i++) {
      const at = base + nq + i;
      if (cache.score(at) >= 0.85 && cache.how(at) !== PHONETIC) push(cache.score(at), JOINED, i * 2 + 1, j * 2);
    }
  }
  for (let j = 0; j < record.pairs.length; j++) {
    const base = cache.row(record.pairs[j] as NameToken);
    for (let i = 0; i < nq; i++) {
      if ((qt[i] as NameToken).kind !== 'name') continue;
      const at = base + i;
      if (cache.score(at) >= 0.85 && cache.how(at) !== PHONETIC) push(cache.score(at), JOINED, i * 2, j * 2 + 1);
    }
    // Both sides joined: a typo in a particle written together with its name ('ALR-DAGHISTANI').
    for (let i = 0; i < nPairs; i++) {
      const at = base + nq + i;
      if (cache.score(at) >= 0.88 && cache.how(at) !== PHONETIC) push(cache.score(at), JOINED, i * 2 + 1, j * 2 + 1);
    }
  }
  const n = edgeCount;
  // Insertion sort, best first: there are rarely more than a dozen edges.
  for (let k = 0; k < n; k++) {
    let m = k;
    while (m > 0 && (edgeScore[order[m - 1] as number] as number) < (edgeScore[k] as number)) {
      order[m] = order[m - 1] as number;
      m--;
    }
    order[m] = k;
  }
  const { queryScores, recordScores, queryMatch } = out;
  queryScores.fill(0, 0, qt.length);
  recordScores.fill(0, 0, rt.length);
  queryMatch.fill(-1, 0, qt.length);
  out.links.length = 0;
  for (let k = 0; k < n; k++) {
    const e = order[k] as number;
    const eq = edgeQ[e] as number;
    const er = edgeR[e] as number;
    const q0 = eq >> 1;
    const q1 = q0 + (eq & 1);
    const r0 = er >> 1;
    const r1 = r0 + (er & 1);
    if (queryMatch[q0] !== -1 || queryMatch[q1] !== -1 || recordScores[r0] !== 0 || recordScores[r1] !== 0) continue;
    const score = edgeScore[e] as number;
    for (let i = q0; i <= q1; i++) {
      queryMatch[i] = r0;
      queryScores[i] = score;
    }
    for (let j = r0; j <= r1; j++) recordScores[j] = score;
    if (explain) {
      out.links.push({
        query: qt
          .slice(q0, q1 + 1)
          .map((t) => t.text)
          .join(' '),
        record: rt
          .slice(r0, r1 + 1)
          .map((t) => t.text)
          .join(' '),
        score,
        how: HOWS[edgeHow[e] as number] as TokenHow | 'joined',
      });
    }
  }
}

export function alignmentBuffers(size = 64): Alignment {
  return {
    queryScores: new Float64Array(size),
    recordScores: new Float64Array(size),
    queryMatch: new Int32Array(size),
    links: [],
  };
}
