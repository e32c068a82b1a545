import type { DbClient } from '@drop/db';

/** Drops the per-day AML aggregates older than 13 months (no rule reads further back). Returns how many went. */
export async function pruneAmlAggregates(db: DbClient): Promise<number> {
  const { rows } = await db.query<{ removed: string }>('SELECT aml_prune_aggregates() AS removed');
  return Number(rows[0]?.removed ?? 0);
}
