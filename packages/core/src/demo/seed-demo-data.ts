import { createHash } from 'node:crypto';
import { type Db, newId, withTransaction } from '@drop/db';
import { closeAmlAlertIn } from '../aml/alerts/close-aml-alert.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { applyKycReview } from '../kyc/apply-kyc-review.ts';
import { declareSourceOfFunds } from '../kyc/declare-source-of-funds.ts';
import type { KycApplicantReview } from '../kyc/kyc-provider.ts';
import { DEFAULT_TIER_LIMITS, EDD_THRESHOLD_ORE } from '../kyc/tiers.ts';
import { parseAmount } from '../money/amount.ts';
import { importBankFile } from '../payments/import-bank-file.ts';
import type { KidFormat } from '../payments/kid.ts';
import { SequenceKidAllocator } from '../payments/kid-allocator.ts';
import { applyPayoutEvent } from '../payouts/apply-payout-event.ts';
import type { PayoutPartner } from '../payouts/payout-partner.ts';
import { sendPayout } from '../payouts/send-payout.ts';
import { startPayoutIn } from '../payouts/start-payout.ts';
import { DEFAULT_CORRIDORS } from '../pricing/corridors.ts';
import { createQuote } from '../quotes/create-quote.ts';
import { RateBook } from '../rates/rate-book.ts';
import { addRecipient } from '../recipients/manage-recipients.ts';
import { RECIPIENT_RULES, type RecipientCountry } from '../recipients/recipient-rules.ts';
import { voidTransferIn } from '../transfers/cancel-transfer.ts';
import { createTransferIn } from '../transfers/create-transfer.ts';
import { holdTransfer } from '../transfers/hold-transfer.ts';
import type { TransferStatus } from '../transfers/transfer-status.ts';
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

/** Where the demo customers pay from (their own bank accounts, for the pay-ins and the refund). */
const PAYER_ACCOUNTS: Partial<Record<UserKey, string>> = {
  approved: '12345678903',
  sender: '15030012346',
  onHold: '86011117947',
};

/**
 * Each demo transfer as a customer would make it (a quote, a recipient, create_transfer) and the
 * story that takes it to its status through the real flows: paid by a camt.054 credit with its KID,
 * paid out, failed or refunded by the payout partner's answer and the bank's debit, held by staff or
 * by the customer's KYC hold, cancelled by the customer.
 */
type Story = 'unpaid' | 'funded' | 'sent' | 'paid' | 'failed' | 'refunded' | 'heldByStaff' | 'heldByKyc' | 'cancelled';

const TRANSFERS: Array<{
  key: string;
  user: UserKey;
  status: TransferStatus;
  story: Story;
  /** NOK, by send amount. */
  send: string;
  country: string;
  currency: string;
  recipient: string;
  relationship: string;
}> = [
  {
    key: 'awaitingFunds',
    user: 'approved',
    status: 'awaiting_funds',
    story: 'unpaid',
    send: '2500',
    country: 'PL',
    currency: 'PLN',
    recipient: 'Anna Kowalska',
    relationship: 'friend',
  },
  {
    key: 'fundsReceived',
    user: 'approved',
    status: 'funds_received',
    story: 'funded',
    send: '5000',
    country: 'DE',
    currency: 'EUR',
    recipient: 'Lukas Hansen',
    relationship: 'family',
  },
  {
    key: 'processing',
    user: 'sender',
    status: 'processing',
    story: 'sent',
    send: '12000',
    country: 'PH',
    currency: 'PHP',
    recipient: 'Maria Santos',
    relationship: 'family',
  },
  {
    key: 'paidOut',
    user: 'approved',
    status: 'paid_out',
    story: 'paid',
    send: '3000',
    country: 'IN',
    currency: 'INR',
    recipient: 'Priya Sharma',
    relationship: 'friend',
  },
  {
    key: 'large',
    user: 'sender',
    status: 'held',
    story: 'heldByStaff',
    send: '75000',
    country: 'PK',
    currency: 'PKR',
    recipient: 'Imran Malik',
    relationship: 'family',
  },
  {
    key: 'largePaid',
    user: 'approved',
    status: 'paid_out',
    story: 'paid',
    send: '52000',
    country: 'ES',
    currency: 'EUR',
    recipient: 'Carmen López',
    relationship: 'family',
  },
  {
    key: 'cancelled',
    user: 'approved',
    status: 'cancelled',
    story: 'cancelled',
    send: '1000',
    country: 'SE',
    currency: 'SEK',
    recipient: 'Erik Svensson',
    relationship: 'friend',
  },
  {
    key: 'failed',
    user: 'sender',
    status: 'failed',
    story: 'failed',
    send: '4200',
    country: 'TR',
    currency: 'TRY',
    recipient: 'Ayşe Yılmaz',
    relationship: 'friend',
  },
  {
    key: 'refunded',
    user: 'sender',
    status: 'refunded',
    story: 'refunded',
    send: '800',
    country: 'DK',
    currency: 'DKK',
    recipient: 'Mette Nielsen',
    relationship: 'friend',
  },
  {
    key: 'onHoldUser',
    user: 'onHold',
    status: 'held',
    story: 'heldByKyc',
    send: '49000',
    country: 'PK',
    currency: 'PKR',
    recipient: 'Tariq Hussain',
    relationship: 'family',
  },
];

