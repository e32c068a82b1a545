import type { AmlRule } from '@drop/contracts';
import type { DbClient } from '@drop/db';

export const AML_RULE_COLUMNS = `code, version, enabled, severity, action, params, description,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt",
  updated_by AS "updatedBy", update_reason AS "updateReason"`;

/** Every transaction-monitoring rule as it runs now (its current version), by code. */
export async function listAmlRules(db: DbClient): Promise<AmlRule[]> {
  const { rows } = await db.query<AmlRule>(`SELECT ${AML_RULE_COLUMNS} FROM aml_rules ORDER BY code`);
  return rows;
}

/** Whether transaction monitoring runs at all (aml_settings; screening and freezes always apply). */
export async function amlMonitoringEnabled(db: DbClient): Promise<boolean> {
  const { rows } = await db.query<{ enabled: boolean }>('SELECT enabled FROM aml_settings');
  return rows[0]?.enabled ?? true;
}
