/**
 * Quality of the matcher on the labelled set: each query is screened once with no threshold, the
 * score that decides it is kept, and precision, recall and F1 follow for any threshold.
 *  - a positive counts as found when its source record scores at or above the threshold;
 *  - an ordinary name alerts when any record does;
 *  - a namesake alerts when any record that gives a birth date does (a duplicate listing without
 *    any birth date cannot tell namesakes apart, so its alerts are reported separately).
 */
import type { ListSnapshot, ScreeningIndex } from '../../packages/screening/src/index.ts';
import type { LabelledQuery } from './labelled-set.ts';

export interface Scored {
  query: LabelledQuery;
  /** Positives: the source record's score (0 if absent). Others: the highest score. */
  score: number;
  /** Namesakes: the highest score on records without any birth date. */
  undatedScore: number;
  top?: string;
}

export function scoreSet(index: ScreeningIndex, snapshots: readonly ListSnapshot[], queries: readonly LabelledQuery[]): Scored[] {
  const dated = new Set<string>();
  for (const s of snapshots) for (const r of s.records) if (r.birthDates.length > 0) dated.add(`${s.list}:${r.key}`);
  return queries.map((query) => {
    const matches = index.screen(
      { name: query.name, schema: query.schema, birthDate: query.birthDate, country: query.country },
      { threshold: 0, limit: 50 },
    );
    const top = matches[0] ? `${matches[0].id} ${matches[0].matchedName} ${matches[0].score}` : undefined;
    if (query.kind === 'positive') {
      return { query, score: matches.find((m) => m.id === query.expected)?.score ?? 0, undatedScore: 0, top };
    }
    if (query.kind === 'namesake') {
      const datedBest = matches.filter((m) => dated.has(m.id))[0]?.score ?? 0;
      const undatedBest = matches.filter((m) => !dated.has(m.id))[0]?.score ?? 0;
      return { query, score: datedBest, undatedScore: undatedBest, top };
    }
    return { query, score: matches[0]?.score ?? 0, undatedScore: 0, top };
  });
}

export interface Quality {
  threshold: number;
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
  ordinaryAlertRate: number;
  namesakeAlertRate: number;
  namesakeAlertRateOnUndatedRecords: number;
}

const r4 = (x: number): number => Math.round(x * 10000) / 10000;

export function quality(scored: readonly Scored[], threshold: number): Quality {
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  let ordinary = 0;
  let ordinaryAlerts = 0;
  let namesakes = 0;
  let namesakeAlerts = 0;
  let undatedAlerts = 0;
  for (const s of scored) {
    const alert = s.score >= threshold;
    if (s.query.kind === 'positive') {
      if (alert) tp++;
      else fn++;
      continue;
    }
    if (alert) fp++;
    else tn++;
    if (s.query.kind === 'ordinary') {
      ordinary++;
      if (alert) ordinaryAlerts++;
    } else {
      namesakes++;
      if (alert) namesakeAlerts++;
      if (s.undatedScore >= threshold) undatedAlerts++;
    }
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 1;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 1;
  return {
    threshold,
    tp,
    fn,
    fp,
    tn,
    precision: r4(precision),
    recall: r4(recall),
    f1: r4(precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0),
    ordinaryAlertRate: r4(ordinary > 0 ? ordinaryAlerts / ordinary : 0),
    namesakeAlertRate: r4(namesakes > 0 ? namesakeAlerts / namesakes : 0),
    namesakeAlertRateOnUndatedRecords: r4(namesakes > 0 ? undatedAlerts / namesakes : 0),
  };
}

/** Recall per perturbation (positives) and alert rate per community (ordinary names). */
export function breakdown(scored: readonly Scored[], threshold: number): Record<string, { n: number; rate: number }> {
  const groups = new Map<string, { n: number; hits: number }>();
  for (const s of scored) {
    if (s.query.kind === 'namesake') continue;
    const key = `${s.query.kind === 'positive' ? 'recall' : 'alerts'}:${s.query.variant.replace('+dob', '')}`;
    const g = groups.get(key) ?? { n: 0, hits: 0 };
    g.n++;
    if (s.score >= threshold) g.hits++;
    groups.set(key, g);
  }
  return Object.fromEntries([...groups].sort().map(([k, g]) => [k, { n: g.n, rate: r4(g.hits / g.n) }]));
}
