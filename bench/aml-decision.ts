/**
 * `npm run bench:aml`: the cost of the AML decision in the transfer path (issue 12 target: p99
 * ≤ 5 ms with every rule on and a history of at least a million transfers).
 *
 * Seeds BENCH_AML_HISTORY (1 000 000) historical transfers over 13 months for BENCH_AML_CUSTOMERS
 * (80 000, about one transfer a month each, like remittance customers) customers, straight into `transactions` with generate_series, and builds the AML
 * aggregates from them as the migration's backfill does (the only full pass; afterwards every
 * transfer adds itself). Some recipient accounts are shared by many customers, so fan-in has
 * real work. Then, one client, in alternating rounds on the same database:
 *   - create_transfer with monitoring off (aml_settings.enabled = false) and on (every rule
 *     enabled), timed at the client: the whole statement, one round trip;
 *   - the decision alone: aml_assess_transfer timed inside the database (clock_timestamp around
 *     the call) on transfers made while monitoring was off, so each is assessed once.
 * Prints p50/p99 of each and the ratio on/off; the last line is `RESULT {json}`.
 *
 * Settings: BENCH_ADMIN_URL (a PostgreSQL server to create drop_bench_<random> on; else an
 * embedded one), BENCH_AML_HISTORY, BENCH_AML_CUSTOMERS, BENCH_AML_TRANSFERS (4000 per mode), BENCH_AML_ROUNDS (8).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createQuote, createTransfer, DEFAULT_CORRIDORS, EDD_THRESHOLD_ORE, type KidSource, RateBook, type TierLimits } from '@drop/core';
import { newId } from '@drop/db';
import { machineBusy, sampleCpu } from './support/cpu.ts';
import { type BenchDatabase, openBenchDatabase } from './support/database.ts';
import { freePort } from './support/drop-server.ts';
import { LatencyRecorder, type LatencySummary, ms } from './support/latency.ts';

function setting(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, not ${raw}`);
  return value;
}

const HISTORY = setting('BENCH_AML_HISTORY', 1_000_000);
const CUSTOMERS = setting('BENCH_AML_CUSTOMERS', 80_000);
const TRANSFERS = setting('BENCH_AML_TRANSFERS', 4000);
const ROUNDS = setting('BENCH_AML_ROUNDS', 8);
const ADMIN_URL = process.env.BENCH_ADMIN_URL || undefined;
const TARGET_P99_MS = 5;

const WIDE: TierLimits = { perTransferOre: 10_000_000_00n, thirtyDaysOre: 10_000_000_000_00n, twelveMonthsOre: 10_000_000_000_00n };
const LIMITS = { 0: WIDE, 1: WIDE, 2: WIDE } as const;
const kids: KidSource = {
  next: async (client) => {
    const { rows } = await client.query<{ kid: string }>(`SELECT lpad(nextval('transfer_kid_seq')::text, 11, '0') || '0' AS kid`);
    return rows[0]?.kid as string;
  },
};

/** Customers, recipients (one in 50 accounts shared by 20 customers), history and aggregates. */
async function seed(db: BenchDatabase): Promise<void> {
  const started = Date.now();
  const id = (prefix: string, n: string) => `'${prefix}_' || lpad((${n})::text, 26, '0')`;
  await db.pool.query(
    `INSERT INTO users (id, full_name, birth_date, kyc_status, kyc_tier, source_of_funds, source_of_funds_declared_at, created_at)
     SELECT ${id('usr', 'i')}, 'Bench Customer ' || i, date '1960-01-01' + (i % 15000), 'approved', 2, 'salary', now(), now() - interval '3 years'
       FROM generate_series(1, $1::int) i`,
    [CUSTOMERS],
  );
  await db.pool.query(
    `INSERT INTO recipients (id, user_id, name, country, currency, rail, relationship, details, display)
     SELECT ${id('rcp', 'i')}, ${id('usr', 'i')}, 'Bench Recipient', 'DE', 'EUR', 'iban', 'family',
            jsonb_build_object('iban', 'DE00' || lpad((CASE WHEN i % 50 = 0 THEN i % 1000 ELSE i END)::text, 18, '0')), 'DE00 …'
       FROM generate_series(1, $1::int) i`,
    [CUSTOMERS],
  );
  // History: the trigger that writes each transfer's timeline and daily spending is paused for
  // the bulk insert (bench database only); the AML aggregates are built below instead.
  await db.pool.query('ALTER TABLE transactions DISABLE TRIGGER transactions_track');
  await db.pool.query(
    `INSERT INTO transactions (id, user_id, type, status, send_amount_minor, send_currency, fee_minor, receive_amount_minor,
                               receive_currency, fx_rate, recipient_id, ledger_shard, created_at, updated_at)
     SELECT ${id('tx', 'i')}, ${id('usr', 'c')}, 'transfer', 'paid_out', a, 'NOK', 4900, a / 12, 'EUR', 0.085, ${id('rcp', 'c')}, 0, at, at
       FROM (SELECT i, 1 + (i::bigint * 7919) % $2::int AS c,
                    (10000 + (i::bigint * 104729) % 400000) AS a,
                    now() - interval '395 days' * ((i::bigint * 15485863) % 1000000) / 1000000.0 - interval '1 minute' AS at
               FROM generate_series(1, $1::int) i) h`,
    [HISTORY, CUSTOMERS],
  );
  await db.pool.query('ALTER TABLE transactions ENABLE ALWAYS TRIGGER transactions_track');
  await db.pool.query(
    `INSERT INTO aml_customer_daily (user_id, day, count, sum_minor, max_minor, round_count, near_threshold_count)
     SELECT user_id, (created_at AT TIME ZONE 'UTC')::date, count(*), sum(send_amount_minor), max(send_amount_minor),
            count(*) FILTER (WHERE send_amount_minor % 100000 = 0 AND send_amount_minor >= 1000000),
            count(*) FILTER (WHERE send_amount_minor >= 4500000 AND send_amount_minor < 5000000)
       FROM transactions WHERE type = 'transfer' AND created_at >= now() - interval '13 months' GROUP BY 1, 2`,
  );
  await db.pool.query(
    `INSERT INTO aml_customer_activity (user_id, first_at, last_at, transfer_count, sum_minor, recent_at, recent_minor, recent_recipient)
     SELECT t.user_id, min(t.created_at), max(t.created_at), count(*), sum(t.send_amount_minor),
            (array_agg(t.created_at ORDER BY t.created_at DESC))[1:20], (array_agg(t.send_amount_minor ORDER BY t.created_at DESC))[1:20],
            (array_agg(r.aml_fingerprint ORDER BY t.created_at DESC))[1:20]
       FROM transactions t JOIN recipients r ON r.id = t.recipient_id GROUP BY t.user_id`,
  );
  await db.pool.query(
    `INSERT INTO aml_sender_recipients (user_id, fingerprint, first_at, last_at, count)
     SELECT t.user_id, r.aml_fingerprint, min(t.created_at), max(t.created_at), count(*)
       FROM transactions t JOIN recipients r ON r.id = t.recipient_id GROUP BY 1, 2`,
  );
  await db.pool.query('VACUUM ANALYZE');
  // The decision alone, timed inside the database: no round trip, no client.
  await db.pool.query(`CREATE FUNCTION bench_time_aml(p_transaction_id text) RETURNS double precision LANGUAGE plpgsql AS $$
    DECLARE t0 timestamptz := clock_timestamp();
    BEGIN
      PERFORM aml_assess_transfer(p_transaction_id, '[]'::jsonb);
      RETURN extract(epoch FROM clock_timestamp() - t0) * 1000;
    END $$`);
  const counts = await db.pool.query<{ transfers: string; days: string }>(
    `SELECT (SELECT count(*) FROM transactions) AS transfers, (SELECT count(*) FROM aml_customer_daily) AS days`,
  );
  console.log(
    `seeded ${counts.rows[0]?.transfers} transfers of ${CUSTOMERS} customers, ${counts.rows[0]?.days} customer-days, in ${Math.round((Date.now() - started) / 1000)} s`,
  );
}

