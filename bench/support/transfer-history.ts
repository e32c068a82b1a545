/**
 * A year of Drop's history generated in SQL, set-based, for `npm run bench:dr`: customers (KYC
 * approved, one recipient each), one quote per transfer, transfers in a realistic mix of statuses
 * (80 % paid out, 10 % awaiting funds, 5 % funds received, 5 % cancelled) with exactly the
 * postings Drop's own code posts for each (create_transfer's pay-in reservation, then
 * transitionTransfer's payin_received/payin_cancelled, fee, conversion, payout reservation and
 * payout_confirmed), account balances from what each status moved (verifyLedger checks them
 * against the fold of the postings), each transfer's timeline and the customers' spending per day
 * as transactions_track writes them, and a run of audit events chained by the audit_log trigger.
 * The result passes verifyLedger and the audit chain check.
 *
 * Only transactions_track is switched off while the transfers go in (its rows are written here in
 * bulk instead, the same rows); every constraint, foreign key and the other triggers stay on.
 * Ids are the same on every run (`tx_` + 26 hex digits of the number), so two servers loaded with
 * the same counts hold the same data.
 */
import type pg from 'pg';

export interface HistoryCounts {
  transfers: number;
  customers: number;
  auditEvents: number;
  shards: number;
}

export interface HistoryResult {
  rows: Record<string, number>;
  seconds: number;
  bytes: number;
}

const id = (prefix: string, n: string) => `'${prefix}_' || lpad(upper(to_hex(${n})), 26, '0')`;

/** The statuses by n % 20, and the postings each status has (1 payin, 2 its resolution, 3 fee, 4 conversion, 5 payout, 6 its confirmation). */
const STATUS = `CASE WHEN n % 20 < 16 THEN 'paid_out' WHEN n % 20 < 18 THEN 'awaiting_funds' WHEN n % 20 = 18 THEN 'funds_received' ELSE 'cancelled' END`;

