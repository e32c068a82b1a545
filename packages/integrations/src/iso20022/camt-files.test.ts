import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { type BankEntry, type ParsedBankFile, parseCamt } from './camt.ts';
import { buildCamt053, buildCamt054, type Camt053Input, type Camt054Input, type CamtEntryInput } from './camt-files.ts';
import { schemaErrors } from './test-support.ts';

const createdAt = '2024-06-12T09:30:15+02:00';
const account = { iban: 'NO9386011117947' };

const kidPayment: CamtEntryInput = {
  reference: '6012A0001843221',
  creditDebit: 'CRDT',
  amountMinor: 250000n,
  currency: 'NOK',
  bookingDate: '2024-06-12',
  valueDate: '2024-06-12',
  kid: '000001029388',
  debtorName: 'Hansen & Sønn <AS>',
  debtorAccount: '12345678903',
};
const returnedPayout: CamtEntryInput = {
  reference: '6012A0001843222',
  creditDebit: 'CRDT',
  amountMinor: 300000n,
  currency: 'NOK',
  bookingDate: '2024-06-13',
  endToEndId: 'tx-01J0F6Q2W3ZK8R4M5N6P7Q8R9S',
  unstructured: 'Retur: "konto stengt"',
  returnReason: 'AC04',
  debtorAccount: 'NO0960110518377',
};
const reversal: CamtEntryInput = {
  reference: '6012A0001843223',
  creditDebit: 'DBIT',
  amountMinor: 120000n,
  currency: 'NOK',
  bookingDate: '2024-06-13',
  reversal: true,
};

