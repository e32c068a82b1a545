import type { AmlAlertDetail, AmlAlertEvent, ListRecordView, ScreeningMatchView } from '@drop/contracts';
import type { Db } from '@drop/db';
import { SCORE_FEATURES } from '@drop/screening';
import { DomainError } from '../../errors.ts';
import { ALERT_COLUMNS, type AlertRow, alertFromRow } from './list-aml-alerts.ts';

interface DetailRow extends AlertRow {
  details: Record<string, unknown>;
  reviewed_at: Date | null;
  reviewed_by: string | null;
  reviewed_by_name: string | null;
  reviewer_notes: string | null;
  outcome: AmlAlertDetail['outcome'];
  assigned_to: string | null;
  assigned_to_name: string | null;
  assigned_at: Date | null;
  birth_date: string | null;
  kyc_status: AmlAlertDetail['customer']['kycStatus'];
  aml_frozen_at: Date | null;
  deleted_at: Date | null;
  receive_amount: string | null;
  receive_currency: string | null;
  transfer_created_at: Date | null;
  recipient_id: string | null;
  recipient_name: string | null;
  recipient_country: string | null;
  case_id: string | null;
}

interface MatchRow {
  id: string;
  status: ScreeningMatchView['status'];
  subject_type: ScreeningMatchView['subjectType'];
  subject_id: string;
  list: string;
  record_key: string;
  record_hash: string;
  score: string | number;
  topics: string[];
  name: string;
  matched_name: string | null;
  query_name: string | null;
  explanation: { queryName?: string; matchedName?: string; features?: Record<string, unknown>; notes?: unknown[] } | null;
  created_at: Date;
}

interface RecordRow {
  key: string;
  schema: string;
  topics: string[];
  names: Array<{ full: string; quality?: string; lang?: string }>;
  birth_dates: Array<{ date?: string; fromYear?: number; toYear?: number }>;
  countries: string[];
  programmes: string[];
  listed_on: string | null;
  remarks: string | null;
  record_hash: string;
  version: number;
  current: boolean;
}

/** The rule's facts: `details.facts` as the rules engine writes it; an older alert's whole details otherwise. */
function factsOf(details: Record<string, unknown>): Record<string, unknown> {
  const facts = details.facts;
  if (facts && typeof facts === 'object' && !Array.isArray(facts)) return facts as Record<string, unknown>;
  const { action: _action, summary: _summary, ...rest } = details;
  return rest;
}

function birthDateText(birth: RecordRow['birth_dates'][number]): string | undefined {
  if (birth.date) return birth.date;
  if (birth.fromYear !== undefined && birth.toYear !== undefined) {
    return birth.fromYear === birth.toYear ? String(birth.fromYear) : `${birth.fromYear}–${birth.toYear}`;
  }
  return undefined;
}

/**
 * The list record a match points at: from the current version of its list when that still holds
 * the key, else from the newest stored version that does (the record was delisted since). Null
 * when this database has no stored lists (sanctions_list_records) or no version holds the key.
 */
async function listRecord(db: Db, match: MatchRow): Promise<ListRecordView | null> {
  const stored = await db.query<{ present: boolean }>(`SELECT to_regclass('sanctions_list_records') IS NOT NULL AS present`);
  if (!stored.rows[0]?.present) return null;
  const { rows } = await db.query<RecordRow>(
    `SELECT r.key, r.schema, r.topics, r.names, r.birth_dates, r.countries, r.programmes, r.listed_on, r.remarks, r.record_hash,
            v.version, v.current
       FROM sanctions_list_records r JOIN sanctions_list_versions v ON v.id = r.version_id
      WHERE v.list = $1 AND r.key = $2
      ORDER BY v.current DESC, v.version DESC LIMIT 1`,
    [match.list, match.record_key],
  );
  const record = rows[0];
  if (!record) return null;
  return {
    list: match.list,
    key: record.key,
    schema: record.schema,
    topics: record.topics,
    programmes: record.programmes,
    names: record.names.map((name) => ({
      full: name.full,
      quality: name.quality === 'primary' || name.quality === 'weak' ? name.quality : 'strong',
      lang: name.lang ?? null,
    })),
    birthDates: record.birth_dates.map(birthDateText).filter((text): text is string => text !== undefined),
    countries: record.countries,
    listedOn: record.listed_on,
    remarks: record.remarks,
    version: record.version,
    current: record.current,
    sameAsMatched: record.record_hash === match.record_hash,
  };
}

