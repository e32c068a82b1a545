/**
 * Screens customers and recipients against the lists in memory and records what it finds.
 *
 * Results are cached per index (a new list version builds a new index, and with it an empty
 * cache) and per subject and query, so the transfer path screens both parties without a database
 * round trip and without scoring again: the cache key is exactly "subject and list version" plus
 * the name asked about, so an edited name is screened afresh.
 */
import type { ScreeningPartyMatch } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import type { ScreeningIndex, ScreeningMatch } from '@drop/screening';
import type { ScreeningSubject, ScreeningSubjectType } from './screening-subjects.ts';

/** What a recorded screening means for the subject: nothing, enhanced due diligence, or a hold. */
export type ScreeningVerdict = 'clear' | 'edd' | 'hold';

/** Where the current index comes from (the services' holder, rebuilt when a list version lands). */
export interface ScreeningIndexSource {
  get(): Promise<ScreeningIndex>;
  /** The index checked against the database's current versions now, rebuilt if one landed. */
  upToDate(): Promise<ScreeningIndex>;
}

/**
 * One match as `create_transfer(p_screening)` and `aml_record_screening(p_matches)` take it (the
 * contract's `ScreeningPartyMatch`): the list record, the score and the explanation, so the alert
 * can show why without the index.
 */
export type PartyMatch = ScreeningPartyMatch;

const CACHE_LIMIT = 50_000;

export class SubjectScreener {
  readonly #indexes: ScreeningIndexSource;
  readonly #threshold: number | undefined;
  #cachedFor: ScreeningIndex | undefined;
  #cache = new Map<string, ScreeningMatch[]>();

  /** `threshold`: the alert threshold; the matcher's production default when left out. */
  constructor(indexes: ScreeningIndexSource, options: { threshold?: number } = {}) {
    this.#indexes = indexes;
    this.#threshold = options.threshold;
  }

  /** The subject's matches at or above the alert threshold, best first (cached per index). */
  async screen(subject: ScreeningSubject): Promise<ScreeningMatch[]> {
    const index = await this.#indexes.get();
    if (index !== this.#cachedFor) {
      this.#cachedFor = index;
      this.#cache = new Map();
    }
    const key = `${subject.type}:${subject.id}:${subject.query.schema}:${subject.query.birthDate ?? ''}:${subject.query.name}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const matches = index.screen(subject.query, this.#threshold === undefined ? {} : { threshold: this.#threshold });
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(key, matches);
    return matches;
  }

  /** Whether the cache already holds this subject's answer for the current index. */
  async isCached(type: ScreeningSubjectType, id: string): Promise<boolean> {
    const index = await this.#indexes.get();
    if (index !== this.#cachedFor) return false;
    const prefix = `${type}:${id}:`;
    for (const key of this.#cache.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  /**
   * Screens the subject and records the result through `aml_record_screening` in the caller's
   * transaction: matches are stored, cleared ones ignored, alerts raised, a sanctions hit freezes
   * the customer and a PEP hit asks for enhanced due diligence.
   */
  async screenAndRecord(tx: DbClient, subject: ScreeningSubject, transactionId?: string): Promise<ScreeningVerdict> {
    const matches = await this.screen(subject);
    return recordScreening(tx, subject, matches, transactionId);
  }
}

export function partyMatches(party: PartyMatch['party'], subject: ScreeningSubject, matches: readonly ScreeningMatch[]): PartyMatch[] {
  return matches.map((match) => ({
    party,
    subjectId: subject.id,
    list: match.list,
    key: match.key,
    recordHash: match.recordHash,
    score: match.score,
    topics: [...match.topics],
    name: match.name,
    matchedName: match.matchedName,
    queryName: subject.query.name,
    explanation: { ...match.explanation },
  }));
}

/** Records matches (possibly none) for a subject; returns the verdict the database reached. */
export async function recordScreening(
  tx: DbClient,
  subject: ScreeningSubject,
  matches: readonly ScreeningMatch[],
  transactionId?: string,
): Promise<ScreeningVerdict> {
  if (matches.length === 0) return 'clear';
  const payload = partyMatches(subject.type === 'customer' ? 'sender' : 'recipient', subject, matches);
  const { rows } = await tx.query<{ verdict: ScreeningVerdict }>('SELECT aml_record_screening($1, $2, $3, $4, $5::jsonb) AS verdict', [
    subject.userId,
    subject.type,
    subject.id,
    transactionId ?? null,
    JSON.stringify(payload),
  ]);
  return rows[0]?.verdict ?? 'clear';
}