/** What parseCamt should give back for an entry the builder wrote: the input, read the way a bank file reads. */
function readBack(entry: CamtEntryInput): BankEntry {
  const debtor = withoutUndefined({ name: entry.debtorName, account: entry.debtorAccount });
  return withoutUndefined({
    reference: entry.reference,
    creditDebit: entry.creditDebit,
    reversal: entry.reversal ?? false,
    status: 'BOOK',
    amountMinor: entry.amountMinor,
    currency: entry.currency,
    bookingDate: entry.bookingDate,
    valueDate: entry.valueDate,
    kid: entry.kid,
    unstructured: entry.unstructured,
    endToEndId: entry.endToEndId,
    accountServicerReference: entry.reference,
    debtor: Object.keys(debtor).length > 0 ? debtor : undefined,
    returnReason: entry.returnReason,
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['Bal', 'Ntry'].includes(name),
});

/** The balances of a built statement as [code, direction, amount] rows. */
function balances(statement: string): [string, string, string][] {
  const bal = xml.parse(statement).Document.BkToCstmrStmt.Stmt.Bal as {
    Tp: { CdOrPrtry: { Cd: string } };
    Amt: { '#text': string };
    CdtDbtInd: string;
  }[];
  return bal.map((row) => [row.Tp.CdOrPrtry.Cd, row.CdtDbtInd, row.Amt['#text']]);
}

/**
 * camt.054.001.08's entries are ReportEntry10, the same type camt.053.001.08 uses, and a
 * notification is a statement without balances. No camt.054 schema is at hand (see SOURCES.md),
 * so a notification is checked by moving its body into a statement and validating that.
 */
function asStatement(notification: string): string {
  return notification
    .replace('camt.054.001.08', 'camt.053.001.08')
    .replaceAll('BkToCstmrDbtCdtNtfctn>', 'BkToCstmrStmt>')
    .replaceAll('Ntfctn>', 'Stmt>')
    .replace(
      '<TxsSummry>',
      '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="NOK">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-06-12</Dt></Dt></Bal><TxsSummry>',
    );
}

describe('buildCamt054 writes a Norwegian bank notification', () => {
  it('that parseCamt reads back to the entries it was built from', () => {
    const file = buildCamt054({ messageId: 'DNB54-0001', createdAt, account, entries: [kidPayment, returnedPayout, reversal] });
    const expected: ParsedBankFile = {
      kind: 'camt.054',
      version: '001.08',
      messageId: 'DNB54-0001',
      createdAt,
      reports: [{ id: 'DNB54-0001', account: { iban: 'NO9386011117947' }, entries: [kidPayment, returnedPayout, reversal].map(readBack) }],
    };
    assert.deepStrictEqual(parseCamt(file), expected);
  });

  it('whose entries are what the official schema calls a report entry', async () => {
    const file = buildCamt054({ messageId: 'DNB54-0001', createdAt, account, entries: [kidPayment, returnedPayout, reversal] });
    assert.deepStrictEqual(await schemaErrors(asStatement(file), 'camt.053.001.08.xsd'), []);
  });

  it('with the KID as a SCOR creditor reference, escaped text, and the bank transaction codes of each kind of booking', () => {
    const file = buildCamt054({ messageId: 'DNB54-0001', createdAt, account, entries: [kidPayment, returnedPayout, reversal] });
    assert.match(file, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt\.054\.001\.08">/);
    assert.match(file, /<Strd>\s*<CdtrRefInf>\s*<Tp>\s*<CdOrPrtry>\s*<Cd>SCOR<\/Cd>\s*<\/CdOrPrtry>\s*<\/Tp>\s*<Ref>000001029388<\/Ref>/);
    assert.match(file, /<Nm>Hansen &amp; Sønn &lt;AS&gt;<\/Nm>/);
    const codes = [...file.matchAll(/<Fmly>\s*<Cd>(\w+)<\/Cd>\s*<SubFmlyCd>(\w+)<\/SubFmlyCd>/g)].map((match) => `${match[1]}/${match[2]}`);
    assert.deepStrictEqual(codes, ['RCDT/DMCT', 'ICDT/RRTN', 'ICDT/DMCT']);
  });

  it('round-trips any entries through parseCamt (property)', () => {
    fc.assert(
      fc.property(notification(), (input) => {
        const parsed = parseCamt(buildCamt054(input));
        assert.equal(parsed.messageId, input.messageId);
        assert.deepStrictEqual(parsed.reports[0]?.entries, input.entries.map(readBack));
      }),
      { numRuns: 200 },
    );
  });
});

describe('buildCamt053 writes a statement', () => {
  it('that passes the official camt.053.001.08 schema and reads back, with balances from the entries', async () => {
    const file = buildCamt053({
      messageId: 'NDEA53-0001',
      statementId: 'STMT-0001',
      createdAt,
      account: { ...account, currency: 'NOK' },
      openingBalanceMinor: -5000n,
      entries: [kidPayment, returnedPayout, reversal],
    });
    assert.deepStrictEqual(await schemaErrors(file, 'camt.053.001.08.xsd'), []);
    // -50.00 + 2500.00 + 3000.00 - 1200.00
    assert.deepStrictEqual(balances(file), [
      ['OPBD', 'DBIT', '50.00'],
      ['CLBD', 'CRDT', '4250.00'],
    ]);
    assert.deepStrictEqual(parseCamt(file).reports, [
      {
        id: 'STMT-0001',
        account: { iban: 'NO9386011117947', currency: 'NOK' },
        entries: [kidPayment, returnedPayout, reversal].map(readBack),
      },
    ]);
  });

  it('whose schema check can fail: a statement without its balances is refused by the schema', async () => {
    const file = buildCamt053({ messageId: 'NDEA53-0001', statementId: 'STMT-0001', createdAt, account, entries: [kidPayment] });
    const broken = file.replace(/<Bal>[\s\S]*<\/Bal>/, '');
    const errors = await schemaErrors(broken, 'camt.053.001.08.xsd');
    assert.equal(errors.length, 1);
    assert.match(
      errors[0] ?? '',
      /Element '\{urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.08\}TxsSummry': This element is not expected\. Expected is .*Bal/,
    );
  });

  it('passes the schema and round-trips for any entries, closing where opening plus credits minus debits lands (property)', async () => {
    await fc.assert(
      fc.asyncProperty(statement(), async (input) => {
        const file = buildCamt053(input);
        assert.deepStrictEqual(await schemaErrors(file, 'camt.053.001.08.xsd'), []);
        assert.deepStrictEqual(parseCamt(file).reports[0]?.entries, input.entries.map(readBack));
        const closing = input.entries.reduce(
          (sum, entry) => sum + (entry.creditDebit === 'CRDT' ? entry.amountMinor : -entry.amountMinor),
          input.openingBalanceMinor ?? 0n,
        );
        const [, clbd] = balances(file);
        assert.deepStrictEqual(clbd?.slice(0, 2), ['CLBD', closing < 0n ? 'DBIT' : 'CRDT']);
        assert.equal(BigInt(clbd?.[2]?.replace('.', '') ?? ''), closing < 0n ? -closing : closing);
      }),
      { numRuns: 25 },
    );
  });
});

describe('the camt builders refuse input a bank would never send', () => {
  const base: Camt053Input = { messageId: 'M-1', statementId: 'S-1', createdAt, account, entries: [kidPayment] };
  const cases: [string, Camt053Input, RegExp][] = [
    [
      'a reference over 35 characters',
      { ...base, entries: [{ ...kidPayment, reference: 'R'.repeat(36) }] },
      /entries\[0\]\.reference is 36 characters; at most 35/,
    ],
    [
      'an unstructured text over 140',
      { ...base, entries: [{ ...kidPayment, unstructured: 'x'.repeat(141) }] },
      /entries\[0\]\.unstructured is 141 characters/,
    ],
    ['a zero amount', { ...base, entries: [{ ...kidPayment, amountMinor: 0n }] }, /entries\[0\]\.amountMinor must be a positive bigint/],
    [
      'a negative amount',
      { ...base, entries: [{ ...kidPayment, amountMinor: -1n }] },
      /entries\[0\]\.amountMinor must be a positive bigint/,
    ],
    [
      'an unknown currency',
      { ...base, entries: [{ ...kidPayment, currency: 'XTS' }] },
      /entries\[0\]\.currency: the currency 'XTS' is not one Drop knows/,
    ],
    [
      'an account that is no IBAN',
      { ...base, account: { iban: 'NO9386011117948' } },
      /account\.iban 'NO9386011117948' is not a valid IBAN/,
    ],
    [
      'a name with surrounding spaces',
      { ...base, entries: [{ ...kidPayment, debtorName: ' Kari' }] },
      /entries\[0\]\.debtorName starts or ends with whitespace/,
    ],
    ['a control character', { ...base, entries: [{ ...kidPayment, unstructured: 'a\u0007b' }] }, /holds the character U\+0007/],
    [
      'a date that is no day',
      { ...base, entries: [{ ...kidPayment, bookingDate: '2024-02-30' }] },
      /bookingDate '2024-02-30' is not a date/,
    ],
    ['NOTPROVIDED as an end-to-end id', { ...base, entries: [{ ...kidPayment, endToEndId: 'NOTPROVIDED' }] }, /leave it out instead/],
  ];
  for (const [what, input, problem] of cases) {
    it(`refuses ${what}, in both files`, () => {
      assert.throws(() => buildCamt053(input), problem);
      assert.throws(() => buildCamt054(input), problem);
    });
  }

  it('refuses a statement mixing currencies, and one with no currency at all', () => {
    const euros = { ...kidPayment, reference: 'R-2', currency: 'EUR' };
    assert.throws(
      () => buildCamt053({ ...base, entries: [kidPayment, euros] }),
      /camt\.053 not built: entries\[1\] is in EUR, but the statement is in NOK\./,
    );
    assert.throws(() => buildCamt053({ ...base, entries: [] }), /a statement without entries needs account\.currency/);
    assert.doesNotThrow(() => buildCamt054({ ...base, entries: [kidPayment, euros] }));
  });
});

// ---- generators --------------------------------------------------------------------------------

const characters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -/.,:?()+&<>"\'æøåÆØÅéü€'];
const text = (maxLength: number) =>
  fc
    .string({ unit: fc.constantFrom(...characters), minLength: 1, maxLength })
    .filter((value) => value.trim() === value && value !== 'NOTPROVIDED');
const day = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));
const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

