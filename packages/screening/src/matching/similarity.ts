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

export interface TokenComparison {
  score: number;
  how: TokenHow;
}

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

/** How alike two tokens are, 0..1, and why. `abjad`: the query was written without short vowels. */
export function compareTokens(q: NameToken, r: NameToken, abjad: boolean): TokenComparison {
  if (q.text === r.text) return { score: 1, how: 'exact' };
  if (q.canonical === r.canonical) return { score: 0.97, how: 'variant' };
  // One- and two-letter tokens (initials, particles) match only exactly: an edit is a different word.
  if (q.text.length <= 2 || r.text.length <= 2) return NO_MATCH;
  const phoneticAgrees = q.phonetic !== '' && q.phonetic === r.phonetic;
  const skeletonCounts = abjad && q.skeleton.length >= 2;
  // Cheap bound before the distance: tokens of very different lengths cannot be one typo apart.
  if (!phoneticAgrees && !skeletonCounts) {
    const la = q.canonical.length;
    const lb = r.canonical.length;
    const bound = 1 - Math.abs(la - lb) / Math.max(la, lb);
    if (bound + 0.24 * (1 - bound) < TOKEN_MATCH_FLOOR) return NO_MATCH;
  }
  let score = Math.max(editSimilarity(q.text, r.text), editSimilarity(q.canonical, r.canonical));
  let how: TokenHow = 'edit';
  if (phoneticAgrees) {
    // Sounding alike lifts an edit similarity halfway towards 0.9, not to certainty.
    const phonetic = (score + 0.9) / 2;
    if (phonetic > score) {
      score = phonetic;
      how = 'phonetic';
    }
  }
  if (skeletonCounts) {
    const skeleton = q.skeleton === r.skeleton ? 0.92 : 0.9 * editSimilarity(q.skeleton, r.skeleton);
    if (skeleton > score) {
      score = skeleton;
      how = 'skeleton';
    }
  }
  // Typists and transliterators rarely get the first letter wrong (Watchman applies the same penalty):
  // 'Niaz' is not 'Riaz', 'Tuva' is not 'Dawwa', however alike the rest.
  if (how !== 'skeleton' && q.canonical[0] !== r.canonical[0]) score -= FIRST_LETTER_PENALTY;
  return score >= TOKEN_MATCH_FLOOR ? { score, how } : NO_MATCH;
}

const FIRST_LETTER_PENALTY = 0.1;

const NO_MATCH: TokenComparison = { score: 0, how: 'edit' };

/** A name prepared for alignment: its tokens, their weights, and the joined adjacent pairs. */
export interface PreparedName {
  tokens: NameToken[];
  weights: Float64Array;
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
const HOWS: readonly (TokenHow | 'joined')[] = ['exact', 'variant', 'phonetic', 'edit', 'skeleton', 'joined'];
const HOW_INDEX: Record<TokenHow | 'joined', number> = { exact: 0, variant: 1, phonetic: 2, edit: 3, skeleton: 4, joined: 5 };

/**
 * One-to-one alignment of query tokens with record tokens, best pairs first (greedy), order-free so
 * reordered names match. A token may also match two adjacent tokens of the other side written
 * together ('Alqaida' ~ 'Al Qaida', 'Abdullah' ~ 'Abd Allah'). Fills `out` (queryScores,
 * recordScores, queryMatch: the record token index matched, -1 if none); `links` only when asked.
 */
export function align(query: PreparedName, record: PreparedName, abjad: boolean, out: Alignment, explain = false): void {
  const qt = query.tokens;
  const rt = record.tokens;
  let n = 0;
  const push = (c: TokenComparison, how: TokenHow | 'joined', q: number, r: number): void => {
    if (n >= MAX_EDGES) return;
    edgeScore[n] = c.score;
    edgeHow[n] = HOW_INDEX[how];
    edgeQ[n] = q;
    edgeR[n] = r;
    n++;
  };
  const known = query.known;
  for (let i = 0; i < qt.length; i++) {
    const q = qt[i] as NameToken;
    const penalised = known !== undefined && known[i] === 1;
    for (let j = 0; j < rt.length; j++) {
      const c = compareTokens(q, rt[j] as NameToken, abjad);
      if (c.score === 0) continue;
      if (penalised && (c.how === 'edit' || c.how === 'phonetic')) {
        if (c.score - KNOWN_WORD_PENALTY >= TOKEN_MATCH_FLOOR)
          push({ score: c.score - KNOWN_WORD_PENALTY, how: c.how }, c.how, i * 2, j * 2);
      } else push(c, c.how, i * 2, j * 2);
    }
    if (q.kind !== 'name') continue;
    for (let j = 0; j < record.pairs.length; j++) {
      const c = compareTokens(q, record.pairs[j] as NameToken, abjad);
      if (c.score >= 0.85 && c.how !== 'phonetic') push(c, 'joined', i * 2, j * 2 + 1);
    }
  }
  for (let i = 0; i < query.pairs.length; i++) {
    const q = query.pairs[i] as NameToken;
    for (let j = 0; j < rt.length; j++) {
      if ((rt[j] as NameToken).kind !== 'name') continue;
      const c = compareTokens(q, rt[j] as NameToken, abjad);
      if (c.score >= 0.85 && c.how !== 'phonetic') push(c, 'joined', i * 2 + 1, j * 2);
    }
    // Both sides joined: a typo in a particle written together with its name ('ALR-DAGHISTANI').
    for (let j = 0; j < record.pairs.length; j++) {
      const c = compareTokens(q, record.pairs[j] as NameToken, abjad);
      if (c.score >= 0.88 && c.how !== 'phonetic') push(c, 'joined', i * 2 + 1, j * 2 + 1);
    }
  }
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