async function main() {
  const work = await mkdtemp(path.join(tmpdir(), 'drop-bench-aml-'));
  await chmod(work, 0o755);
  let db: BenchDatabase | undefined;
  try {
    const quietFrom = await sampleCpu();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const busy = machineBusy(quietFrom, await sampleCpu());
    console.log(
      `machine busy before the run: ${Math.round(busy * 100)}% of ${availableParallelism()} cores; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    db = await openBenchDatabase({ adminUrl: ADMIN_URL, workDir: work, port: await freePort() });
    console.log(`database ${db.name}: ${db.settings.postgres.split(' on ')[0]} (${db.server})`);
    await seed(db);

    const rates = new RateBook({
      source: {
        name: 'bench',
        fetchLatest: async () => ({
          source: 'bench',
          date: new Date().toISOString().slice(0, 10),
          fetchedAt: new Date(),
          rates: new Map([['EUR', '11.7035']]),
        }),
      },
      currencies: ['EUR'],
    });
    await rates.refresh();
    const pool = db.pool;
    const setMonitoring = (on: boolean) => pool.query('UPDATE aml_settings SET enabled = $1', [on]);
    const create = { on: new LatencyRecorder(), off: new LatencyRecorder() };
    const decision = new LatencyRecorder();
    const unassessed: string[] = [];
    let statuses = { held: 0, other: 0 };
    let n = 0;
    const perRound = Math.ceil(TRANSFERS / ROUNDS);
    const oneTransfer = async (mode: 'on' | 'off') => {
      const c = 1 + ((n++ * 7919) % CUSTOMERS);
      const userId = `usr_${String(c).padStart(26, '0')}`;
      const quote = await createQuote(pool, {
        session: null,
        userId,
        by: 'send',
        amount: String(100 + ((n * 37) % 4000)),
        country: 'DE',
        currency: 'EUR',
        corridors: DEFAULT_CORRIDORS,
        rates,
        ttlSeconds: 1800,
      });
      const started = performance.now();
      const created = await createTransfer(pool, {
        session: null,
        userId,
        idempotencyKey: newId('tx'),
        request: { quoteId: quote.id, recipientId: `rcp_${String(c).padStart(26, '0')}` },
        limits: LIMITS,
        eddThresholdOre: EDD_THRESHOLD_ORE,
        ledgerShards: 16,
        kids,
      });
      create[mode].record(performance.now() - started);
      if (mode === 'off') unassessed.push(created.body.data.id);
      else if (created.body.data.status === 'held') statuses = { ...statuses, held: statuses.held + 1 };
      else statuses = { ...statuses, other: statuses.other + 1 };
    };
    // Warm-up: plans cached, pages in memory.
    for (const mode of ['off', 'on'] as const) {
      await setMonitoring(mode === 'on');
      for (let i = 0; i < 200; i++) await oneTransfer(mode);
    }
    create.on.reset();
    create.off.reset();
    unassessed.length = 0;
    console.log(`timing ${ROUNDS} rounds of ${perRound} transfers with monitoring off, then on`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ['off', 'on'] as const) {
        await setMonitoring(mode === 'on');
        for (let i = 0; i < perRound; i++) await oneTransfer(mode);
      }
    }
    await setMonitoring(true);
    for (const id of unassessed) {
      const { rows } = await pool.query<{ ms: number }>('SELECT bench_time_aml($1) AS ms', [id]);
      decision.record(rows[0]?.ms ?? 0);
    }
    const alerts = await pool.query<{ rule: string; n: number }>(
      'SELECT rule, count(*)::int AS n FROM aml_alerts GROUP BY 1 ORDER BY 2 DESC',
    );
    const summary = (s: LatencySummary) => ({
      p50_ms: ms(s.p50),
      p99_ms: ms(s.p99),
      p999_ms: ms(s.p999),
      mean_ms: ms(s.mean),
      count: s.count,
    });
    const on = create.on.summary();
    const off = create.off.summary();
    const alone = decision.summary();
    console.table({
      'create_transfer, AML off': summary(off),
      'create_transfer, AML on': summary(on),
      'aml_assess_transfer alone (in the database)': summary(alone),
    });
    console.log('alerts raised during the run by rule:', Object.fromEntries(alerts.rows.map((r) => [r.rule, r.n])));
    const result = {
      history_transfers: HISTORY,
      customers: CUSTOMERS,
      decision: summary(alone),
      create_off: summary(off),
      create_on: summary(on),
      create_p99_ratio_on_off: Number((on.p99 / off.p99).toFixed(3)),
      create_mean_ratio_on_off: Number((on.mean / off.mean).toFixed(3)),
      added_mean_ms: ms(on.mean - off.mean),
      held_with_aml_on: statuses.held,
      target_p99_ms: TARGET_P99_MS,
      meets_target: alone.p99 <= TARGET_P99_MS,
      machine_busy_before_run: Number(busy.toFixed(2)),
      load_average: loadavg().map((l) => Number(l.toFixed(2))),
      cores: availableParallelism(),
      database: ADMIN_URL ? 'BENCH_ADMIN_URL' : 'embedded',
      postgres: db.settings.postgres.split(' on ')[0],
      synchronous_commit: db.settings.synchronous_commit,
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
    return 0;
  } catch (error) {
    console.error('bench:aml could not complete:', error);
    return 1;
  } finally {
    if (process.env.BENCH_AML_KEEP === '1' && db) console.log(`kept ${db.url}`);
    else await db?.drop().catch((error: unknown) => console.error('could not remove the bench database:', error));
    await rm(work, { recursive: true, force: true });
  }
}

process.exit(await main());