function entry(currency: fc.Arbitrary<string>, maxAmountMinor: bigint): fc.Arbitrary<CamtEntryInput> {
  return fc.record(
    {
      reference: text(35),
      creditDebit: fc.constantFrom('CRDT' as const, 'DBIT' as const),
      amountMinor: fc.bigInt({ min: 1n, max: maxAmountMinor }),
      currency,
      bookingDate: day,
      valueDate: day,
      kid: digits(2, 25),
      unstructured: text(140),
      debtorName: text(140),
      debtorAccount: fc.oneof(digits(11, 11), fc.constantFrom('NO9386011117947', 'DE89370400440532013000', 'NL91ABNA0417164300')),
      endToEndId: text(35),
      reversal: fc.boolean(),
      returnReason: fc.constantFrom('AC04', 'AM05', 'MS03'),
    },
    { requiredKeys: ['reference', 'creditDebit', 'amountMinor', 'currency', 'bookingDate'] },
  );
}

function notification(): fc.Arbitrary<Camt054Input> {
  return fc.record({
    messageId: text(35),
    createdAt: fc.constant(createdAt),
    account: fc.constant(account),
    entries: fc.array(entry(fc.constantFrom('NOK', 'EUR', 'SEK', 'JPY', 'VND'), 10n ** 15n), { maxLength: 8 }),
  });
}

/** Amounts stay well inside the schema's 18 total digits, even summed over a statement. */
function statement(): fc.Arbitrary<Camt053Input> {
  return fc.constantFrom('NOK', 'JPY').chain((currency) =>
    fc.record({
      messageId: text(35),
      statementId: text(35),
      createdAt: fc.constant(createdAt),
      account: fc.constant({ ...account, currency }),
      openingBalanceMinor: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
      entries: fc.array(entry(fc.constant(currency), 10n ** 12n), { maxLength: 6 }),
    }),
  );
}
