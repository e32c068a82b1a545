/**
 * `drop db verify`: is this database (typically a restored one) sound? The ledger's invariants
 * (verifyLedger), the audit log's hash chain (verifyAuditChain), row counts against a backup's
 * manifest, and the transfers that must be there (the backup's newest, and any the caller names,
 * such as the acknowledged writes of a drill).
 */
import { type Db, withTransaction } from '@drop/db';
import { verifyAuditChain } from '../../audit/verify-audit-chain.ts';
import { verifyLedger } from '../../ledger/verify-ledger.ts';
import type { BackupManifest } from './catalog.ts';
import { snapshotFacts } from './create-backup.ts';

export interface VerifyCheck {
  name: 'ledger' | 'audit_chain' | 'row_counts' | 'last_transfer' | 'expected_transfers';
  ok: boolean;
  detail: Record<string, unknown>;
}

export interface DatabaseVerification {
  ok: boolean;
  checkedAt: string;
  /** The backup whose manifest the counts were compared with, if any. */
  backupId: string | null;
  checks: VerifyCheck[];
  /** The newest transfer in the database. */
  newestTransaction: { id: string; createdAt: string } | null;
}

export interface VerifyDatabaseOptions {
  /** Compare with this backup's manifest (row counts, its newest transfer). */
  manifest?: BackupManifest | null | undefined;
  /**
   * 'exact': every table holds exactly the manifest's rows (a logical restore, untouched since);
   * 'at-least' (default): the append-only tables hold at least as many (a restore to the end of a
   * physical backup or later, or the live database), and every table of the manifest exists.
   */
  rowCounts?: 'exact' | 'at-least';
  /** Transfers that must be present (e.g. acknowledged before the recovery point). */
  expectTransactionIds?: readonly string[] | undefined;
  now?: () => Date;
}

/** Tables Drop only ever appends to: a later state never has fewer rows. */
const APPEND_ONLY = ['public.transactions', 'public.ledger_transfers', 'public.audit_log'];

export async function verifyDatabase(db: Db, options: VerifyDatabaseOptions = {}): Promise<DatabaseVerification> {
  const now = options.now ?? (() => new Date());
  const checks: VerifyCheck[] = [];
  const ledger = await verifyLedger(db);
  checks.push({
    name: 'ledger',
    ok: ledger.ok,
    detail: {
      accounts: ledger.accounts,
      postings: ledger.postings,
      transfers: ledger.transfers,
      violations: ledger.violations.slice(0, 10),
    },
  });
  const audit = await verifyAuditChain(db);
  checks.push({
    name: 'audit_chain',
    ok: audit.ok,
    detail: { rowsChecked: audit.rowsChecked, head: audit.head, firstBroken: audit.firstBroken },
  });

  // Counts and the newest transfer in one snapshot.
  const facts = await withTransaction(db, (tx) => snapshotFacts(tx), { snapshot: true });

  const manifest = options.manifest ?? null;
  if (manifest) {
    const mode = options.rowCounts ?? 'at-least';
    const differences: Array<{ table: string; expected: number; actual: number | null }> = [];
    for (const [table, expected] of Object.entries(manifest.rowCounts)) {
      const actual = facts.rowCounts[table];
      if (actual === undefined) differences.push({ table, expected, actual: null });
      else if (mode === 'exact' ? actual !== expected : APPEND_ONLY.includes(table) && actual < expected)
        differences.push({ table, expected, actual });
    }
    checks.push({
      name: 'row_counts',
      ok: differences.length === 0,
      detail: { mode, tables: Object.keys(manifest.rowCounts).length, differences },
    });
    if (manifest.lastTransaction) {
      const present = await db.query('SELECT 1 FROM transactions WHERE id = $1', [manifest.lastTransaction.id]);
      checks.push({
        name: 'last_transfer',
        ok: present.rowCount === 1,
        detail: { id: manifest.lastTransaction.id, createdAt: manifest.lastTransaction.createdAt },
      });
    }
  }
  if (options.expectTransactionIds && options.expectTransactionIds.length > 0) {
    const ids = [...options.expectTransactionIds];
    const { rows } = await db.query<{ id: string }>('SELECT id FROM transactions WHERE id = ANY($1::text[])', [ids]);
    const found = new Set(rows.map((row) => row.id));
    const missing = ids.filter((id) => !found.has(id));
    checks.push({
      name: 'expected_transfers',
      ok: missing.length === 0,
      detail: { expected: ids.length, missing: missing.slice(0, 20), missingCount: missing.length },
    });
  }
  return {
    ok: checks.every((check) => check.ok),
    checkedAt: now().toISOString(),
    backupId: manifest?.id ?? null,
    checks,
    newestTransaction: facts.lastTransaction,
  };
}
