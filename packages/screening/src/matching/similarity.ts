/**
 * Token similarity and the alignment of a query name with a record name. String distance comes from
 * fastest-levenshtein; how distance, spelling variants, phonetic keys and skeletons combine into
 * one number per token pair is Drop's own.
 */
import { distance } from 'fastest-levenshtein';
import { makeToken, type NameToken } from './normalize.ts';

/** Below this a token pair is not a match at all (it contributes nothing). */
export const TOKEN_MATCH_FLOOR = 0.76;

export type TokenHow = 'exact' | 'variant' | 'phonetic' | 'edit' | 'skeleton';

export interface TokenComparison {
  score: number;
  how: TokenHow;
}

function editSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  const lev = 1 - distance(a, b) / longest;
  // A shared beginning counts more than a shared end, as in Jaro-Winkler: typos are rarer in the first letters.
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && a[prefix] === b[prefix]) prefix++;
  return lev + prefix * 0.06 * (1 - lev);
}

/** How alike two tokens are, 0..1, and why. `abjad`: the query was written without short vowels. */
export function compareTokens(q: NameToken, r: NameToken, abjad: boolean): TokenComparison {
  if (q.text === r.text) return { score: 1, how: 'exact' };
  if (q.canonical === r.canonical) return { score: 0.97, how: 'variant' };
  // One- and two-letter tokens (initials, particles) match only exactly: an edit is a different word.
  if (q.text.length <= 2 || r.text.length <= 2) return { score: 0, how: 'edit' };
  let score = editSimilarity(q.text, r.text);
  let how: TokenHow = 'edit';
  if (q.phonetic !== '' && q.phonetic === r.phonetic) {
    const phonetic = (score + 1) / 2;
    if (phonetic > score) {
      score = phonetic;
      how = 'phonetic';
    }
  }
  if (abjad && q.skeleton.length >= 2) {
    const skeleton = q.skeleton === r.skeleton ? 0.92 : 0.9 * editSimilarity(q.skeleton, r.skeleton);
    if (skeleton > score) {
      score = skeleton;
      how = 'skeleton';
    }
  }
  return { score, how };
}

/** A name prepared for alignment: its tokens, their weights, and the joined adjacent pairs. */
export interface PreparedName {
  tokens: NameToken[];
  weights: Float64Array;
  totalWeight: number;
  /** `pairs[i]` is tokens i and i+1 written together ('al qaida' → 'alqaida'). */
  pairs: NameToken[];
}

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
  links: TokenLink[];
}

interface Edge {
  score: number;
  how: TokenHow | 'joined';
  q0: number;
  q1: number; // inclusive; q1 = q0 + 1 when the query side is a joined pair
  r0: number;
  r1: number;
}

/**
 * One-to-one alignment of query tokens with record tokens, best pairs first (greedy), order-free so
 * reordered names match. A token may also match two adjacent tokens of the other side written
 * together ('Alqaida' ~ 'Al Qaida', 'Abdullah' ~ 'Abd Allah').
 */
export function align(query: PreparedName, record: PreparedName, abjad: boolean): Alignment {
  const edges: Edge[] = [];
  const qt = query.tokens;
  const rt = record.tokens;
  for (let i = 0; i < qt.length; i++) {
    const q = qt[i] as NameToken;
    for (let j = 0; j < rt.length; j++) {
      const c = compareTokens(q, rt[j] as NameToken, abjad);
      if (c.score >= TOKEN_MATCH_FLOOR) edges.push({ score: c.score, how: c.how, q0: i, q1: i, r0: j, r1: j });
    }
    for (let j = 0; j < record.pairs.length; j++) {
      const c = compareTokens(q, record.pairs[j] as NameToken, abjad);
      if (c.score >= 0.85) edges.push({ score: c.score, how: 'joined', q0: i, q1: i, r0: j, r1: j + 1 });
    }
  }
  for (let i = 0; i < query.pairs.length; i++) {
    const q = query.pairs[i] as NameToken;
    for (let j = 0; j < rt.length; j++) {
      const c = compareTokens(q, rt[j] as NameToken, abjad);
      if (c.score >= 0.85) edges.push({ score: c.score, how: 'joined', q0: i, q1: i + 1, r0: j, r1: j });
    }
  }
  edges.sort((a, b) => b.score - a.score);
  const queryScores = new Float64Array(qt.length);
  const recordScores = new Float64Array(rt.length);
  const qUsed = new Uint8Array(qt.length);
  const rUsed = new Uint8Array(rt.length);
  const links: TokenLink[] = [];
  for (const e of edges) {
    if (qUsed[e.q0] || qUsed[e.q1] || rUsed[e.r0] || rUsed[e.r1]) continue;
    for (let i = e.q0; i <= e.q1; i++) {
      qUsed[i] = 1;
      queryScores[i] = e.score;
    }
    for (let j = e.r0; j <= e.r1; j++) {
      rUsed[j] = 1;
      recordScores[j] = e.score;
    }
    links.push({
      query: qt
        .slice(e.q0, e.q1 + 1)
        .map((t) => t.text)
        .join(' '),
      record: rt
        .slice(e.r0, e.r1 + 1)
        .map((t) => t.text)
        .join(' '),
      score: e.score,
      how: e.how,
    });
  }
  return { queryScores, recordScores, links };
}