/** The demo's reference rates (NOK per unit), standing in for Norges Bank's. */
const DEMO_RATES: Record<string, string> = {
  EUR: '11.7300',
  PLN: '2.7360',
  PHP: '0.1912',
  INR: '0.1285',
  PKR: '0.0386',
  SEK: '1.0203',
  TRY: '0.2650',
  DKK: '1.5720',
};

/** Drop's payment settings the demo's bank files follow (the server's PAYIN_ACCOUNT, KID_METHOD and KID_LENGTH). */
export interface DemoPayIn {
  account: string;
  kid: KidFormat;
  lateToleranceDays: number;
}

/** The configuration's defaults (packages/config): what `npm start` uses. */
export const DEFAULT_DEMO_PAY_IN: DemoPayIn = { account: '86011117947', kid: { method: 'MOD10', length: 12 }, lateToleranceDays: 3 };

/** The payout partner the demo's payouts went to: it answers at once, as Wise's sandbox does. */
const DEMO_PARTNER = 'wise';
const demoPartner: PayoutPartner = {
  name: DEMO_PARTNER,
  send: async (order) => ({ partnerReference: `demo-${order.idempotencyKey.slice(0, 8)}`, state: 'processing' }),
  parseWebhook: () => null,
};

/** The demo applicant id at the (simulated) provider. */
const applicantOf = (userId: string) => `demo${createHash('md5').update(userId).digest('hex').slice(0, 20)}`;

/** Payout details that pass validation for the country: the recipient form's own examples. */
function exampleDetails(country: string): Record<string, string> {
  const rule = RECIPIENT_RULES[country as RecipientCountry];
  if (!rule) throw new Error(`no recipient rule for ${country}`);
  return Object.fromEntries(rule.fields.filter((field) => field.required).map((field) => [field.name, field.example]));
}

const osloDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });
const osloToday = () => osloDate.format(new Date());

const SEED_LOCK = 7406720152;

/**
 * Each step of the story commits on its own, as it would in the real flows (so the transfers,
 * timelines and audit rows follow each other in time). Concurrent seeders queue on an advisory
 * lock; the marker customer makes a second run add nothing.
 */
export async function seedDemoData(db: Db, options: { actor: string; payIn?: DemoPayIn }): Promise<DemoSeedResult> {
  const lock = await db.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [SEED_LOCK]);
    try {
      return await seedOnce(db, options.actor, options.payIn ?? DEFAULT_DEMO_PAY_IN);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [SEED_LOCK]);
    }
  } finally {
    lock.release();
  }
}

