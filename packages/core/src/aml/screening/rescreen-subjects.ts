/**
 * Continuous screening: when a list gets a new version, every customer and recipient is screened
 * again, and only matches on records that are new or changed in that version count (the delta).
 * Records that did not change were already screened against these subjects when they were
 * added, or by an earlier run. Subjects are scored against the whole current index, so a score
 * means the same here as at KYC or at a transfer; the delta filters what is recorded.
 *
 * `screening_progress` remembers, per list, the version everyone was last screened against, so a
 * run that dies is simply run again, and runs for several versions at once fold into one.
 */
import { type Db, withTransaction } from '@drop/db';
import type { ListName, ListRecord } from '@drop/screening';
import {
  CUSTOMER_IDENTITY_COLUMNS,
  type CustomerIdentity,
  customerSubject,
  RECIPIENT_IDENTITY_COLUMNS,
  type RecipientIdentity,
  recipientSubject,
  type ScreeningSubject,
} from './screening-subjects.ts';
import { recordScreening, type SubjectScreener } from './subject-screener.ts';

/** What the list store tells continuous screening (see core/aml/lists). */
export interface ListVersionSource {
  currentListVersions(db: Db): Promise<{ list: ListName; version: number }[]>;
  changedRecords(db: Db, list: ListName, fromVersion: number, toVersion: number): Promise<{ changed: ListRecord[] }>;
}

export interface RescreenResult {
  lists: { list: ListName; from: number; to: number; changedRecords: number }[];
  subjects: number;
  subjectsMatched: number;
  holds: number;
}

const BATCH = 500;

export async function rescreenSubjects(
  db: Db,
  input: { screener: SubjectScreener; lists: ListVersionSource; signal?: AbortSignal },
): Promise<RescreenResult> {
  const current = await input.lists.currentListVersions(db);
  const { rows: progress } = await db.query<{ list: ListName; version: number }>('SELECT list, version FROM screening_progress');
  const screenedVersion = new Map(progress.map((row) => [row.list, row.version]));

  const changedIds = new Set<string>();
  const lists: RescreenResult['lists'] = [];
  for (const { list, version } of current) {
    const from = screenedVersion.get(list) ?? 0;
    if (from === version) continue;
    const delta = await input.lists.changedRecords(db, list, from, version);
    for (const record of delta.changed) changedIds.add(`${list}:${record.key}`);
    lists.push({ list, from, to: version, changedRecords: delta.changed.length });
  }
  const result: RescreenResult = { lists, subjects: 0, subjectsMatched: 0, holds: 0 };
  if (lists.length === 0) return result;

  if (changedIds.size > 0) {
    for await (const batch of subjectBatches(db)) {
      // A shutdown stops between batches; progress is saved only at the end, so the next run redoes it.
      input.signal?.throwIfAborted();
      const found: { subject: ScreeningSubject; matches: Awaited<ReturnType<SubjectScreener['screen']>> }[] = [];
      for (const subject of batch) {
        result.subjects++;
        const matches = (await input.screener.screen(subject)).filter((match) => changedIds.has(match.id));
        if (matches.length > 0) found.push({ subject, matches });
      }
      if (found.length === 0) continue;
      await withTransaction(db, async (tx) => {
        await tx.query(`SELECT set_config('drop.actor', 'continuous-screening', true)`);
        for (const { subject, matches } of found) {
          result.subjectsMatched++;
          if ((await recordScreening(tx, subject, matches)) === 'hold') result.holds++;
        }
      });
    }
  }

  await db.query(
    `INSERT INTO screening_progress (list, version, screened_at, subjects, subjects_matched)
     SELECT list, version, now(), $3, $4 FROM unnest($1::text[], $2::int[]) AS t (list, version)
     ON CONFLICT (list) DO UPDATE SET version = EXCLUDED.version, screened_at = EXCLUDED.screened_at,
       subjects = EXCLUDED.subjects, subjects_matched = EXCLUDED.subjects_matched`,
    [lists.map((entry) => entry.list), lists.map((entry) => entry.to), result.subjects, result.subjectsMatched],
  );
  return result;
}

/** Customers who are or may become customers, then live recipients, in id order, a batch at a time. */
async function* subjectBatches(db: Db): AsyncGenerator<ScreeningSubject[]> {
  let after = '';
  for (;;) {
    const { rows } = await db.query<CustomerIdentity>(
      `SELECT ${CUSTOMER_IDENTITY_COLUMNS} FROM users
        WHERE id > $1 AND deleted_at IS NULL AND kyc_status <> 'not_started' ORDER BY id LIMIT $2`,
      [after, BATCH],
    );
    if (rows.length === 0) break;
    after = rows.at(-1)?.id ?? after;
    yield rows.flatMap((row) => customerSubject(row) ?? []);
  }
  after = '';
  for (;;) {
    const { rows } = await db.query<RecipientIdentity>(
      `SELECT ${RECIPIENT_IDENTITY_COLUMNS.split(', ')
        .map((column) => `r.${column}`)
        .join(', ')}
         FROM recipients r JOIN users u ON u.id = r.user_id
        WHERE r.id > $1 AND r.deleted_at IS NULL AND u.deleted_at IS NULL ORDER BY r.id LIMIT $2`,
      [after, BATCH],
    );
    if (rows.length === 0) break;
    after = rows.at(-1)?.id ?? after;
    yield rows.map(recipientSubject);
  }
}
