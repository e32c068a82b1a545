import { type Db, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { STEPS_TO_STATUS, type TransferStatus } from '../transfers/transfer-status.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';
import { seedDemoSlaHistory } from './seed-demo-sla.ts';

/**
 * Realistic demo data for development and for the runbook tests: customers in every KYC state,
 * transfers in every status, open and closed AML alerts (one critical), two AML cases (one being
 * investigated, with the STR awaiting approval; one overdue), STRs, data access requests and
 * sessions, and the SLA history of last month and this one. Idempotent: a second run finds the data and adds nothing.
 */

export interface DemoSeedResult {
  created: boolean;
  users: Record<string, string>;
  transactions: Record<string, string>;
  alerts: Record<string, string>;
  cases: Record<string, string>;
}

/**
 * The compliance staff the demo's casework names (aml_cases.opened_by and assigned_to reference
 * staff). They are disabled and never enrolled, so nobody can sign in as them: real staff are
 * created with `drop staff create`.
 */
const DEMO_STAFF = [
  { key: 'officer', email: 'demo.officer@drop.example', name: 'Demo Compliance Officer', role: 'compliance_officer' },
  { key: 'lead', email: 'demo.lead@drop.example', name: 'Demo Compliance Lead', role: 'compliance_lead' },
] as const;

const DEMO_MARKER_EMAIL = 'ingrid.hansen@example.no';

const USERS = [
  { key: 'approved', email: DEMO_MARKER_EMAIL, name: 'Ingrid Hansen', kyc: 'approved', age: '120 days', born: '1985-04-12' },
  { key: 'pendingOld', email: 'ola.nordmann@example.no', name: 'Ola Nordmann', kyc: 'pending', age: '3 days', born: '1990-08-30' },
  { key: 'pendingNew', email: 'kari.lie@example.no', name: 'Kari Lie', kyc: 'pending', age: '1 hour', born: '1978-01-05' },
  { key: 'rejected', email: 'lars.berg@example.no', name: 'Lars Berg', kyc: 'rejected', age: '40 days', born: '1969-11-23' },
  { key: 'retry', email: 'sofie.dahl@example.no', name: 'Sofie Dahl', kyc: 'retry', age: '2 days', born: '1995-06-17' },
  { key: 'onHold', email: 'amir.khan@example.no', name: 'Amir Khan', kyc: 'on_hold', age: '15 days', born: '1988-02-29' },
  { key: 'notStarted', email: 'nina.strand@example.no', name: 'Nina Strand', kyc: 'not_started', age: '10 minutes', born: '2001-09-09' },
  { key: 'sender', email: 'jonas.bakke@example.no', name: 'Jonas Bakke', kyc: 'approved', age: '300 days', born: '1982-12-01' },
] as const;

type UserKey = (typeof USERS)[number]['key'];

// Amounts in øre (NOK minor units). Receive amounts at plausible rates for the corridor.
const TRANSFERS: Array<{
  key: string;
  user: UserKey;
  status: TransferStatus;
  sendOre: bigint;
  feeOre: bigint;
  currency: string;
  rate: string;
  age: string;
  failure?: string;
}> = [
  {
    key: 'awaitingFunds',
    user: 'approved',
    status: 'awaiting_funds',
    sendOre: 250_000n,
    feeOre: 2_900n,
    currency: 'PLN',
    rate: '0.3655',
    age: '20 minutes',
  },
  {
    key: 'fundsReceived',
    user: 'approved',
    status: 'funds_received',
    sendOre: 500_000n,
    feeOre: 3_900n,
    currency: 'EUR',
    rate: '0.0852',
    age: '3 hours',
  },
  {
    key: 'processing',
    user: 'sender',
    status: 'processing',
    sendOre: 1_200_000n,
    feeOre: 6_900n,
    currency: 'PHP',
    rate: '5.2310',
    age: '6 hours',
  },
  {
    key: 'paidOut',
    user: 'approved',
    status: 'paid_out',
    sendOre: 300_000n,
    feeOre: 2_900n,
    currency: 'INR',
    rate: '7.7840',
    age: '5 days',
  },
  { key: 'large', user: 'sender', status: 'held', sendOre: 7_500_000n, feeOre: 29_900n, currency: 'PKR', rate: '25.9100', age: '2 days' },
  {
    key: 'largePaid',
    user: 'approved',
    status: 'paid_out',
    sendOre: 5_200_000n,
    feeOre: 24_900n,
    currency: 'EUR',
    rate: '0.0853',
    age: '12 days',
  },
  {
    key: 'cancelled',
    user: 'approved',
    status: 'cancelled',
    sendOre: 100_000n,
    feeOre: 1_900n,
    currency: 'SEK',
    rate: '0.9801',
    age: '8 days',
  },
  {
    key: 'failed',
    user: 'sender',
    status: 'failed',
    sendOre: 420_000n,
    feeOre: 3_900n,
    currency: 'NGN',
    rate: '148.2000',
    age: '1 day',
    failure: 'payout_partner_rejected: beneficiary account closed',
  },
  {
    key: 'refunded',
    user: 'sender',
    status: 'refunded',
    sendOre: 80_000n,
    feeOre: 1_900n,
    currency: 'KES',
    rate: '12.0500',
    age: '20 days',
    failure: undefined,
  },
  {
    key: 'onHoldUser',
    user: 'onHold',
    status: 'held',
    sendOre: 4_900_000n,
    feeOre: 19_900n,
    currency: 'PKR',
    rate: '25.9000',
    age: '4 hours',
  },
];

export async function seedDemoData(db: Db, options: { actor: string }): Promise<DemoSeedResult> {
  return withTransaction(db, async (tx) => {
    // Serialise concurrent seeders; the marker user makes the seed idempotent.
    await tx.query('SELECT pg_advisory_xact_lock(7406720152)');
    const existing = await tx.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [DEMO_MARKER_EMAIL]);
    if (existing.rowCount) {
      const users = await tx.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE email = ANY($1)', [
        USERS.map((u) => u.email),
      ]);
      const byEmail = new Map(users.rows.map((row) => [row.email, row.id]));
      return {
        created: false,
        users: Object.fromEntries(USERS.map((u) => [u.key, byEmail.get(u.email) ?? ''])),
        transactions: {},
        alerts: {},
        cases: {},
      };
    }

    const staff: Record<string, string> = {};
    for (const member of DEMO_STAFF) {
      const existingStaff = await tx.query<{ id: string }>('SELECT id FROM staff WHERE lower(email) = $1', [member.email]);
      const id = existingStaff.rows[0]?.id ?? newId('stf');
      staff[member.key] = id;
      // A placeholder TOTP ciphertext: the account is disabled and has no enrolment, so it is never read.
      await tx.query(
        `INSERT INTO staff (id, email, full_name, role, totp_secret_ciphertext, disabled_at)
         VALUES ($1, $2, $3, $4, decode('00', 'hex'), now()) ON CONFLICT DO NOTHING`,
        [id, member.email, member.name, member.role],
      );
    }
    const officer = staff.officer as string;
    const lead = staff.lead as string;

    const users: Record<string, string> = {};
    for (const user of USERS) {
      const id = newId('usr');
      users[user.key] = id;
      await tx.query(
        `INSERT INTO users (id, email, full_name, birth_date, kyc_status, kyc_tier, auth_provider, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'approved' THEN 1 ELSE 0 END, 'bankid', now() - $6::interval, now() - $6::interval)`,
        [id, user.email, user.name, user.born, user.kyc, user.age],
      );
    }
    const userId = (key: UserKey) => users[key] as string;
    // Everyone who started verification has a (demo) Sumsub applicant.
    await tx.query(
      `INSERT INTO kyc_applicants (user_id, applicant_id, level_name, review_status, review_answer, reject_type, reject_labels, moderation_comment)
       SELECT id, 'demo' || substr(md5(id), 1, 20), 'basic-kyc-level',
              CASE kyc_status WHEN 'pending' THEN 'pending' WHEN 'on_hold' THEN 'onHold' ELSE 'completed' END,
              CASE kyc_status WHEN 'approved' THEN 'GREEN' WHEN 'rejected' THEN 'RED' WHEN 'retry' THEN 'RED' END,
              CASE kyc_status WHEN 'rejected' THEN 'FINAL' WHEN 'retry' THEN 'RETRY' END,
              CASE kyc_status WHEN 'retry' THEN ARRAY['BAD_QUALITY'] WHEN 'rejected' THEN ARRAY['FORGERY'] ELSE '{}' END,
              CASE kyc_status WHEN 'retry' THEN 'The photo of your passport is blurred. Please take a new one in good light.' END
         FROM users WHERE id = ANY($1) AND kyc_status <> 'not_started'`,
      [Object.values(users)],
    );

    const transactions: Record<string, string> = {};
    // The transfers' timelines and audit rows name the seeder.
    await tx.query(`SELECT set_config('drop.actor', $1, true)`, [options.actor]);
    for (const transfer of TRANSFERS) {
      const id = newId('tx');
      transactions[transfer.key] = id;
      // Receive amount in the target currency's minor units, rounded down at this explicit FX step.
      const rateMicros = BigInt(Math.round(Number(transfer.rate) * 1_000_000));
      const receiveMinor = ((transfer.sendOre - transfer.feeOre) * rateMicros) / 1_000_000n;
      // Every demo transfer starts like a real one (awaiting funds, its pay-in reserved in the
      // ledger) and walks the state machine to its status, so `drop ledger verify` holds on demo data.
      await tx.query(
        `INSERT INTO transactions (id, user_id, type, status, send_amount_minor, send_currency, fee_minor,
                                   receive_amount_minor, receive_currency, fx_rate, created_at, updated_at)
         VALUES ($1, $2, 'transfer', 'awaiting_funds', $3, 'NOK', $4, $5, $6, $7, now() - $8::interval, now() - $8::interval)`,
        [
          id,
          userId(transfer.user),
          transfer.sendOre.toString(),
          transfer.feeOre.toString(),
          receiveMinor.toString(),
          transfer.currency,
          transfer.rate,
          transfer.age,
        ],
      );
      await tx.query(
        `SELECT ledger_post($1, jsonb_build_array(jsonb_build_object('kind', 'pending', 'code', 'payin',
                'debit', ledger_system_account('bank', 'NOK', 0::smallint), 'credit', ledger_customer_account($2, 'NOK'),
                'amount', $3::bigint, 'currency', 'NOK')))`,
        [id, userId(transfer.user), transfer.sendOre.toString()],
      );
      for (const to of STEPS_TO_STATUS[transfer.status]) {
        await transitionTransferIn(tx, {
          transactionId: id,
          to,
          actor: options.actor,
          reason: 'demo data',
          ...(to === 'failed' ? { failureReason: transfer.failure ?? 'demo failure' } : {}),
        });
      }
    }

    // Casework: the customer of the critical sanctions alert is being investigated (nobody assigned
    // yet), and the STR awaiting approval was drafted from that case; another investigation has run
    // past the 30 days of hvitvaskingsloven § 25, so the overdue view has something in it.
    const cases: Record<string, string> = {};
    const caseRows = [
      {
        key: 'sanctionsInvestigating',
        user: 'onHold',
        title: 'Possible sanctions match on the sender',
        assignedTo: null,
        opened: '3 hours 50 minutes',
        note: 'Name and date of birth match the OFAC SDN entry; passport copy requested from the customer. The held transfer stays held.',
      },
      {
        key: 'overdue',
        user: 'sender',
        title: 'Repeated transfers to Kenya just below NOK 10 000',
        assignedTo: lead,
        opened: '34 days',
        note: 'Eleven transfers in three weeks to four recipients in Nairobi. Asked the customer for the purpose; no answer yet.',
      },
    ] as const;
    for (const found of caseRows) {
      const id = newId('case');
      cases[found.key] = id;
      await tx.query(
        `INSERT INTO aml_cases (id, user_id, title, status, opened_by, opened_at, assigned_to, due_at, updated_at)
         VALUES ($1, $2, $3, 'investigating', $4, now() - $5::interval, $6, now() - $5::interval + interval '30 days', now() - $5::interval)`,
        [id, userId(found.user), found.title, officer, found.opened, found.assignedTo],
      );
    }

    const alerts: Record<string, string> = {};
    const alertRows = [
      {
        key: 'largeOpen',
        user: 'sender',
        tx: 'large',
        rule: 'large_amount',
        severity: 'high',
        status: 'open',
        age: '2 days',
        details: { thresholdNok: 50000, amountNok: 75000 },
      },
      {
        key: 'sanctionsCritical',
        user: 'onHold',
        tx: 'onHoldUser',
        rule: 'sanctions_name_match',
        severity: 'critical',
        status: 'open',
        age: '4 hours',
        details: { list: 'OFAC SDN', score: 0.93 },
        // Added to the case by hand: it stays open until the case decides it.
        inCase: 'sanctionsInvestigating',
      },
      {
        key: 'velocityClosed',
        user: 'approved',
        tx: 'largePaid',
        rule: 'velocity_24h',
        severity: 'medium',
        status: 'closed',
        age: '12 days',
        details: { transfers24h: 4 },
        notes: 'Reviewed — legitimate transaction: salary sent to family, documented.',
      },
      {
        key: 'newCustomerOpen',
        user: 'pendingOld',
        tx: null,
        rule: 'new_customer_high_value_intent',
        severity: 'low',
        status: 'open',
        age: '1 day',
        details: {},
      },
    ] as const;
    for (const alert of alertRows) {
      const id = newId('alert');
      alerts[alert.key] = id;
      const closed = alert.status === 'closed';
      await tx.query(
        `INSERT INTO aml_alerts (id, user_id, transaction_id, rule, severity, status, details, created_at,
                                 reviewed_at, reviewed_by, reviewer_notes, case_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, now() - $8::interval,
                 CASE WHEN $9 THEN now() - $8::interval + interval '3 hours' END, $10, $11, $12)`,
        [
          id,
          userId(alert.user),
          alert.tx ? transactions[alert.tx] : null,
          alert.rule,
          alert.severity,
          alert.status,
          JSON.stringify(alert.details),
          alert.age,
          closed,
          closed ? officer : null,
          'notes' in alert ? alert.notes : null,
          'inCase' in alert ? cases[alert.inCase] : null,
        ],
      );
    }

    // The cases' timelines, as the casework would have written them.
    const caseEvent = (caseKey: string, kind: string, ago: string, actor: string, text: string | null, details: object = {}) =>
      tx.query(
        `INSERT INTO aml_case_events (case_id, kind, actor, text, details, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, now() - $6::interval)`,
        [cases[caseKey], kind, actor, text, JSON.stringify(details), ago],
      );
    for (const found of caseRows) {
      await caseEvent(found.key, 'opened', found.opened, officer, found.title, { why: 'opened' });
    }
    const sanctions = alertRows.find((alert) => alert.key === 'sanctionsCritical');
    await caseEvent('sanctionsInvestigating', 'alert_added', '3 hours 49 minutes', officer, null, {
      alertId: alerts.sanctionsCritical,
      rule: sanctions?.rule,
      userId: userId('onHold'),
      joinedBy: 'added',
    });
    await caseEvent('sanctionsInvestigating', 'status_changed', '3 hours 45 minutes', officer, null, { from: 'open', to: 'investigating' });
    await caseEvent('sanctionsInvestigating', 'noted', '3 hours 30 minutes', officer, caseRows[0].note);
    await caseEvent('overdue', 'status_changed', '33 days', officer, null, { from: 'open', to: 'investigating' });
    await caseEvent('overdue', 'assigned', '33 days', officer, null, { assignedTo: lead, previously: null });
    await caseEvent('overdue', 'noted', '20 days', lead, caseRows[1].note);

    // Drafted from the case and submitted (an INSERT: str_reports_guard checks updates, and a row
    // awaiting approval with its drafter and no approver is what the workflow leaves).
    const awaiting = await tx.query<{ reference: string }>(
      `INSERT INTO str_reports (user_id, transaction_id, report_type, details, status, drafted_by, created_at, case_id, submitted_at)
       VALUES ($1, $2, 'suspicious_transaction', $3::jsonb, 'awaiting_approval', $4, now() - interval '3 hours', $5,
               now() - interval '2 hours 50 minutes')
       RETURNING reference`,
      [
        userId('onHold'),
        transactions.onHoldUser,
        JSON.stringify({ reason: 'Possible sanctions list match on the sender', amount: 49000, alertId: alerts.sanctionsCritical }),
        officer,
        cases.sanctionsInvestigating,
      ],
    );
    const reference = awaiting.rows[0]?.reference ?? null;
    await caseEvent('sanctionsInvestigating', 'str_drafted', '3 hours', officer, reference);
    await caseEvent('sanctionsInvestigating', 'str_submitted', '2 hours 50 minutes', officer, reference);
    await tx.query(
      `INSERT INTO str_reports (user_id, transaction_id, report_type, details, status, drafted_by, approved_by, created_at, filed_at)
       VALUES ($1, $2, 'suspicious_transaction', $3::jsonb, 'filed', $4, $5, now() - interval '30 days', now() - interval '29 days')`,
      [
        userId('rejected'),
        null,
        JSON.stringify({ reason: 'Structuring: eleven transfers just below NOK 10 000 in six days', amount: 104500 }),
        officer,
        lead,
      ],
    );

    await tx.query(
      `INSERT INTO data_access_requests (id, user_id, type, status, created_at, due_at, completed_at)
       VALUES ($1, $2, 'export', 'completed', now() - interval '20 days', now() + interval '10 days', now() - interval '19 days'),
              ($3, $4, 'erasure', 'received', now() - interval '2 days', now() + interval '28 days', NULL)`,
      [newId('dar'), userId('approved'), newId('dar'), userId('rejected')],
    );

    await tx.query(
      `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, now() - interval '2 minutes', now() - interval '1 minute', now() + interval '12 hours'),
              ($3, $4, now() - interval '1 hour', now() - interval '50 minutes', now() + interval '11 hours')`,
      [newId('ses'), userId('approved'), newId('ses'), userId('onHold')],
    );

    // The SLA page's last month and this one so far (packages/core/src/ops/sla).
    await seedDemoSlaHistory(tx, new Date());

    await recordAuditEvent(tx, {
      action: 'demo_data_seeded',
      resourceType: 'database',
      actor: options.actor,
      details: { users: USERS.length, transactions: TRANSFERS.length, alerts: alertRows.length, cases: caseRows.length },
    });
    return { created: true, users, transactions, alerts, cases };
  });
}
