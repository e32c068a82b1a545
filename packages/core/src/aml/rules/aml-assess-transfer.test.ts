/**
 * The AML decision inside create_transfer (aml_assess_transfer): each monitoring rule fires on
 * the history that should fire it and stays quiet just below; one alert per rule, subject and
 * window; the screening matches a transfer carries hold it (sanctions, freezing the customer) or
 * ask for EDD (PEP); a cleared match stays cleared until its list record changes; rule changes
 * are versioned and audited. Each test has its own customers and recipient accounts, so no test
 * sees another's history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ScreeningPartyMatch } from '@drop/contracts';
import { newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database.ts';
import { fixedRates } from '../../../../../test/support/money.ts';
import type { KycTier, TierLimits } from '../../kyc/tiers.ts';
import { EDD_THRESHOLD_ORE } from '../../kyc/tiers.ts';
import { SequenceKidAllocator } from '../../payments/kid-allocator.ts';
import { DEFAULT_CORRIDORS } from '../../pricing/corridors.ts';
import { createQuote } from '../../quotes/create-quote.ts';
import { addRecipient } from '../../recipients/manage-recipients.ts';
import { createTransfer } from '../../transfers/create-transfer.ts';
import { pruneAmlAggregates } from './prune-aml-aggregates.ts';
import { setAmlMonitoring } from './set-aml-monitoring.ts';
import { updateAmlRule } from './update-aml-rule.ts';

const rates = fixedRates({ EUR: '11.7035', VND: '0.0004' });
const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
const NOK = (kroner: number) => BigInt(kroner) * 100n;
// Limits far above what the tests send: the AML rules are under test, not the tier limits.
const WIDE: TierLimits = { perTransferOre: NOK(10_000_000), thirtyDaysOre: NOK(100_000_000), twelveMonthsOre: NOK(100_000_000) };
const LIMITS: Record<KycTier, TierLimits> = { 0: WIDE, 1: WIDE, 2: WIDE };

let accountNumber = 1_000_000_000;
/** A valid German IBAN no other test uses: each recipient account is its own. */
function freshIban(): string {
  const bban = `37040044${String(accountNumber++).padStart(10, '0')}`;
  const check = 98n - (BigInt(`${bban}131400`) % 97n);
  return `DE${String(check).padStart(2, '0')}${bban}`;
}

