import type { ListName, ListTopic, SubjectSchema } from '../model.ts';

/** One name to screen: a customer, a recipient, or one line of `drop screen`. */
export interface ScreeningQuery {
  name: string;
  schema: 'Person' | 'Organization';
  /** 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'. */
  birthDate?: string;
  /** ISO 3166-1 alpha-2: nationality for a person, country of registration for an organisation. */
  country?: string;
}

/**
 * The explanation's features that are 0..1 agreement scores, in the order a reviewer reads them:
 * the name score, how alike the matched parts are, and how much of each side found a partner. The
 * other features are not scores: `birthDate` and `country` are adjustments added to the name
 * score (negative on a conflict), `phoneticOrVariant` counts links made by sound or spelling
 * variant, and `*Cap` flags say a cap applied; the notes say each in words.
 */
export const SCORE_FEATURES = ['name', 'tokenSimilarity', 'queryCoverage', 'recordCoverage'] as const;

export interface ScreeningExplanation {
  queryName: string;
  matchedName: string;
  /** Per-feature scores: name, queryCoverage, recordCoverage, tokenSimilarity, birthDate, country, caps (see README of the matcher). */
  features: Record<string, number>;
  /** Human-readable reasons: which tokens matched how, birth date and country agreement or conflict, caps applied. */
  notes: string[];
}

export interface ScreeningMatch {
  /** `${list}:${key}` */
  id: string;
  list: ListName;
  key: string;
  /** 0..1 */
  score: number;
  /** The record's primary name. */
  name: string;
  /** The record's name (alias) that matched best. */
  matchedName: string;
  topics: ListTopic[];
  schema: SubjectSchema;
  programmes: string[];
  /** Stable hash of the record's content: changes when the publisher changes the record. */
  recordHash: string;
  explanation: ScreeningExplanation;
}