async function screeningMatch(db: Db, id: string | null): Promise<ScreeningMatchView | null> {
  if (!id) return null;
  const { rows } = await db.query<MatchRow>(
    `SELECT id, status, subject_type, subject_id, list, record_key, record_hash, score, topics, name, matched_name, query_name,
            explanation, created_at
       FROM screening_matches WHERE id = $1`,
    [id],
  );
  const match = rows[0];
  if (!match) return null;
  // The matcher's 0..1 scores, in its reading order; its adjustments (birth date, country) and
  // caps are in the notes, in words.
  const given = match.explanation?.features ?? {};
  const features = SCORE_FEATURES.flatMap((name) => {
    const score = given[name];
    return typeof score === 'number' && Number.isFinite(score) ? [{ name, score }] : [];
  });
  return {
    id: match.id,
    status: match.status,
    subjectType: match.subject_type,
    subjectId: match.subject_id,
    list: match.list,
    key: match.record_key,
    score: Number(match.score),
    topics: match.topics,
    queryName: match.query_name ?? match.explanation?.queryName ?? '',
    matchedName: match.matched_name ?? match.explanation?.matchedName ?? match.name,
    recordName: match.name,
    features,
    notes: (match.explanation?.notes ?? []).filter((note): note is string => typeof note === 'string'),
    recordHash: match.record_hash,
    createdAt: match.created_at.toISOString(),
    record: await listRecord(db, match),
  };
}

interface EventRow {
  kind: AmlAlertEvent['kind'];
  actor: string;
  actor_name: string | null;
  assigned_to: string | null;
  assigned_to_name: string | null;
  outcome: AmlAlertEvent['outcome'];
  text: string | null;
  created_at: Date;
}

/** The alert's history (aml_alert_events), oldest first, with the staff members' names. */
async function history(db: Db, alertId: string): Promise<AmlAlertEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT e.kind, e.actor, actor.full_name AS actor_name, e.assigned_to, assignee.full_name AS assigned_to_name, e.outcome, e.text, e.created_at
       FROM aml_alert_events e LEFT JOIN staff actor ON actor.id = e.actor LEFT JOIN staff assignee ON assignee.id = e.assigned_to
      WHERE e.alert_id = $1 ORDER BY e.id`,
    [alertId],
  );
  return rows.map((row) => ({
    kind: row.kind,
    actor: row.actor,
    actorName: row.actor_name,
    assignedTo: row.assigned_to,
    assignedToName: row.assigned_to_name,
    outcome: row.outcome,
    text: row.text,
    createdAt: row.created_at.toISOString(),
  }));
}

/**
 * One alert and why it fired: the rule's facts, the customer and the transfer, the recipient it
 * is about, and for a name match the screened name beside the listed one, with the per-feature
 * scores and the list record. NOT_FOUND for an unknown id.
 */
export async function getAmlAlert(db: Db, alertId: string): Promise<AmlAlertDetail> {
  const { rows } = await db.query<DetailRow>(
    `SELECT ${ALERT_COLUMNS}, a.details, a.reviewed_at, a.reviewed_by, reviewer.full_name AS reviewed_by_name, a.reviewer_notes,
            a.outcome, a.assigned_to, assignee.full_name AS assigned_to_name, a.assigned_at,
            u.birth_date::text AS birth_date, u.kyc_status, u.aml_frozen_at, u.deleted_at,
            t.receive_currency, t.created_at AS transfer_created_at,
            format_minor(t.receive_amount_minor, t.receive_currency) AS receive_amount,
            r.id AS recipient_id, r.name AS recipient_name, r.country AS recipient_country, a.case_id
       FROM aml_alerts a JOIN users u ON a.user_id = u.id LEFT JOIN transactions t ON a.transaction_id = t.id
       LEFT JOIN recipients r ON r.id = CASE WHEN a.subject_type = 'recipient' THEN a.subject_id ELSE t.recipient_id END
       LEFT JOIN staff assignee ON assignee.id = a.assigned_to
       LEFT JOIN staff reviewer ON reviewer.id = a.reviewed_by
      WHERE a.id = $1`,
    [alertId],
  );
  const row = rows[0];
  if (!row) throw new DomainError('NOT_FOUND', 'No such alert.');
  const alert = alertFromRow(row);
  return {
    ...alert,
    facts: factsOf(row.details ?? {}),
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
    reviewedBy: row.reviewed_by,
    reviewedByName: row.reviewed_by_name,
    reviewerNotes: row.reviewer_notes,
    outcome: row.outcome,
    assignedTo: row.assigned_to ? { id: row.assigned_to, name: row.assigned_to_name ?? row.assigned_to } : null,
    assignedAt: row.assigned_at?.toISOString() ?? null,
    history: await history(db, row.id),
    customer: {
      id: row.user_id,
      name: row.customer_name,
      email: row.email,
      birthDate: row.birth_date,
      kycStatus: row.kyc_status,
      amlFrozenAt: row.aml_frozen_at?.toISOString() ?? null,
      deletedAt: row.deleted_at?.toISOString() ?? null,
    },
    transfer:
      row.transaction_id && row.transfer_status && row.send_amount && row.transfer_created_at
        ? {
            id: row.transaction_id,
            status: row.transfer_status,
            sendAmount: row.send_amount,
            receiveAmount: row.receive_amount,
            receiveCurrency: row.receive_currency,
            createdAt: row.transfer_created_at.toISOString(),
          }
        : null,
    recipient:
      row.recipient_id && row.recipient_name && row.recipient_country
        ? { id: row.recipient_id, name: row.recipient_name, country: row.recipient_country }
        : null,
    screeningMatch: await screeningMatch(db, row.screening_match_id),
    caseId: row.case_id,
  };
}