export async function generateHistory(client: pg.ClientBase, counts: HistoryCounts): Promise<HistoryResult> {
  const started = performance.now();
  const { transfers: N, customers: C, auditEvents: A, shards: S } = counts;
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);

  await q('BEGIN');
  await q(`SET LOCAL drop.actor = 'bench:generator'`);
  await q(
    `INSERT INTO users (id, email, full_name, given_name, family_name, locale, kyc_status, kyc_tier, source_of_funds,
                        source_of_funds_declared_at, created_at)
     SELECT ${id('usr', 'c')}, 'bench' || c || '@example.no', 'Bench Customer ' || c, 'Bench', 'Customer ' || c, 'nb',
            'approved', 2, 'salary', now() - interval '400 days', now() - interval '400 days'
       FROM generate_series(1, $1::int) AS c`,
    [C],
  );
  await q(
    `INSERT INTO recipients (id, user_id, name, country, currency, rail, relationship, details, display, created_at)
     SELECT ${id('rcp', 'c')}, ${id('usr', 'c')}, 'Anna Schmidt', 'DE', 'EUR', 'iban', 'family',
            '{"iban": "DE89370400440532013000"}'::jsonb, 'DE89 •••• 3000', now() - interval '400 days'
       FROM generate_series(1, $1::int) AS c`,
    [C],
  );
  // The shared accounts of every shard, and each customer's funds account, as Drop creates them.
  await q(
    `SELECT ledger_system_account(p.purpose, p.currency, s::smallint)
       FROM generate_series(0, $1::int - 1) AS s,
            (VALUES ('bank', 'NOK'), ('fee_revenue', 'NOK'), ('fx_position', 'NOK'), ('fx_position', 'EUR'), ('partner_clearing', 'EUR')) AS p(purpose, currency)`,
    [S],
  );
  await q(
    `INSERT INTO ledger_accounts (purpose, currency, user_id, debits_must_not_exceed_credits)
     SELECT 'customer_funds', 'NOK', ${id('usr', 'c')}, true FROM generate_series(1, $1::int) AS c`,
    [C],
  );

  // One row per transfer with everything derived from n: customer, amounts, time, status.
  await q(
    `CREATE TEMP TABLE gen ON COMMIT DROP AS
     SELECT n, ${id('tx', 'n')} AS tx_id, ${id('qt', 'n')} AS quote_id,
            ${id('usr', '(1 + (n - 1) % $2::int)')} AS user_id, ${id('rcp', '(1 + (n - 1) % $2::int)')} AS recipient_id,
            (n % $3::int)::smallint AS shard,
            send, 4900::bigint AS fee, floor((send - 4900) / 11.7035)::bigint AS receive,
            now() - interval '366 days' + (n * (31536000.0 / $1::int)) * interval '1 second' AS at,
            ${STATUS} AS status
       FROM generate_series(1, $1::int) AS n,
            LATERAL (SELECT (10000 + (n::bigint * 7919) % 990001)::bigint AS send) s`,
    [N, C, S],
  );
  await q(
    `INSERT INTO quotes (id, user_id, country, quoted_by, send_currency, send_amount_minor, fee_minor, receive_currency,
                         receive_amount_minor, rate, reference_rate, reference_source, reference_date, margin_bps, created_at, expires_at)
     SELECT quote_id, user_id, 'DE', 'send', 'NOK', send, fee, 'EUR', receive, 0.0854448000, 0.0856589000, 'norges-bank',
            (at AT TIME ZONE 'Europe/Oslo')::date, 25, at - interval '1 minute', at + interval '29 minutes'
       FROM gen`,
  );
  await q('ALTER TABLE transactions DISABLE TRIGGER transactions_track');
  await q(
    `INSERT INTO transactions (id, user_id, type, status, send_amount_minor, send_currency, fee_minor, receive_amount_minor,
                               receive_currency, fx_rate, created_at, updated_at, quote_id, recipient_id, ledger_shard, kid)
     SELECT tx_id, user_id, 'transfer', status, send, 'NOK', fee, receive, 'EUR', 0.0854448000, at, at + interval '2 days',
            quote_id, recipient_id, shard, '9' || lpad(n::text, 9, '0')
       FROM gen`,
  );
  await q('ALTER TABLE transactions ENABLE ALWAYS TRIGGER transactions_track');
  // transactions_track's rows: the timeline (each status the transfer passed through) and the
  // spending per customer and day (ended transfers give theirs back).
  await q(
    `INSERT INTO transfer_events (transaction_id, from_status, to_status, actor, at)
     SELECT g.tx_id, e.from_status, e.to_status, CASE WHEN e.step = 1 THEN g.user_id ELSE 'system:bench' END, g.at + (e.step - 1) * interval '1 hour'
       FROM gen g
       CROSS JOIN LATERAL (VALUES (1, NULL, 'awaiting_funds'), (2, 'awaiting_funds', 'funds_received'), (3, 'funds_received', 'processing'),
                                  (4, 'processing', 'paid_out'), (5, 'awaiting_funds', 'cancelled')) AS e(step, from_status, to_status)
      WHERE e.step = 1 OR (g.status IN ('funds_received', 'paid_out') AND e.step = 2) OR (g.status = 'paid_out' AND e.step IN (3, 4))
         OR (g.status = 'cancelled' AND e.step = 5)`,
  );
  await q(
    `INSERT INTO user_spending_days (user_id, day, amount_minor)
     SELECT user_id, (at AT TIME ZONE 'UTC')::date, sum(send) FROM gen WHERE status <> 'cancelled' GROUP BY 1, 2`,
  );

  // The postings, with explicit ids so a resolution can name its reservation: transfer n's legs
  // are 6(n-1)+1 … 6(n-1)+6 (gaps where a status has fewer legs, as rolled-back inserts leave).
  await q(
    `CREATE TEMP TABLE acct ON COMMIT DROP AS
     SELECT s AS shard,
            ledger_system_account('bank', 'NOK', s::smallint) AS bank, ledger_system_account('fee_revenue', 'NOK', s::smallint) AS fee,
            ledger_system_account('fx_position', 'NOK', s::smallint) AS fx_nok, ledger_system_account('fx_position', 'EUR', s::smallint) AS fx_eur,
            ledger_system_account('partner_clearing', 'EUR', s::smallint) AS partner
       FROM generate_series(0, $1::int - 1) AS s`,
    [S],
  );
  await q(
    `INSERT INTO ledger_transfers (id, transaction_id, code, kind, pending_id, debit_account_id, credit_account_id, amount, currency, created_at)
     OVERRIDING SYSTEM VALUE
     SELECT 6 * (g.n - 1) + l.k, g.tx_id, l.code, l.kind, CASE WHEN l.k IN (2, 6) THEN 6 * (g.n - 1) + l.k - 1 END,
            l.debit, l.credit, l.amount, l.currency, g.at + l.k * interval '10 minutes'
       FROM gen g
       JOIN acct a ON a.shard = g.shard
       JOIN ledger_accounts c ON c.purpose = 'customer_funds' AND c.currency = 'NOK' AND c.user_id = g.user_id AND c.shard = 0
       CROSS JOIN LATERAL (VALUES
         (1, 'payin', 'pending', a.bank, c.id, g.send, 'NOK'),
         (2, CASE g.status WHEN 'cancelled' THEN 'payin_cancelled' ELSE 'payin_received' END,
             CASE g.status WHEN 'cancelled' THEN 'void_pending' ELSE 'post_pending' END, a.bank, c.id, g.send, 'NOK'),
         (3, 'fee', 'posted', c.id, a.fee, g.fee, 'NOK'),
         (4, 'conversion', 'posted', c.id, a.fx_nok, g.send - g.fee, 'NOK'),
         (5, 'payout', 'pending', a.fx_eur, a.partner, g.receive, 'EUR'),
         (6, 'payout_confirmed', 'post_pending', a.fx_eur, a.partner, g.receive, 'EUR')
       ) AS l(k, code, kind, debit, credit, amount, currency)
      WHERE l.k = 1 OR (l.k = 2 AND g.status <> 'awaiting_funds') OR g.status = 'paid_out'
      ORDER BY 1`,
  );
  await q(`SELECT setval(pg_get_serial_sequence('ledger_transfers', 'id'), (SELECT max(id) FROM ledger_transfers))`);
  // Balances from the statuses (what each status has moved), not from the postings: verifyLedger
  // then checks independently that they equal the fold of the postings.
  await q(
    `WITH per AS (
       SELECT a.bank, a.fee AS fee_account, a.fx_nok, a.fx_eur, a.partner, c.id AS customer, g.status, g.send, g.fee, g.receive,
              g.status = 'awaiting_funds' AS open, g.status IN ('funds_received', 'paid_out') AS received, g.status = 'paid_out' AS paid
         FROM gen g JOIN acct a ON a.shard = g.shard
         JOIN ledger_accounts c ON c.purpose = 'customer_funds' AND c.currency = 'NOK' AND c.user_id = g.user_id AND c.shard = 0
     ), moved (account_id, dp, dpo, cp, cpo) AS (
       SELECT bank, sum(send) FILTER (WHERE open), sum(send) FILTER (WHERE received), 0, 0 FROM per GROUP BY 1
       UNION ALL SELECT customer, 0, sum(send) FILTER (WHERE paid), sum(send) FILTER (WHERE open), sum(send) FILTER (WHERE received) FROM per GROUP BY 1
       UNION ALL SELECT fee_account, 0, 0, 0, sum(fee) FILTER (WHERE paid) FROM per GROUP BY 1
       UNION ALL SELECT fx_nok, 0, 0, 0, sum(send - fee) FILTER (WHERE paid) FROM per GROUP BY 1
       UNION ALL SELECT fx_eur, 0, sum(receive) FILTER (WHERE paid), 0, 0 FROM per GROUP BY 1
       UNION ALL SELECT partner, 0, 0, 0, sum(receive) FILTER (WHERE paid) FROM per GROUP BY 1
     )
     UPDATE ledger_accounts a
        SET debits_pending = coalesce(m.dp, 0), debits_posted = coalesce(m.dpo, 0),
            credits_pending = coalesce(m.cp, 0), credits_posted = coalesce(m.cpo, 0)
       FROM moved m WHERE m.account_id = a.id`,
  );
  // Audit events (staff looking at transfers), hash-chained one by one by the audit_log trigger.
  await q(
    `INSERT INTO audit_log (action, resource_type, resource_id, actor, details)
     SELECT 'transfer_viewed', 'transactions', ${id('tx', '(1 + (e * 7) % $2::int)')}, 'stf_bench', jsonb_build_object('n', e)
       FROM generate_series(1, $1::int) AS e`,
    [A, N],
  );
  await q('COMMIT');
  await q('VACUUM ANALYZE');

  const { rows } = await client.query<{ name: string; count: string }>(
    `SELECT 'users' AS name, count(*) FROM users UNION ALL SELECT 'quotes', count(*) FROM quotes
     UNION ALL SELECT 'transactions', count(*) FROM transactions UNION ALL SELECT 'ledger_transfers', count(*) FROM ledger_transfers
     UNION ALL SELECT 'transfer_events', count(*) FROM transfer_events UNION ALL SELECT 'audit_log', count(*) FROM audit_log`,
  );
  const size = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
  return {
    rows: Object.fromEntries(rows.map((row) => [row.name, Number(row.count)])),
    seconds: (performance.now() - started) / 1000,
    bytes: Number(size.rows[0]?.bytes ?? 0),
  };
}
