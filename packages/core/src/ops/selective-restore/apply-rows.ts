import { type Db, type DbClient, withTransaction } from '@drop/db';
import type pg from 'pg';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { type ChangedRow, diffRows, type RowDiff, type RowSelection } from './diff-rows.ts';
import { NEVER_APPLIED, TABLE_RULES, type TableRule } from './table-rules.ts';

export type RestoreActionKind = 'insert' | 'update' | 'refuse' | 'keep';

export interface RestoreAction {
  key: string;
  kind: RestoreActionKind;
  /** update: the columns set back to the restored value. */
  columns?: string[];
  /** update: differing columns left as they are live (not safe to copy). */
  leftAsLive?: string[];
  /** refuse and keep, and what happened to an action that could not be applied. */
  reason?: string;
  /** Once applied: done, or skipped (a live row took the key or a unique value meanwhile). */
  outcome?: 'applied' | 'skipped';
}

export interface RestorePlan {
  table: string;
  rule: string;
  dryRun: boolean;
  counts: { insert: number; update: number; refuse: number; keep: number; applied: number; skipped: number };
  actions: RestoreAction[];
  diff: RowDiff['counts'];
}

export interface ApplyOptions {
  /** Change live data; without it the plan is only shown (the default). */
  apply: boolean;
  actor: string;
  /** Where the rows come from, for the audit log: a backup id or the restored database's name (never a password). */
  source: string;
}

function ruleFor(table: string): TableRule {
  const never = NEVER_APPLIED[table];
  if (never) throw new DomainError('VALIDATION_FAILED', `${table} is never restored row by row: ${never}`);
  const rule = TABLE_RULES[table];
  if (!rule) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `No restore rule for ${table}; rows can be applied to ${Object.keys(TABLE_RULES).join(', ')} (drop db diff shows any table).`,
    );
  }
  return rule;
}

async function exists(db: DbClient, table: 'users' | 'recipients' | 'quotes', id: unknown): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
  return rows.length > 0;
}

function planMissing(table: string, row: Record<string, unknown>): { kind: 'insert' | 'refuse'; reason?: string } {
  if (table !== 'transactions') return { kind: 'insert' };
  if (row.type !== 'transfer') return { kind: 'refuse', reason: `a ${String(row.type)} moves money: re-create it with its own command` };
  if (row.status !== 'awaiting_funds') {
    return {
      kind: 'refuse',
      reason:
        `status ${String(row.status)}: money moved for this transfer (pay-in received, payout or refund). Inserting the row would ` +
        'leave the ledger without those postings; re-create the movement from the bank statement or the partner instead',
    };
  }
  return { kind: 'insert' };
}

function planChanged(rule: TableRule, changed: ChangedRow): RestoreAction {
  if (rule.table === 'users' && changed.live.personal_data_erased_at != null) {
    return { key: changed.key, kind: 'refuse', reason: 'the customer’s personal data was erased live; a restore never brings it back' };
  }
  const differing = changed.differences.map((difference) => difference.column);
  const columns = differing.filter((column) => rule.safeColumns.includes(column));
  const leftAsLive = differing.filter((column) => !rule.safeColumns.includes(column));
  if (columns.length === 0) return { key: changed.key, kind: 'refuse', leftAsLive, reason: rule.note };
  return { key: changed.key, kind: 'update', columns, ...(leftAsLive.length > 0 ? { leftAsLive, reason: rule.note } : {}) };
}

