/**
 * AML alerts as the rules engine and screening write them, for the console's API and browser
 * tests: a critical alert raised by a sanctions name match (with its screening match and, where
 * the lists are stored, the list record it points at), and a rule alert carrying its facts.
 */
import { newId } from '@drop/db';
import type pg from 'pg';

/** An id of a kind the lists' and rules' own parts define (`slv_…`, `scm_…`). */
const idOf = (prefix: string) => `${prefix}_${newId('tx').slice('tx_'.length)}`;

/** A listed person as a stored list version holds it (the shape of @drop/screening's ListRecord). */
const LISTED = {
  list: 'ofac-sdn',
  key: '36100',
  schema: 'Person',
  topics: ['sanction'],
  names: [
    { full: 'Vladimir Vladimirovich PUTIN', quality: 'primary' },
    { full: 'Владимир Владимирович Путин', quality: 'strong', lang: 'rus' },
  ],
  birthDates: [{ date: '1952-10-07' }],
  countries: ['RU'],
  programmes: ['RUSSIA-EO14024'],
  listedOn: '2022-02-25',
  remarks: 'President of the Russian Federation',
  recordHash: 'c0ffee0000000000000000000000000000000000000000000000000000000001',
};

/**
 * Stores the record in a list version (the current one of its list). Where this database has no
 * stored lists yet (the lists' migration has not landed), the two tables are made in that
 * migration's shape first, so the view that reads them can be tested either way.
 */
async function storeListRecord(pool: pg.Pool): Promise<void> {
  const present = (await pool.query(`SELECT to_regclass('sanctions_list_records') IS NOT NULL AS present`)).rows[0].present;
  if (!present) {
    await pool.query(`CREATE TABLE sanctions_list_versions (id text PRIMARY KEY, list text NOT NULL, version integer NOT NULL,
      format text NOT NULL, sha256 text NOT NULL, record_count integer NOT NULL, imported_by text NOT NULL, source text NOT NULL,
      current boolean NOT NULL DEFAULT false, imported_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(`CREATE TABLE sanctions_list_records (version_id text NOT NULL REFERENCES sanctions_list_versions (id), key text NOT NULL,
      schema text NOT NULL, topics text[] NOT NULL, names jsonb NOT NULL, birth_dates jsonb NOT NULL DEFAULT '[]', countries text[] NOT NULL DEFAULT '{}',
      programmes text[] NOT NULL DEFAULT '{}', listed_on text, remarks text, record_hash text NOT NULL, PRIMARY KEY (version_id, key))`);
  }
  const versionId = idOf('slv');
  await pool.query(`UPDATE sanctions_list_versions SET current = false WHERE list = $1 AND current`, [LISTED.list]);
  await pool.query(
    `INSERT INTO sanctions_list_versions (id, list, version, format, sha256, record_count, imported_by, source, current)
     VALUES ($1, $2, (SELECT coalesce(max(version), 0) + 1 FROM sanctions_list_versions WHERE list = $2), 'ofac-csv', repeat('a', 64), 1, 'test', 'file', true)`,
    [versionId, LISTED.list],
  );
  await pool.query(
    `INSERT INTO sanctions_list_records (version_id, key, schema, topics, names, birth_dates, countries, programmes, listed_on, remarks, record_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      versionId,
      LISTED.key,
      LISTED.schema,
      LISTED.topics,
      JSON.stringify(LISTED.names),
      JSON.stringify(LISTED.birthDates),
      LISTED.countries,
      LISTED.programmes,
      LISTED.listedOn,
      LISTED.remarks,
      LISTED.recordHash,
    ],
  );
}

export interface SeededSanctionsAlert {
  alertId: string;
  matchId: string;
  /** The name Drop screened, as the customer's BankID gave it. */
  queryName: string;
  /** The listed name it matched. */
  matchedName: string;
}

/** A customer named like a listed person: the screening match and the critical alert it raised. */
export async function seedSanctionsAlert(pool: pg.Pool, input: { userId: string; transactionId?: string }): Promise<SeededSanctionsAlert> {
  await storeListRecord(pool);
  const matchId = idOf('scm');
  const queryName = 'Vladimir Vladimirovitsj Putin';
  const matchedName = 'Vladimir Vladimirovich PUTIN';
  const explanation = {
    queryName,
    matchedName,
    // As the matcher writes them: scores 0..1 and, beside them, adjustments, a count and the total.
    features: {
      tokenSimilarity: 0.943,
      queryCoverage: 1,
      recordCoverage: 1,
      phoneticOrVariant: 0,
      name: 0.943,
      birthDate: 0.06,
      country: 0.02,
      score: 0.9612,
    },
    notes: ["'vladimirovitsj' ~ 'vladimirovich' (edit 0.83)", 'birth date 1952-10-07 matches'],
  };
  await pool.query(
    `INSERT INTO screening_matches (id, user_id, subject_type, subject_id, list, record_key, record_hash, score, topics, name, matched_name,
                                    query_name, explanation, transaction_id)
     VALUES ($1, $2, 'customer', $2, $3, $4, $5, 0.9612, $6, $7, $8, $9, $10, $11)`,
    [
      matchId,
      input.userId,
      LISTED.list,
      LISTED.key,
      LISTED.recordHash,
      LISTED.topics,
      LISTED.names[0]?.full,
      matchedName,
      queryName,
      JSON.stringify(explanation),
      input.transactionId ?? null,
    ],
  );
  const alertId = newId('alert');
  await pool.query(
    `INSERT INTO aml_alerts (id, user_id, transaction_id, rule, rule_version, severity, details, subject_type, subject_id, dedup_key, screening_match_id)
     VALUES ($1, $2, $3, 'sanctions_match', 1, 'critical', $4, 'customer', $2, $5, $6)`,
    [
      alertId,
      input.userId,
      input.transactionId ?? null,
      JSON.stringify({
        facts: { list: LISTED.list, key: LISTED.key, score: 0.9612, threshold: 0.88, topics: LISTED.topics },
        action: 'hold',
        summary: `Customer's name matches ${matchedName} on ${LISTED.list} (score 0.96)`,
      }),
      `sanctions_match:customer:${input.userId}:${LISTED.list}:${LISTED.key}`,
      matchId,
    ],
  );
  return { alertId, matchId, queryName, matchedName };
}

/** A large-transfer alert as the rules engine writes it: its facts and what it did. */
export async function seedLargeTransferAlert(pool: pg.Pool, input: { userId: string; transactionId: string }): Promise<string> {
  const alertId = newId('alert');
  await pool.query(
    `INSERT INTO aml_alerts (id, user_id, transaction_id, rule, rule_version, severity, details, subject_type, subject_id, dedup_key)
     VALUES ($1, $2, $3, 'large_transfer', 2, 'high', $4, 'customer', $2, $5)`,
    [
      alertId,
      input.userId,
      input.transactionId,
      JSON.stringify({
        facts: { amountNok: '50001.00', thresholdNok: '50000.00' },
        action: 'alert',
        summary: 'A transfer of NOK 50 001.00, at or above NOK 50 000.00',
      }),
      `large_transfer:customer:${input.userId}:${input.transactionId}`,
    ],
  );
  return alertId;
}