describe('the AML decision on a new transfer', () => {
  let db: TestDatabase;

  const customer = async (options: { name?: string; birthDate?: string; since?: string } = {}) => {
    const userId = newId('usr');
    await db.pool.query(
      `INSERT INTO users (id, full_name, birth_date, kyc_status, kyc_tier, source_of_funds, source_of_funds_declared_at, created_at)
       VALUES ($1, $2, $3, 'approved', 2, 'salary', now(), now() - $4::interval)`,
      [userId, options.name ?? 'Kari Nordmann', options.birthDate ?? null, options.since ?? '1 year'],
    );
    return { userId, recipientId: await recipient(userId) };
  };
  const recipient = async (userId: string, iban = freshIban()) =>
    (
      await addRecipient(db.pool, {
        userId,
        recipient: { name: 'Anna Schmidt', country: 'DE', currency: 'EUR', relationship: 'family', details: { iban } },
      })
    ).id;
  const vietnameseRecipient = async (userId: string) =>
    (
      await addRecipient(db.pool, {
        userId,
        recipient: {
          name: 'Nguyen Van An',
          country: 'VN',
          currency: 'VND',
          relationship: 'family',
          details: { bankCode: '970436', accountNumber: String(accountNumber++) },
        },
      })
    ).id;
  const send = async (
    who: { userId: string; recipientId: string },
    nok: number,
    options: { screening?: ScreeningPartyMatch[]; country?: string; currency?: string } = {},
  ) => {
    const quote = await createQuote(db.pool, {
      session: null,
      userId: who.userId,
      by: 'send',
      amount: String(nok),
      country: options.country ?? 'DE',
      currency: options.currency ?? 'EUR',
      corridors: DEFAULT_CORRIDORS,
      rates,
      ttlSeconds: 1800,
    });
    const created = await createTransfer(db.pool, {
      session: null,
      userId: who.userId,
      idempotencyKey: newId('tx'),
      request: { quoteId: quote.id, recipientId: who.recipientId },
      limits: LIMITS,
      eddThresholdOre: EDD_THRESHOLD_ORE,
      ledgerShards: 4,
      kids,
      ...(options.screening ? { screening: options.screening } : {}),
    });
    return { id: created.body.data.id, status: created.body.data.status };
  };
  type AlertRow = {
    id: string;
    transaction_id: string | null;
    severity: string;
    subject_type: string;
    subject_id: string;
    rule_version: number;
    screening_match_id: string | null;
    details: { facts: Record<string, unknown>; action: string; summary: string };
  };
  const alerts = async (userId: string, rule: string) =>
    (
      await db.pool.query<AlertRow>(
        `SELECT id, transaction_id, severity, subject_type, subject_id, rule_version, screening_match_id, details
           FROM aml_alerts WHERE user_id = $1 AND rule = $2 ORDER BY created_at, id`,
        [userId, rule],
      )
    ).rows;
  /** Moves the customer's recorded history back in time, as if it had happened then. */
  const age = async (userId: string, interval: string) => {
    await db.pool.query(
      `UPDATE aml_customer_activity SET first_at = first_at - $2::interval, last_at = last_at - $2::interval,
              recent_at = ARRAY(SELECT x - $2::interval FROM unnest(recent_at) x)
        WHERE user_id = $1`,
      [userId, interval],
    );
    await db.pool.query(
      `UPDATE aml_sender_recipients SET first_at = first_at - $2::interval, last_at = last_at - $2::interval WHERE user_id = $1`,
      [userId, interval],
    );
  };
  const statusOf = async (id: string) => (await db.pool.query('SELECT status, held_from FROM transactions WHERE id = $1', [id])).rows[0];

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_aml_rules' });
    await rates.refresh();
  });
  after(async () => {
    await db?.drop();
  });

  describe('large_transfer', () => {
    it('alerts on NOK 50 001, and the runbook’s alert review (7.1) shows it', async () => {
      const kari = await customer();
      const transfer = await send(kari, 50_001);
      const [alert, ...more] = await alerts(kari.userId, 'large_transfer');
      assert.equal(more.length, 0);
      assert.equal(alert?.transaction_id, transfer.id);
      assert.equal(alert?.severity, 'high');
      assert.equal(alert?.rule_version, 1);
      assert.equal(alert?.subject_type, 'customer');
      assert.deepEqual(alert?.details.facts, { amountNok: '50001.00', minNok: 50000 });
      assert.equal(alert?.details.action, 'alert');
      assert.equal(transfer.status, 'awaiting_funds');
      // Operational runbook 7.1, verbatim.
      const review = await db.pool.query(`SELECT a.*, u.email, t.send_amount, t.send_currency
FROM aml_alerts a
JOIN users u ON a.user_id = u.id
LEFT JOIN transactions t ON a.transaction_id = t.id
WHERE a.status = 'open'
ORDER BY a.created_at DESC`);
      const row = review.rows.find((r) => r.id === alert?.id);
      assert.equal(row?.rule, 'large_transfer');
      assert.equal(row?.send_amount, '50001.00');
    });

    it('does not alert on NOK 49 999', async () => {
      const kari = await customer();
      await send(kari, 49_999);
      assert.deepEqual(await alerts(kari.userId, 'large_transfer'), []);
    });

    it('alerts once per transfer: two large transfers, two alerts', async () => {
      const kari = await customer();
      const first = await send(kari, 60_000);
      const second = await send(kari, 60_000);
      assert.deepEqual(
        (await alerts(kari.userId, 'large_transfer')).map((a) => a.transaction_id),
        [first.id, second.id],
      );
    });
  });

  describe('structuring', () => {
    it('alerts on the third transfer within 10 % below NOK 50 000 in 7 days', async () => {
      const kari = await customer();
      await send(kari, 46_000);
      await send(kari, 49_000);
      assert.equal((await alerts(kari.userId, 'structuring')).length, 0);
      const third = await send(kari, 45_000);
      const [alert] = await alerts(kari.userId, 'structuring');
      assert.equal(alert?.transaction_id, third.id);
      assert.equal(alert?.details.facts.nearThresholdTransfers, 3);
    });

    it('does not alert when the third is just below the band (NOK 44 999)', async () => {
      const kari = await customer();
      await send(kari, 46_000);
      await send(kari, 49_000);
      await send(kari, 44_999);
      assert.deepEqual(await alerts(kari.userId, 'structuring'), []);
    });
  });

  describe('linked_transfers', () => {
    it('alerts when the transfers of 12 months reach NOK 100 000', async () => {
      const kari = await customer();
      await send(kari, 40_000);
      await send(kari, 40_000);
      await send(kari, 20_000);
      const [alert, ...more] = await alerts(kari.userId, 'linked_transfers');
      assert.equal(more.length, 0);
      assert.equal(alert?.details.facts.totalNok, '100000.00');
    });

    it('does not alert at NOK 99 999', async () => {
      const kari = await customer();
      await send(kari, 40_000);
      await send(kari, 40_000);
      await send(kari, 19_999);
      assert.deepEqual(await alerts(kari.userId, 'linked_transfers'), []);
    });
  });

  describe('velocity_daily', () => {
    it('alerts on the sixth transfer in 24 hours, once for the window', async () => {
      const kari = await customer();
      for (let i = 0; i < 5; i++) await send(kari, 500);
      assert.deepEqual(await alerts(kari.userId, 'velocity_daily'), []);
      const sixth = await send(kari, 500);
      await send(kari, 500);
      const fired = await alerts(kari.userId, 'velocity_daily');
      assert.equal(fired.length, 1, 'the seventh transfer is in the same window');
      assert.equal(fired[0]?.transaction_id, sixth.id);
      assert.equal(fired[0]?.details.facts.transfers, 6);
    });

    it('does not alert on five, nor when the earlier ones are older than 24 hours', async () => {
      const kari = await customer();
      for (let i = 0; i < 5; i++) await send(kari, 500);
      await age(kari.userId, '24 hours 1 minute');
      await send(kari, 500);
      assert.deepEqual(await alerts(kari.userId, 'velocity_daily'), []);
    });
  });

  describe('velocity_burst', () => {
    it('alerts on a transfer less than 5 minutes after the previous one', async () => {
      const kari = await customer();
      await send(kari, 500);
      const second = await send(kari, 500);
      const [alert] = await alerts(kari.userId, 'velocity_burst');
      assert.equal(alert?.transaction_id, second.id);
    });

    it('does not alert 5 minutes and a second later', async () => {
      const kari = await customer();
      await send(kari, 500);
      await age(kari.userId, '5 minutes 1 second');
      await send(kari, 500);
      assert.deepEqual(await alerts(kari.userId, 'velocity_burst'), []);
    });
  });

  describe('fan_in', () => {
    it('alerts when a fifth customer sends to the same account in 24 hours, once, about the recipient', async () => {
      const iban = freshIban();
      const senders = [];
      for (let i = 0; i < 6; i++) {
        const userId = (await customer()).userId;
        senders.push({ userId, recipientId: await recipient(userId, iban.replace(/(.{4})/g, '$1 ').trim()) });
      }
      for (const sender of senders.slice(0, 4)) await send(sender, 800);
      const quiet = await db.pool.query(`SELECT count(*)::int AS n FROM aml_alerts WHERE rule = 'fan_in' AND user_id = ANY ($1)`, [
        senders.map((s) => s.userId),
      ]);
      assert.equal(quiet.rows[0].n, 0, 'four senders are below the threshold');
      const fifth = await send(senders[4] as (typeof senders)[number], 800);
      await send(senders[5] as (typeof senders)[number], 800);
      const { rows } = await db.pool.query<AlertRow>(
        `SELECT transaction_id, subject_type, subject_id, details FROM aml_alerts WHERE rule = 'fan_in' AND user_id = ANY ($1)`,
        [senders.map((s) => s.userId)],
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.transaction_id, fifth.id);
      assert.equal(rows[0]?.subject_type, 'recipient');
      assert.equal(rows[0]?.subject_id, senders[4]?.recipientId);
      assert.equal(rows[0]?.details.facts.senders, 5);
    });
  });

  describe('fan_out', () => {
    it('alerts on the fifth recipient account in 8 hours', async () => {
      const kari = await customer();
      for (let i = 0; i < 4; i++) await send({ userId: kari.userId, recipientId: await recipient(kari.userId) }, 700);
      assert.deepEqual(await alerts(kari.userId, 'fan_out'), []);
      const fifth = await send({ userId: kari.userId, recipientId: await recipient(kari.userId) }, 700);
      const [alert] = await alerts(kari.userId, 'fan_out');
      assert.equal(alert?.transaction_id, fifth.id);
      assert.equal(alert?.details.facts.recipients, 5);
    });

    it('does not count the same account twice, nor accounts last paid more than 8 hours ago', async () => {
      const kari = await customer();
      for (let i = 0; i < 3; i++) await send({ userId: kari.userId, recipientId: await recipient(kari.userId) }, 700);
      await age(kari.userId, '8 hours 1 minute');
      await send(kari, 700);
      await send(kari, 700);
      await send({ userId: kari.userId, recipientId: await recipient(kari.userId) }, 700);
      assert.deepEqual(await alerts(kari.userId, 'fan_out'), []);
    });
  });

  describe('new_customer_large', () => {
    it('alerts when a customer of 10 days sends NOK 20 000', async () => {
      const kari = await customer({ since: '10 days' });
      const transfer = await send(kari, 20_000);
      const [alert] = await alerts(kari.userId, 'new_customer_large');
      assert.equal(alert?.transaction_id, transfer.id);
    });

    it('does not alert on NOK 19 999, nor for an established customer with history', async () => {
      const kari = await customer({ since: '10 days' });
      await send(kari, 19_999);
      assert.deepEqual(await alerts(kari.userId, 'new_customer_large'), []);
      const ola = await customer({ since: '2 years' });
      for (let i = 0; i < 3; i++) await send(ola, 15_000);
      await send(ola, 20_000);
      assert.deepEqual(await alerts(ola.userId, 'new_customer_large'), []);
    });
  });

  describe('amount_spike', () => {
    it('alerts on three times the 90-day average (and 1.5 × the largest)', async () => {
      const kari = await customer();
      for (let i = 0; i < 3; i++) await send(kari, 2_000);
      const spike = await send(kari, 6_000);
      const [alert] = await alerts(kari.userId, 'amount_spike');
      assert.equal(alert?.transaction_id, spike.id);
      assert.equal(alert?.details.facts.averageNok, '2000.00');
    });

    it('does not alert just below three times the average', async () => {
      const kari = await customer();
      for (let i = 0; i < 3; i++) await send(kari, 2_000);
      await send(kari, 5_999);
      assert.deepEqual(await alerts(kari.userId, 'amount_spike'), []);
    });
  });

  describe('similar_amounts', () => {
    it('alerts when two of the last three transfers are within 10 %', async () => {
      const kari = await customer();
      await send(kari, 5_000);
      await send(kari, 5_100);
      assert.deepEqual(await alerts(kari.userId, 'similar_amounts'), [], 'one similar earlier transfer is not enough');
      const third = await send(kari, 5_050);
      await send(kari, 5_020);
      const fired = await alerts(kari.userId, 'similar_amounts');
      assert.equal(fired.length, 1, 'one alert for the window');
      assert.equal(fired[0]?.transaction_id, third.id);
      assert.equal(fired[0]?.details.facts.similar, 2);
    });

    it('does not alert when only one earlier transfer is within 10 %', async () => {
      const kari = await customer();
      await send(kari, 5_000);
      await send(kari, 5_700);
      await send(kari, 5_100);
      assert.deepEqual(await alerts(kari.userId, 'similar_amounts'), []);
    });
  });

  describe('dormant_reactivated', () => {
    it('alerts on the first transfer after more than 90 days', async () => {
      const kari = await customer();
      await send(kari, 1_000);
      await age(kari.userId, '91 days');
      const back = await send(kari, 1_000);
      const [alert] = await alerts(kari.userId, 'dormant_reactivated');
      assert.equal(alert?.transaction_id, back.id);
    });

    it('does not alert after 89 days', async () => {
      const kari = await customer();
      await send(kari, 1_000);
      await age(kari.userId, '89 days');
      await send(kari, 1_000);
      assert.deepEqual(await alerts(kari.userId, 'dormant_reactivated'), []);
    });
  });

  describe('high_risk_country', () => {
    it('alerts on a transfer to Vietnam (FATF increased monitoring, EU list), without holding it', async () => {
      const kari = await customer();
      const transfer = await send({ userId: kari.userId, recipientId: await vietnameseRecipient(kari.userId) }, 3_000, {
        country: 'VN',
        currency: 'VND',
      });
      const [alert] = await alerts(kari.userId, 'high_risk_country');
      assert.equal(alert?.severity, 'medium');
      assert.deepEqual(alert?.details.facts.lists, ['eu_high_risk', 'fatf_grey']);
      assert.equal(transfer.status, 'awaiting_funds');
      assert.deepEqual(await alerts(kari.userId, 'high_risk_country_call_for_action'), []);
    });

    it('does not alert on a transfer to Germany', async () => {
      const kari = await customer();
      await send(kari, 3_000);
      assert.deepEqual(await alerts(kari.userId, 'high_risk_country'), []);
    });

    it('holds a transfer to a country on a list the call-for-action rule names', async () => {
      const kari = await customer();
      const actor = 'stf_test';
      await updateAmlRule(db.pool, {
        code: 'high_risk_country_call_for_action',
        change: { params: { lists: ['fatf_black', 'fatf_grey'] }, reason: 'test: treat grey as black' },
        actor,
      });
      try {
        const transfer = await send({ userId: kari.userId, recipientId: await vietnameseRecipient(kari.userId) }, 3_000, {
          country: 'VN',
          currency: 'VND',
        });
        assert.equal(transfer.status, 'held');
        assert.deepEqual(await statusOf(transfer.id), { status: 'held', held_from: 'awaiting_funds' });
        const [alert] = await alerts(kari.userId, 'high_risk_country_call_for_action');
        assert.equal(alert?.details.action, 'hold');
        assert.equal(alert?.rule_version, 2);
      } finally {
        await updateAmlRule(db.pool, {
          code: 'high_risk_country_call_for_action',
          change: { params: { lists: ['fatf_black'] }, reason: 'test: back to the default' },
          actor,
        });
      }
    });
  });

  describe('round_amounts', () => {
    it('alerts on the third transfer of a multiple of NOK 1 000 (from NOK 10 000) in 30 days', async () => {
      const kari = await customer();
      await send(kari, 10_000);
      await send(kari, 12_000);
      const third = await send(kari, 15_000);
      const [alert] = await alerts(kari.userId, 'round_amounts');
      assert.equal(alert?.transaction_id, third.id);
    });

    it('does not alert when the third is not round (NOK 10 500)', async () => {
      const kari = await customer();
      await send(kari, 10_000);
      await send(kari, 12_000);
      await send(kari, 10_500);
      assert.deepEqual(await alerts(kari.userId, 'round_amounts'), []);
    });
  });

  describe('new_recipient_combined', () => {
    it('alerts when the first transfer to an account is also a large transfer', async () => {
      const kari = await customer();
      const first = await send(kari, 55_000);
      const [alert] = await alerts(kari.userId, 'new_recipient_combined');
      assert.equal(alert?.transaction_id, first.id);
      // A customer with no earlier transfer also fires new_customer_large.
      assert.deepEqual(alert?.details.facts.with, ['large_transfer', 'new_customer_large']);
    });

    it('does not alert on the second transfer to the account, nor on a first one that fires nothing else', async () => {
      const kari = await customer();
      await send(kari, 1_000);
      await send(kari, 55_000);
      assert.deepEqual(await alerts(kari.userId, 'new_recipient_combined'), []);
    });
  });

  describe('multiple_accounts_identity', () => {
    it('alerts when another account has the same name and birth date', async () => {
      await customer({ name: 'Ali Hassan', birthDate: '1980-02-03' });
      const second = await customer({ name: 'ali hassan', birthDate: '1980-02-03' });
      await send(second, 900);
      const [alert] = await alerts(second.userId, 'multiple_accounts_identity');
      assert.equal(alert?.details.facts.accounts, 2);
    });

    it('does not alert for a namesake born on another day', async () => {
      await customer({ name: 'Per Hansen', birthDate: '1980-02-03' });
      const namesake = await customer({ name: 'Per Hansen', birthDate: '1980-02-04' });
      await send(namesake, 900);
      assert.deepEqual(await alerts(namesake.userId, 'multiple_accounts_identity'), []);
    });
  });

  describe('screening', () => {
    const match = (who: { userId: string; recipientId: string }, overrides: Partial<ScreeningPartyMatch> = {}): ScreeningPartyMatch => ({
      party: 'recipient',
      subjectId: who.recipientId,
      list: 'ofac-sdn',
      key: '12345',
      recordHash: 'hash-1',
      score: 0.93,
      topics: ['sanction'],
      name: 'Viktor Bout',
      matchedName: 'Viktor BUT',
      queryName: 'Anna Schmidt',
      explanation: { features: { name: 0.93 } },
      ...overrides,
    });

    it('a sanctions match holds the transfer with a critical alert and freezes the customer, so the next transfer is held too', async () => {
      const kari = await customer();
      const first = await send(kari, 1_000, { screening: [match(kari)] });
      assert.equal(first.status, 'held');
      const [alert, ...more] = await alerts(kari.userId, 'sanctions_match');
      assert.equal(more.length, 0);
      assert.equal(alert?.severity, 'critical');
      assert.equal(alert?.subject_type, 'recipient');
      assert.equal(alert?.subject_id, kari.recipientId);
      assert.equal(alert?.transaction_id, first.id);
      const stored = await db.pool.query(
        'SELECT id, status, score, record_hash, transaction_id FROM screening_matches WHERE subject_id = $1',
        [kari.recipientId],
      );
      assert.equal(stored.rows[0]?.id, alert?.screening_match_id);
      assert.equal(stored.rows[0]?.status, 'open');
      const frozen = await db.pool.query('SELECT aml_frozen_at IS NOT NULL AS frozen, aml_frozen_reason FROM users WHERE id = $1', [
        kari.userId,
      ]);
      assert.equal(frozen.rows[0]?.frozen, true);
      assert.match(frozen.rows[0]?.aml_frozen_reason, /ofac-sdn:12345/);

      const next = await send({ userId: kari.userId, recipientId: await recipient(kari.userId) }, 1_000);
      assert.equal(next.status, 'held');
      const [frozenAlert] = await alerts(kari.userId, 'frozen_customer');
      assert.equal(frozenAlert?.transaction_id, next.id);
      assert.equal(frozenAlert?.severity, 'critical');
      assert.equal((await alerts(kari.userId, 'sanctions_match')).length, 1, 'no second sanctions alert for the same record');
    });

    it('a match cleared for the subject with the same record hash does not alert; a changed record does', async () => {
      const kari = await customer();
      await db.pool.query(
        `INSERT INTO screening_clearances (subject_type, subject_id, list, record_key, record_hash, cleared_by, reason)
         VALUES ('recipient', $1, 'ofac-sdn', '12345', 'hash-1', 'stf_reviewer', 'different person: born 1990 in Hamburg')`,
        [kari.recipientId],
      );
      const cleared = await send(kari, 1_000, { screening: [match(kari)] });
      assert.equal(cleared.status, 'awaiting_funds');
      assert.deepEqual(await alerts(kari.userId, 'sanctions_match'), []);
      const frozen = await db.pool.query('SELECT aml_frozen_at FROM users WHERE id = $1', [kari.userId]);
      assert.equal(frozen.rows[0]?.aml_frozen_at, null);

      const changed = await send(kari, 1_000, { screening: [match(kari, { recordHash: 'hash-2' })] });
      assert.equal(changed.status, 'held');
      const [alert] = await alerts(kari.userId, 'sanctions_match');
      assert.equal(alert?.details.facts.recordHash, 'hash-2');
    });

    it('a PEP match asks for enhanced due diligence with a medium alert and does not hold', async () => {
      const kari = await customer();
      const transfer = await send(kari, 1_000, {
        screening: [
          match(kari, { party: 'sender', subjectId: kari.userId, topics: ['pep'], list: 'os', key: 'Q42', name: 'Kari Nordmann' }),
        ],
      });
      assert.equal(transfer.status, 'awaiting_funds');
      const [alert] = await alerts(kari.userId, 'pep_match');
      assert.equal(alert?.severity, 'medium');
      assert.equal(alert?.subject_type, 'customer');
      const user = await db.pool.query('SELECT edd_required_at IS NOT NULL AS edd, edd_reason, aml_frozen_at FROM users WHERE id = $1', [
        kari.userId,
      ]);
      assert.equal(user.rows[0]?.edd, true);
      assert.match(user.rows[0]?.edd_reason, /PEP match.*os:Q42/);
      assert.equal(user.rows[0]?.aml_frozen_at, null);
    });

    it('refuses a match for someone who is not a party to the transfer, creating nothing', async () => {
      const kari = await customer();
      const before = await db.pool.query('SELECT count(*)::int AS n FROM transactions WHERE user_id = $1', [kari.userId]);
      await assert.rejects(send(kari, 1_000, { screening: [match(kari, { subjectId: newId('rcp') })] }), /not a party/);
      const afterwards = await db.pool.query('SELECT count(*)::int AS n FROM transactions WHERE user_id = $1', [kari.userId]);
      assert.equal(afterwards.rows[0].n, before.rows[0].n);
    });
  });

  describe('rule changes', () => {
    it('bump the version, keep the old one, are audited, and apply to the next transfer', async () => {
      const changed = await updateAmlRule(db.pool, {
        code: 'large_transfer',
        change: { params: { minNok: 60_000 }, severity: 'medium', reason: 'test: raise the threshold' },
        actor: 'stf_compliance',
      });
      try {
        assert.equal(changed.version, 2);
        assert.deepEqual(changed.params, { minNok: 60_000 });
        assert.equal(changed.updatedBy, 'stf_compliance');
        const old = await db.pool.query(`SELECT version, params, severity FROM aml_rule_versions WHERE code = 'large_transfer'`);
        assert.deepEqual(old.rows, [{ version: 1, params: { minNok: 50_000 }, severity: 'high' }]);
        const audit = await db.pool.query(`SELECT action, actor, details FROM audit_log WHERE resource_id = 'large_transfer' ORDER BY seq`);
        assert.deepEqual(
          audit.rows.map((r) => r.action),
          ['UPDATE', 'aml_rule_changed'],
        );
        assert.equal(audit.rows[1]?.actor, 'stf_compliance');
        assert.equal(audit.rows[1]?.details.reason, 'test: raise the threshold');
        assert.equal(audit.rows[0]?.actor, 'stf_compliance');

        const kari = await customer();
        await send(kari, 55_000);
        assert.deepEqual(await alerts(kari.userId, 'large_transfer'), []);
        await send(kari, 60_000);
        const [alert] = await alerts(kari.userId, 'large_transfer');
        assert.equal(alert?.rule_version, 2);
        assert.equal(alert?.severity, 'medium');
      } finally {
        await updateAmlRule(db.pool, {
          code: 'large_transfer',
          change: { params: { minNok: 50_000 }, severity: 'high', reason: 'test: back to the default' },
          actor: 'stf_compliance',
        });
      }
    });

    it('refuse parameters the rule does not have, or out of range, changing nothing', async () => {
      const before = await db.pool.query(`SELECT version, params FROM aml_rules WHERE code = 'velocity_daily'`);
      for (const params of [{ maxCount: 50 }, { maxCount: 'six' }, { perHour: 3 }]) {
        await assert.rejects(
          updateAmlRule(db.pool, { code: 'velocity_daily', change: { params, reason: 'test: bad input' }, actor: 'stf_x' }),
          (error: { code?: string }) => error.code === 'VALIDATION_FAILED',
        );
      }
      await assert.rejects(
        updateAmlRule(db.pool, { code: 'no_such_rule', change: { enabled: false, reason: 'test: bad input' }, actor: 'stf_x' }),
        (error: { code?: string }) => error.code === 'NOT_FOUND',
      );
      await assert.rejects(
        updateAmlRule(db.pool, { code: 'velocity_daily', change: { enabled: false, reason: '' }, actor: 'stf_x' }),
        (error: { code?: string }) => error.code === 'VALIDATION_FAILED',
      );
      const afterwards = await db.pool.query(`SELECT version, params FROM aml_rules WHERE code = 'velocity_daily'`);
      assert.deepEqual(afterwards.rows, before.rows);
    });

    it('a disabled rule does not fire', async () => {
      await updateAmlRule(db.pool, { code: 'large_transfer', change: { enabled: false, reason: 'test: off' }, actor: 'stf_x' });
      try {
        const kari = await customer();
        await send(kari, 70_000);
        assert.deepEqual(await alerts(kari.userId, 'large_transfer'), []);
      } finally {
        await updateAmlRule(db.pool, { code: 'large_transfer', change: { enabled: true, reason: 'test: on' }, actor: 'stf_x' });
      }
    });
  });

  describe('monitoring switched off', () => {
    it('fires no rule and records no history, but a sanctions match still holds', async () => {
      await setAmlMonitoring(db.pool, { enabled: false, actor: 'stf_x', reason: 'test: off' });
      try {
        const kari = await customer();
        await send(kari, 70_000);
        assert.deepEqual(await alerts(kari.userId, 'large_transfer'), []);
        const activity = await db.pool.query('SELECT count(*)::int AS n FROM aml_customer_activity WHERE user_id = $1', [kari.userId]);
        assert.equal(activity.rows[0].n, 0);
        const held = await send(kari, 1_000, {
          screening: [
            {
              party: 'sender',
              subjectId: kari.userId,
              list: 'un',
              key: 'QDi.1',
              recordHash: 'h',
              score: 0.99,
              topics: ['sanction'],
              name: 'Kari Nordmann',
            },
          ],
        });
        assert.equal(held.status, 'held');
      } finally {
        await setAmlMonitoring(db.pool, { enabled: true, actor: 'stf_x', reason: 'test: on' });
      }
      const audit = await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'aml_monitoring_changed'`);
      assert.equal(audit.rows[0].n, 2);
    });
  });

  describe('the per-day aggregates', () => {
    it('are pruned after 13 months, and the days a 12-month rule reads are kept', async () => {
      const kari = await customer();
      await db.pool.query(
        `INSERT INTO aml_customer_daily (user_id, day, count, sum_minor, max_minor)
         VALUES ($1, (now() - interval '13 months 2 days')::date, 1, 100, 100), ($1, (now() - interval '12 months')::date, 1, 100, 100)`,
        [kari.userId],
      );
      assert.ok((await pruneAmlAggregates(db.pool)) >= 1);
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM aml_customer_daily WHERE user_id = $1', [kari.userId]);
      assert.equal(rows[0].n, 1);
    });
  });
});