/** Columns a row can be inserted with: the live table's, less generated and identity-always columns (read once per apply). */
async function insertableColumns(db: DbClient, table: string, cache: Map<string, string[]>): Promise<string[]> {
  const known = cache.get(table);
  if (known) return known;
  const { rows } = await db.query<{ name: string }>(
    `SELECT a.attname::text AS name FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' AND a.attidentity <> 'a'
      ORDER BY a.attnum`,
    [`public.${table}`],
  );
  const columns = rows.map((row) => row.name);
  cache.set(table, columns);
  return columns;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** INSERT … ON CONFLICT DO NOTHING: a live row holding the key (or any unique value) is never overwritten. */
async function insertRow(
  client: pg.PoolClient,
  table: string,
  row: Record<string, unknown>,
  cache: Map<string, string[]>,
): Promise<boolean> {
  const columns = (await insertableColumns(client, table, cache)).filter((column) => column in row);
  const list = columns.map(ident).join(', ');
  const result = await client.query(
    `INSERT INTO ${ident(table)} (${list}) SELECT ${list} FROM jsonb_populate_record(NULL::${ident(table)}, $1::jsonb) ON CONFLICT DO NOTHING`,
    [JSON.stringify(row)],
  );
  return (result.rowCount ?? 0) === 1;
}

async function restoredRow(restored: Db, table: 'quotes' | 'recipients', id: unknown): Promise<Record<string, unknown> | undefined> {
  const { rows } = await restored.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE id = $1`, [id]);
  return rows[0]?.row;
}

/**
 * A transfer lost live while still awaiting the customer's money: its quote and recipient (if
 * missing), the row (the transactions_track trigger writes its timeline and the day's spending),
 * the idempotency key (so a retry of the original request is answered, not doubled), transaction
 * monitoring (aml_assess_transfer), and the pay-in reservation through ledger_post, as
 * create_transfer posts it. Returns false when a live row already holds the id, KID or quote.
 */
async function insertTransfer(
  client: pg.PoolClient,
  restored: Db,
  row: Record<string, unknown>,
  cache: Map<string, string[]>,
): Promise<boolean> {
  for (const [table, id] of [
    ['quotes', row.quote_id],
    ['recipients', row.recipient_id],
  ] as const) {
    if (id == null || (await exists(client, table, id))) continue;
    const source = await restoredRow(restored, table, id);
    if (source) await insertRow(client, table, source, cache);
  }
  if (!(await insertRow(client, 'transactions', row, cache))) return false;
  const keys = await restored.query<{ row: Record<string, unknown> }>(
    'SELECT to_jsonb(k) AS row FROM idempotency_keys k WHERE transaction_id = $1',
    [row.id],
  );
  for (const key of keys.rows) await insertRow(client, 'idempotency_keys', key.row, cache);
  await client.query(`SELECT aml_assess_transfer($1, '[]'::jsonb)`, [row.id]);
  await client.query(
    `SELECT ledger_post($1, jsonb_build_array(jsonb_build_object(
       'kind', 'pending', 'code', 'payin', 'debit', ledger_system_account('bank', 'NOK', $2::smallint),
       'credit', ledger_customer_account($3, 'NOK'), 'amount', $4::bigint, 'currency', 'NOK')))`,
    [row.id, row.ledger_shard, row.user_id, row.send_amount_minor],
  );
  return true;
}

async function dependencyMissing(client: DbClient, table: string, row: Record<string, unknown>): Promise<string | undefined> {
  if (table !== 'transactions' && table !== 'recipients') return undefined;
  const { rows } = await client.query<{ blocked: string | null }>(
    'SELECT customer_block_reason(kyc_status, deleted_at, aml_frozen_at) AS blocked FROM users WHERE id = $1',
    [row.user_id],
  );
  const customer = rows[0];
  if (!customer) {
    return `its customer ${String(row.user_id)} is not in the live database: restore the user first (drop db apply --table users --ids ${String(row.user_id)})`;
  }
  if (table === 'transactions' && customer.blocked) {
    // create_transfer refuses a blocked customer, and containment holds their open transfers.
    return `its customer is blocked live (${customer.blocked}): unblock through four eyes first (drop approvals), then apply again`;
  }
  return undefined;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/**
 * Applies chosen rows of a database restored aside to the live one, under Drop's rules
 * (table-rules.ts): missing rows are inserted without ever overwriting a live key, changed rows get
 * only their safe columns back, rows only in live are kept, and the ledger is never written except
 * by ledger_post for a restored transfer's own reservation. A dry run (the default) returns the
 * plan and changes nothing. Applying runs in one transaction on the live database: each row under
 * a savepoint (a unique value taken live meanwhile skips that row), each change audited with its
 * source, and one summary event; the row-level audit triggers record the before and after images.
 */
export async function applyRows(live: Db, restored: Db, selection: RowSelection, options: ApplyOptions): Promise<RestorePlan> {
  const rule = ruleFor(selection.table);
  const diff = await diffRows(live, restored, selection);
  const actions: Array<{ action: RestoreAction; row?: Record<string, unknown> }> = [];
  for (const missing of diff.missingInLive) {
    const planned = planMissing(rule.table, missing.row);
    const blocked = planned.kind === 'insert' ? await dependencyMissing(live, rule.table, missing.row) : undefined;
    actions.push({
      action: blocked ? { key: missing.key, kind: 'refuse', reason: blocked } : { key: missing.key, ...planned },
      row: missing.row,
    });
  }
  for (const changed of diff.changed) actions.push({ action: planChanged(rule, changed), row: changed.restored });
  for (const only of diff.onlyInLive) {
    actions.push({ action: { key: only.key, kind: 'keep', reason: 'only in live: a restore never deletes' } });
  }

  if (options.apply) {
    const tableColumns = new Map<string, string[]>();
    await withTransaction(live, async (client) => {
      await client.query(`SELECT set_config('drop.actor', $1, true), set_config('drop.reason', $2, true)`, [
        options.actor,
        `selective restore from ${options.source}`,
      ]);
      for (const { action, row } of actions) {
        if ((action.kind !== 'insert' && action.kind !== 'update') || !row) continue;
        try {
          const done = await withTransaction(client, async (tx) => {
            if (action.kind === 'insert') {
              return rule.table === 'transactions'
                ? insertTransfer(tx, restored, row, tableColumns)
                : insertRow(tx, rule.table, row, tableColumns);
            }
            const columns = action.columns ?? [];
            const result = await tx.query(
              `UPDATE ${ident(rule.table)} AS t SET ${columns.map((column) => `${ident(column)} = r.${ident(column)}`).join(', ')}
                 FROM jsonb_populate_record(NULL::${ident(rule.table)}, $1::jsonb) AS r
                WHERE t.id = r.id`,
              [JSON.stringify(row)],
            );
            return (result.rowCount ?? 0) === 1;
          });
          action.outcome = done ? 'applied' : 'skipped';
          if (!done) action.reason = 'a live row holds the same key or unique value';
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          action.outcome = 'skipped';
          action.reason = `a live row holds the same unique value (${(error as { constraint?: string }).constraint ?? 'unique'})`;
        }
        if (action.outcome === 'applied') {
          await recordAuditEvent(client, {
            action: action.kind === 'insert' ? 'selective_restore_inserted' : 'selective_restore_updated',
            resourceType: rule.table,
            resourceId: action.key,
            actor: options.actor,
            details: { source: options.source, ...(action.columns ? { columns: action.columns } : {}) },
          });
        }
      }
      await recordAuditEvent(client, {
        action: 'selective_restore_applied',
        resourceType: rule.table,
        actor: options.actor,
        details: {
          source: options.source,
          where: selection.where ?? null,
          ids: selection.ids?.length ?? null,
          applied: actions.filter((a) => a.action.outcome === 'applied').length,
          skipped: actions.filter((a) => a.action.outcome === 'skipped').length,
          refused: actions.filter((a) => a.action.kind === 'refuse').length,
        },
      });
    });
  }

  const list = actions.map((a) => a.action);
  const count = (kind: RestoreActionKind) => list.filter((action) => action.kind === kind).length;
  return {
    table: rule.table,
    rule: rule.note,
    dryRun: !options.apply,
    counts: {
      insert: count('insert'),
      update: count('update'),
      refuse: count('refuse'),
      keep: count('keep'),
      applied: list.filter((action) => action.outcome === 'applied').length,
      skipped: list.filter((action) => action.outcome === 'skipped').length,
    },
    actions: list,
    diff: diff.counts,
  };
}
