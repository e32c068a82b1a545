/**
 * Selective restore (DR runbook scenario 3, "Option A"): what may be brought back from a database
 * restored aside into the live one, table by table.
 *
 * Why not the runbook's `pg_dump -t users -t transactions --data-only > clean_data.sql` replayed
 * into production with psql: that file is plain `COPY users (...) FROM stdin` (or, with
 * --inserts, `INSERT INTO users VALUES (...)`) of *every* row of both tables. Every row the
 * corruption did not touch is still live with the same primary key, so the very first COPY fails
 * with a duplicate key on `users_pkey` (or `transactions_pkey`, `transactions_kid_key`,
 * `transactions_quote_id_key`, `users_email_key`, `users_national_id_hash_key`) and, COPY being
 * one statement, nothing of that table is restored; with --inserts and psql's default of carrying
 * on after an error, the missing rows go in and every changed row stays as corrupted, silently.
 * Worse, where it does succeed it bypasses Drop's rules: a transfer row inserted without its
 * postings breaks the ledger invariant (`transfer_matches_status`), and a user row written over a
 * live one would undo an erasure (GDPR) or a block that four eyes decided. So here a restore
 * compares row by row and applies only what these rules allow, through Drop's own functions.
 */

/** What `drop db apply` may do to the rows of one table. */
export interface TableRule {
  table: string;
  /** Missing rows may be inserted (no key or unique column of a live row is ever overwritten). */
  insertMissing: boolean;
  /** Columns a changed row may have set back to the restored value. Empty: changed rows are reported only. */
  safeColumns: readonly string[];
  /** Why the other differences are not applied, for the operator. */
  note: string;
}

const USERS_SAFE = [
  'email',
  // With the address, when it was proven and which emails the customer wants (issue 16).
  'email_verified_at',
  'notify_funds_received',
  'notify_paid_out',
  'full_name',
  'given_name',
  'family_name',
  'birth_date',
  'locale',
  'source_of_funds',
  'source_of_funds_declared_at',
] as const;

export const TABLE_RULES: Readonly<Record<string, TableRule>> = {
  users: {
    table: 'users',
    insertMissing: true,
    safeColumns: USERS_SAFE,
    note:
      'Profile columns are restored. Columns that block or unblock a customer (kyc_status, kyc_tier, deleted_at, aml_frozen_*, edd_*) ' +
      'go through `drop approvals` (four eyes); identity columns (bankid_sub, national_id_*) are never copied over a live row; ' +
      'a customer whose personal data was erased stays erased.',
  },
  recipients: {
    table: 'recipients',
    insertMissing: true,
    safeColumns: ['name', 'relationship', 'deleted_at'],
    note: 'Account details (details, rail, country, currency) are not rewritten: a transfer may already point at them.',
  },
  transactions: {
    table: 'transactions',
    insertMissing: true,
    safeColumns: [],
    note:
      'A missing transfer is restored only while it is awaiting funds: its row, quote, recipient and idempotency key, then its ' +
      'pay-in reservation posted through ledger_post, as create_transfer does. A transfer whose money moved (any other status) ' +
      'is refused: re-create its movement from the bank statement or the partner (drop payments import, drop payouts). ' +
      'A changed transfer is never rewritten: status changes go through the state machine and move money by postings.',
  },
};

/** The ledger and the append-only logs: never written by a restore, whatever is asked. */
export const NEVER_APPLIED: Readonly<Record<string, string>> = {
  ledger_transfers: 'Postings are append-only; a wrong balance is corrected by a correcting posting (ledger_post), never by a copy.',
  ledger_accounts: 'Balances are the fold of the postings; they change only with a posting.',
  ledger_pending_deltas: 'Part of the balances (system accounts’ deferred pending changes); written only by ledger_post and ledger_rollup.',
  audit_log: 'The audit log is append-only and hash-chained; restored rows would break the chain.',
  transfer_events: 'The timeline is written by the transactions_track trigger when a transfer changes.',
  user_spending_days: 'Kept by the transactions_track trigger from the transfers themselves.',
};

/** Columns never compared: touched on every update, so they differ whenever anything else does. */
export const IGNORED_COLUMNS: readonly string[] = ['updated_at'];