async function seedOnce(db: Db, actor: string, payIn: DemoPayIn): Promise<DemoSeedResult> {
  const existing = await db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [DEMO_MARKER_EMAIL]);
  if (existing.rowCount) {
    const users = await db.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE email = ANY($1)', [
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
    const existingStaff = await db.query<{ id: string }>('SELECT id FROM staff WHERE lower(email) = $1', [member.email]);
    const id = existingStaff.rows[0]?.id ?? newId('stf');
    staff[member.key] = id;
    // A placeholder TOTP ciphertext: the account is disabled and has no enrolment, so it is never read.
    await db.query(
      `INSERT INTO staff (id, email, full_name, role, totp_secret_ciphertext, disabled_at)
         VALUES ($1, $2, $3, $4, decode('00', 'hex'), now()) ON CONFLICT DO NOTHING`,
      [id, member.email, member.name, member.role],
    );
  }
  const officer = staff.officer as string;
  const lead = staff.lead as string;

  // Customers sign up unverified; everyone who started verification has a (demo) Sumsub
  // applicant, and the provider's review moves them through applyKycReview, as its webhook
  // would: so each one has the history the console's KYC case shows, and can be decided there.
  const users: Record<string, string> = {};
  for (const user of USERS) {
    const id = newId('usr');
    users[user.key] = id;
    const [given, ...family] = user.name.split(' ');
    await db.query(
      `INSERT INTO users (id, email, full_name, given_name, family_name, birth_date, kyc_status, kyc_tier, auth_provider, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'not_started', 0, 'bankid', now() - $7::interval, now() - $7::interval)`,
      [id, user.email, user.name, given, family.join(' '), user.born, user.age],
    );
  }
  const userId = (key: UserKey) => users[key] as string;
  const review = (key: UserKey, kycReview: Omit<KycApplicantReview, 'applicantId' | 'externalUserId'>, type: string) =>
    withTransaction(db, (tx) =>
      applyKycReview(tx, {
        userId: userId(key),
        review: { applicantId: applicantOf(userId(key)), externalUserId: userId(key), ...kycReview },
        eventMs: Date.now(),
        reason: `sumsub:${type}`,
        actor: 'sumsub',
      }),
    );
  for (const user of USERS) {
    if (user.kyc === 'not_started') continue;
    const id = userId(user.key);
    await db.query(
      `INSERT INTO kyc_applicants (user_id, applicant_id, level_name, review_status) VALUES ($1, $2, 'basic-kyc-level', 'init')`,
      [id, applicantOf(id)],
    );
    await recordAuditEvent(db, {
      action: 'kyc_started',
      resourceType: 'user',
      resourceId: id,
      actor: id,
      details: { applicantId: applicantOf(id), levelName: 'basic-kyc-level' },
    });
    await review(user.key, { reviewStatus: 'pending' }, 'applicantPending');
    if (user.kyc === 'approved' || user.kyc === 'on_hold') {
      // Amir Khan was approved and sent money before the hold (below).
      await review(user.key, { reviewStatus: 'completed', reviewAnswer: 'GREEN' }, 'applicantReviewed');
    } else if (user.kyc === 'rejected') {
      await review(
        user.key,
        { reviewStatus: 'completed', reviewAnswer: 'RED', rejectType: 'FINAL', rejectLabels: ['FORGERY'] },
        'applicantReviewed',
      );
    } else if (user.kyc === 'retry') {
      await review(
        user.key,
        {
          reviewStatus: 'completed',
          reviewAnswer: 'RED',
          rejectType: 'RETRY',
          rejectLabels: ['BAD_QUALITY'],
          moderationComment: 'The photo of your passport is blurred. Please take a new one in good light.',
        },
        'applicantReviewed',
      );
    }
  }
  // The two big senders told Drop where their money comes from (enhanced due diligence: tier 2).
  await declareSourceOfFunds(db, { userId: userId('approved'), source: 'Salary and savings' });
  await declareSourceOfFunds(db, { userId: userId('sender'), source: 'Sale of a car' });

  // The transfers, made as the customer app makes them.
  const rates = new RateBook({
    source: {
      name: 'demo',
      fetchLatest: async () => ({ source: 'demo', date: osloToday(), fetchedAt: new Date(), rates: new Map(Object.entries(DEMO_RATES)) }),
    },
    currencies: Object.keys(DEMO_RATES),
  });
  await rates.refresh();
  const kids = new SequenceKidAllocator(payIn.kid);
  const transactions: Record<string, string> = {};
  const transfers: Array<{ key: string; id: string; user: UserKey; story: Story; sendMinor: bigint; kid: string }> = [];
  for (const transfer of TRANSFERS) {
    const owner = userId(transfer.user);
    const recipient = await addRecipient(db, {
      userId: owner,
      recipient: {
        name: transfer.recipient,
        country: transfer.country,
        currency: transfer.currency,
        relationship: transfer.relationship,
        details: exampleDetails(transfer.country),
      },
    });
    const quote = await createQuote(db, {
      session: null,
      userId: owner,
      by: 'send',
      amount: transfer.send,
      country: transfer.country,
      currency: transfer.currency,
      corridors: DEFAULT_CORRIDORS,
      rates,
      ttlSeconds: 1800,
    });
    const created = await createTransferIn(db, {
      session: null,
      userId: owner,
      idempotencyKey: `demo-${transfer.key}`,
      request: { quoteId: quote.id, recipientId: recipient.id },
      limits: DEFAULT_TIER_LIMITS,
      eddThresholdOre: EDD_THRESHOLD_ORE,
      ledgerShards: 1,
      kids,
    });
    const { id, kid } = created.body.data;
    if (!kid) throw new Error(`demo transfer ${transfer.key} has no KID`);
    transactions[transfer.key] = id;
    transfers.push({
      key: transfer.key,
      id,
      user: transfer.user,
      story: transfer.story,
      sendMinor: parseAmount(transfer.send, 'NOK'),
      kid,
    });
  }
  const txOf = (key: string) => transactions[key] as string;

  // Ingrid Hansen changed her mind about the SEK transfer before paying.
  await withTransaction(db, (tx) =>
    voidTransferIn(tx, { userId: userId('approved'), transactionId: txOf('cancelled'), reason: 'cancelled by the customer' }),
  );
  // Compliance held the large PKR transfer that monitoring raised an alert on, before it was paid.
  await holdTransfer(db, {
    transactionId: txOf('large'),
    staffId: officer,
    reason: 'Stor overføring: ba kunden om dokumentasjon',
  });

  // The customers paid: the bank's camt.054 notification, imported as `drop payments import` does.
  const paid = transfers.filter((t) => !['unpaid', 'cancelled', 'heldByStaff'].includes(t.story));
  const today = osloToday();
  await importBankFile(db, {
    file: {
      kind: 'camt.054',
      messageId: `DEMO-${today}-IN`,
      reports: [
        {
          id: `DEMO-${today}-IN`,
          account: { other: payIn.account, currency: 'NOK' },
          entries: paid.map((t, n) => ({
            reference: `DEMO-${t.id.slice(-10)}-${n}`,
            creditDebit: 'CRDT' as const,
            reversal: false,
            status: 'BOOK',
            amountMinor: t.sendMinor,
            currency: 'NOK',
            bookingDate: today,
            kid: t.kid,
            debtor: { name: USERS.find((u) => u.key === t.user)?.name ?? '', account: PAYER_ACCOUNTS[t.user] as string },
          })),
        },
      ],
    },
    sha256: createHash('sha256')
      .update(`demo pay-ins ${paid.map((t) => t.id).join(',')}`)
      .digest(),
    fileName: 'demo-camt054-payins.xml',
    importedBy: actor,
    payInAccount: payIn.account,
    kidFormat: payIn.kid,
    lateToleranceDays: payIn.lateToleranceDays,
  });

  // Payouts: started (the fee taken, NOK converted), sent to the partner, and its answer applied.
  for (const t of transfers.filter((t) => ['sent', 'paid', 'failed', 'refunded'].includes(t.story))) {
    await withTransaction(db, (tx) => startPayoutIn(tx, { transactionId: t.id, partner: DEMO_PARTNER, actor: 'system:payouts' }));
    await sendPayout(db, demoPartner, t.id);
    if (t.story === 'sent') continue;
    const { rows } = await db.query<{ partner_reference: string }>('SELECT partner_reference FROM payouts WHERE transaction_id = $1', [
      t.id,
    ]);
    await withTransaction(db, (tx) =>
      applyPayoutEvent(tx, {
        partner: DEMO_PARTNER,
        event: {
          partnerReference: rows[0]?.partner_reference as string,
          state: t.story === 'paid' ? 'paid' : 'failed',
          partnerState: t.story === 'paid' ? 'outgoing_payment_sent' : 'bounced_back',
          occurredAt: new Date().toISOString(),
          deliveryId: undefined,
        },
      }),
    );
  }

  // The refund owed for the failed DKK transfer left Drop's bank: its debit on the statement confirms it.
  const refunded = transfers.find((t) => t.story === 'refunded');
  if (refunded) {
    await importBankFile(db, {
      file: {
        kind: 'camt.054',
        messageId: `DEMO-${today}-OUT`,
        reports: [
          {
            id: `DEMO-${today}-OUT`,
            account: { other: payIn.account, currency: 'NOK' },
            entries: [
              {
                reference: `DEMO-${refunded.id.slice(-10)}-R`,
                creditDebit: 'DBIT',
                reversal: false,
                status: 'BOOK',
                amountMinor: refunded.sendMinor,
                currency: 'NOK',
                bookingDate: today,
                creditor: { name: 'Jonas Bakke', account: PAYER_ACCOUNTS.sender as string },
              },
            ],
          },
        ],
      },
      sha256: createHash('sha256').update(`demo refund ${refunded.id}`).digest(),
      fileName: 'demo-camt054-refund.xml',
      importedBy: actor,
      payInAccount: payIn.account,
      kidFormat: payIn.kid,
      lateToleranceDays: payIn.lateToleranceDays,
    });
  }

  // Amir Khan's verification is put on hold (the provider's check found a possible sanctions
  // match): the database holds his paid transfer at once (trigger users_contain_blocked).
  await review('onHold', { reviewStatus: 'onHold' }, 'applicantOnHold');

  return withTransaction(db, async (tx) => {
    // Casework: the customer of the critical sanctions alert is being investigated (nobody assigned
    // yet), and the STR awaiting approval was drafted from that case; another investigation has run
    // past the 30 days of hvitvaskingsloven § 25, so the overdue view has something in it.
    const cases: Record<string, string> = {};
    const caseRows = [
      {
        key: 'sanctionsInvestigating',
        user: 'onHold',
        title: 'Mulig sanksjonstreff på avsenderen',
        assignedTo: null,
        opened: '3 hours 50 minutes',
        note: 'Navn og fødselsdato stemmer med oppføringen på OFAC SDN-listen; kopi av pass er bedt om fra kunden. Den tilbakeholdte overføringen blir holdt tilbake.',
      },
      {
        key: 'overdue',
        user: 'sender',
        title: 'Gjentatte overføringer til Kenya like under 10 000 kr',
        assignedTo: lead,
        opened: '34 days',
        note: 'Elleve overføringer på tre uker til fire mottakere i Nairobi. Har spurt kunden om formålet; ikke svar ennå.',
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
    // The alerts monitoring raised inside create_transfer (large transfers): the held one is open,
    // the paid one was reviewed and closed.
    const raised = await tx.query<{ id: string; transaction_id: string; rule: string }>(
      `SELECT id, transaction_id, rule FROM aml_alerts WHERE transaction_id = ANY($1) ORDER BY created_at, id`,
      [Object.values(transactions)],
    );
    const keyOf = new Map(Object.entries(transactions).map(([key, id]) => [id, key]));
    const largeOpen = raised.rows.find((row) => row.transaction_id === txOf('large') && row.rule === 'large_transfer');
    const largePaid = raised.rows.find((row) => row.transaction_id === txOf('largePaid') && row.rule === 'large_transfer');
    if (!largeOpen || !largePaid) throw new Error('the demo expects monitoring to raise large_transfer alerts (aml_settings, aml_rules)');
    alerts.largeOpen = largeOpen.id;
    alerts.velocityClosed = largePaid.id;
    for (const row of raised.rows) {
      if (row !== largeOpen && row !== largePaid) alerts[`${row.rule}:${keyOf.get(row.transaction_id)}`] = row.id;
    }
    await closeAmlAlertIn(tx, {
      alertId: largePaid.id,
      outcome: 'legitimate',
      notes: 'Gjennomgått – legitim overføring: depositum for bolig sendt til familie i Spania, kontoutskrift er lagret.',
      actor: officer,
    });
    for (const alert of alertRows) {
      const id = newId('alert');
      alerts[alert.key] = id;
      await tx.query(
        `INSERT INTO aml_alerts (id, user_id, transaction_id, rule, severity, status, details, created_at, case_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, now() - $8::interval, $9)`,
        [
          id,
          userId(alert.user),
          alert.tx ? transactions[alert.tx] : null,
          alert.rule,
          alert.severity,
          alert.status,
          JSON.stringify(alert.details),
          alert.age,
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
        JSON.stringify({ reason: 'Mulig treff på sanksjonsliste for avsenderen', amount: 49000, alertId: alerts.sanctionsCritical }),
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
        JSON.stringify({ reason: 'Oppdeling: elleve overføringer like under 10 000 kr på seks dager', amount: 104500 }),
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
      actor: actor,
      details: { users: USERS.length, transactions: TRANSFERS.length, alerts: alertRows.length, cases: caseRows.length },
    });
    return { created: true, users, transactions, alerts, cases };
  });
}
