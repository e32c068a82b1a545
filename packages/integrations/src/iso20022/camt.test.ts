import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BankEntry, type ParsedBankFile, parseCamt } from './camt.ts';
import { MAX_BANK_FILE_BYTES } from './read-bank-xml.ts';
import { fixture, lineOf, refusalOf, replaceOnce, schemaErrors } from './test-support.ts';

const DNB_NOTIFICATION = fixture('camt.054.001.02-dnb-credit-notification.xml');
const NORDEA_STATEMENT = fixture('camt.053.001.08-nordea-statement.xml');

/** The first entry of the DNB notification as the booking itself gives it: Kari's KID payment without its transaction details. */
const KARI_BOOKING = {
  reference: '6012A0001843221',
  creditDebit: 'CRDT',
  reversal: false,
  status: 'BOOK',
  amountMinor: 250000n,
  currency: 'NOK',
  bookingDate: '2024-06-12',
  valueDate: '2024-06-12',
  accountServicerReference: '6012A0001843221',
} as const;

describe('parseCamt reads a DNB camt.054.001.02 credit notification', () => {
  it('gives one entry per payment: a KID payment, each half of a batch booking, a payment with only a message', () => {
    const expected: ParsedBankFile = {
      kind: 'camt.054',
      version: '001.02',
      messageId: 'DNB54CR2024061209301512',
      createdAt: '2024-06-12T09:30:15.123+02:00',
      reports: [
        {
          id: 'NTF2024061200001',
          account: { iban: 'NO9386011117947', currency: 'NOK' },
          entries: [
            { ...KARI_BOOKING, kid: '000001029388', debtor: { name: 'Kari Nordmann', account: '12345678903' } },
            {
              reference: '6012A0001843222:1',
              creditDebit: 'CRDT',
              reversal: false,
              status: 'BOOK',
              amountMinor: 100000n,
              currency: 'NOK',
              bookingDate: '2024-06-12',
              valueDate: '2024-06-12',
              kid: '000001029461',
              accountServicerReference: '6012A0001843222-01',
              debtor: { name: 'Ola Nordmann', account: '98765432106' },
            },
            {
              reference: '6012A0001843222:2',
              creditDebit: 'CRDT',
              reversal: false,
              status: 'BOOK',
              amountMinor: 75050n,
              currency: 'NOK',
              bookingDate: '2024-06-12',
              valueDate: '2024-06-12',
              kid: '000001029545',
              accountServicerReference: '6012A0001843222-02',
              debtor: { name: 'Hansen & Sønn AS', account: '15038812345' },
            },
            {
              reference: 'NTF2024061200001:3',
              creditDebit: 'CRDT',
              reversal: false,
              status: 'BOOK',
              amountMinor: 30000n,
              currency: 'NOK',
              bookingDate: '2024-06-12',
              valueDate: '2024-06-13',
              unstructured: 'Overføring til Drop, kundenummer mangler',
              endToEndId: 'E2E-2024-7F3K9Q',
              debtor: { name: 'Åse Øvrebø' },
            },
          ],
        },
      ],
    };
    assert.deepStrictEqual(parseCamt(DNB_NOTIFICATION), expected);
  });

  it('reads the same file from bytes, with or without a byte-order mark', () => {
    const fromText = parseCamt(DNB_NOTIFICATION);
    assert.deepStrictEqual(parseCamt(new TextEncoder().encode(DNB_NOTIFICATION)), fromText);
    assert.deepStrictEqual(parseCamt(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(DNB_NOTIFICATION)])), fromText);
  });

  it('reads an ISO-8859-1 file by its declaration', () => {
    const latin1 = Buffer.from(replaceOnce(DNB_NOTIFICATION, 'encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1');
    const entries = parseCamt(latin1).reports[0]?.entries;
    assert.deepStrictEqual(entries?.[3]?.debtor, { name: 'Åse Øvrebø' });
    assert.equal(entries?.[3]?.unstructured, 'Overføring til Drop, kundenummer mangler');
  });

  it('numbers an entry without AcctSvcrRef or NtryRef by its place in the report', () => {
    const entries = parseCamt(replaceOnce(DNB_NOTIFICATION, '<NtryRef>3</NtryRef>', '')).reports[0]?.entries;
    assert.deepStrictEqual(
      entries?.map((entry) => entry.reference),
      ['6012A0001843221', '6012A0001843222:1', '6012A0001843222:2', 'NTF2024061200001:3'],
    );
  });

  it('gives an entry without transaction details one entry from the booking itself', () => {
    const withoutDetails = replaceOnce(
      DNB_NOTIFICATION,
      /<NtryDtls>\s*<TxDtls>\s*<Refs>\s*<AcctSvcrRef>6012A0001843221[\s\S]*?<\/NtryDtls>/,
      '',
    );
    assert.deepStrictEqual(parseCamt(withoutDetails).reports[0]?.entries[0], KARI_BOOKING);
  });
});

/** An entry of the Nordea statement: every one is booked, in NOK, on 13 June 2024. */
function nordeaBooking(entry: Omit<BankEntry, 'status' | 'currency' | 'bookingDate' | 'valueDate'>): BankEntry {
  return { ...entry, status: 'BOOK', currency: 'NOK', bookingDate: '2024-06-13', valueDate: '2024-06-13' };
}

describe('parseCamt reads a Nordea camt.053.001.08 statement', () => {
  it('gives the credits, the payout, its reversal and the payout that came back', () => {
    const payoutId = 'tx-01J0F6Q2W3ZK8R4M5N6P7Q8R9S';
    const recipient = { name: 'Joanna Kowalska', account: 'NO0960110518377' };
    const expected: ParsedBankFile = {
      kind: 'camt.053',
      version: '001.08',
      messageId: 'NDEA53-20240613-000417',
      createdAt: '2024-06-14T05:12:44+02:00',
      reports: [
        {
          id: 'STMT-60501234567-20240613',
          account: { iban: 'NO8330001234567', currency: 'NOK' },
          entries: [
            nordeaBooking({
              reference: 'NDEA2406130000101',
              creditDebit: 'CRDT',
              reversal: false,
              amountMinor: 500000n,
              kid: '000001030014',
              accountServicerReference: 'NDEA2406130000101',
              debtor: { name: 'Maria Santos', account: '36251234567' },
            }),
            nordeaBooking({
              reference: 'NDEA2406130000102',
              creditDebit: 'CRDT',
              reversal: false,
              amountMinor: 120000n,
              kid: '000001030196',
              accountServicerReference: 'NDEA2406130000102',
              debtor: { name: 'Tran Van Minh', account: '97101234560' },
            }),
            nordeaBooking({
              reference: 'NDEA2406130000103',
              creditDebit: 'DBIT',
              reversal: false,
              amountMinor: 300000n,
              unstructured: `Drop ${payoutId}`,
              endToEndId: payoutId,
              accountServicerReference: 'NDEA2406130000103',
              creditor: recipient,
            }),
            nordeaBooking({
              reference: 'NDEA2406130000104',
              creditDebit: 'DBIT',
              reversal: true,
              amountMinor: 120000n,
              unstructured: 'Tilbakeføring av feilkreditering',
              accountServicerReference: 'NDEA2406130000102',
              debtor: { name: 'Tran Van Minh' },
            }),
            nordeaBooking({
              reference: 'NDEA2406130000105',
              creditDebit: 'CRDT',
              reversal: false,
              amountMinor: 300000n,
              endToEndId: payoutId,
              accountServicerReference: 'NDEA2406130000105',
              creditor: recipient,
              returnReason: 'AC04',
            }),
          ],
        },
      ],
    };
    assert.deepStrictEqual(parseCamt(NORDEA_STATEMENT), expected);
  });

  it('is a fixture the official camt.053.001.08 schema accepts', async () => {
    assert.deepStrictEqual(await schemaErrors(NORDEA_STATEMENT, 'camt.053.001.08.xsd'), []);
  });

  it('reads the status as text in 001.02 and as Sts/Cd in 001.08, and a proprietary status too', () => {
    assert.equal(parseCamt(DNB_NOTIFICATION).reports[0]?.entries[0]?.status, 'BOOK');
    const pending = NORDEA_STATEMENT.replace('<Cd>BOOK</Cd>', '<Prtry>PDNG</Prtry>');
    assert.equal(parseCamt(pending).reports[0]?.entries[0]?.status, 'PDNG');
  });
});

describe('parseCamt refuses the whole file, naming the problem', () => {
  it('when the file was cut off in the middle of an element', () => {
    const cut = DNB_NOTIFICATION.slice(0, DNB_NOTIFICATION.indexOf('kundenummer') + 5);
    const error = refusalOf(() => parseCamt(cut));
    assert.match(error.problem, /ends inside Document\/BkToCstmrDbtCdtNtfctn\/Ntfctn\/Ntry\/NtryDtls\/TxDtls\/RmtInf\/Ustrd/);
    assert.match(error.problem, /looks truncated/);
    assert.equal(error.location, `Document/BkToCstmrDbtCdtNtfctn/Ntfctn/Ntry/NtryDtls/TxDtls/RmtInf/Ustrd, line ${cut.split('\n').length}`);
    assert.match(error.message, /^Bank file refused: /);
  });

  it('when the file was cut off inside a tag, or right after one', () => {
    const insideTag = DNB_NOTIFICATION.slice(0, DNB_NOTIFICATION.indexOf('<Amt Ccy="NOK">1750.50') + 7);
    assert.match(
      refusalOf(() => parseCamt(insideTag)).problem,
      /ends inside Document\/BkToCstmrDbtCdtNtfctn\/Ntfctn\/Ntry, .*looks truncated/,
    );
    const afterTag = DNB_NOTIFICATION.slice(0, DNB_NOTIFICATION.indexOf('</Ntry>') + '</Ntry>'.length);
    assert.match(
      refusalOf(() => parseCamt(afterTag)).problem,
      /ends inside Document\/BkToCstmrDbtCdtNtfctn\/Ntfctn, before that element is closed/,
    );
  });

  it('when the namespace is another message, no camt namespace, or none', () => {
    const report = DNB_NOTIFICATION.replace('camt.054.001.02', 'camt.052.001.02');
    assert.match(refusalOf(() => parseCamt(report)).problem, /is camt\.052\.001\.02, not a camt\.053 statement or camt\.054 notification/);
    const other = DNB_NOTIFICATION.replace('urn:iso:std:iso:20022:tech:xsd:camt.054.001.02', 'urn:example:bank-file');
    assert.match(
      refusalOf(() => parseCamt(other)).problem,
      /the namespace 'urn:example:bank-file' is not that of a camt\.053 or camt\.054 message/,
    );
    const none = DNB_NOTIFICATION.replace(' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"', '');
    assert.match(refusalOf(() => parseCamt(none)).problem, /has no namespace/);
  });

  it('when the version is outside 001.02 to 001.13', () => {
    for (const version of ['001.01', '001.14']) {
      const file = DNB_NOTIFICATION.replace('camt.054.001.02', `camt.054.${version}`);
      assert.match(
        refusalOf(() => parseCamt(file)).problem,
        new RegExp(`camt\\.054\\.${version.replace('.', '\\.')} is not a version Drop reads`),
      );
    }
  });

  it('when the root is not Document, or the message does not match its namespace', () => {
    const root = DNB_NOTIFICATION.replace('<Document ', '<Dokument ').replace('</Document>', '</Dokument>');
    assert.match(refusalOf(() => parseCamt(root)).problem, /the root element is Dokument, not the Document/);
    const mismatch = DNB_NOTIFICATION.replace('camt.054.001.02', 'camt.053.001.02');
    assert.match(refusalOf(() => parseCamt(mismatch)).problem, /the namespace says camt\.053, but the message is BkToCstmrDbtCdtNtfctn/);
  });

  it('when an amount has more decimals than its currency, naming the element and its line', () => {
    const file = replaceOnce(
      DNB_NOTIFICATION,
      '<Amt Ccy="NOK">300.00</Amt>\n        <CdtDbtInd>',
      '<Amt Ccy="NOK">100.123</Amt>\n        <CdtDbtInd>',
    );
    const error = refusalOf(() => parseCamt(file));
    assert.equal(error.problem, 'the amount 100.123 NOK has 3 decimals, but NOK has only 2');
    assert.equal(error.location, `Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[3]/Amt, line ${lineOf(file, '100.123')}`);
  });

  it('when an amount is zero, negative, not a number, or in a currency Drop does not know', () => {
    const amount = (replacement: string) =>
      replaceOnce(DNB_NOTIFICATION, '<Amt Ccy="NOK">2500.00</Amt>\n        <CdtDbtInd>', `${replacement}\n        <CdtDbtInd>`);
    assert.match(refusalOf(() => parseCamt(amount('<Amt Ccy="NOK">0.00</Amt>'))).problem, /the amount is zero/);
    assert.match(refusalOf(() => parseCamt(amount('<Amt Ccy="NOK">-2500.00</Amt>'))).problem, /-2500\.00 NOK is negative/);
    assert.match(refusalOf(() => parseCamt(amount('<Amt Ccy="NOK">2,500.00</Amt>'))).problem, /'2,500\.00' is not a decimal amount/);
    assert.match(refusalOf(() => parseCamt(amount('<Amt Ccy="XTS">2500.00</Amt>'))).problem, /the currency 'XTS' is not one Drop knows/);
  });

  it('when a required element is missing', () => {
    const firstEntryAmount = '<Amt Ccy="NOK">2500.00</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>';
    const cases: [string, string, RegExp][] = [
      [replaceOnce(DNB_NOTIFICATION, '<MsgId>DNB54CR2024061209301512</MsgId>', ''), 'GrpHdr/MsgId', /GrpHdr\/MsgId is missing/],
      [replaceOnce(DNB_NOTIFICATION, /<CreDtTm>[^<]*<\/CreDtTm>(?=\s*<MsgRcpt>)/, ''), 'GrpHdr/CreDtTm', /GrpHdr\/CreDtTm is missing/],
      [replaceOnce(DNB_NOTIFICATION, '<Id>NTF2024061200001</Id>', ''), 'Ntfctn/Id', /Ntfctn\[1\]\/Id is missing/],
      [replaceOnce(DNB_NOTIFICATION, /<Acct>[\s\S]*?<\/Acct>/, ''), 'Acct', /Ntfctn\[1\]\/Acct is missing/],
      [replaceOnce(DNB_NOTIFICATION, firstEntryAmount, '<CdtDbtInd>CRDT</CdtDbtInd>'), 'Ntry/Amt', /Ntry\[1\]\/Amt is missing/],
      [
        replaceOnce(DNB_NOTIFICATION, firstEntryAmount, '<Amt>2500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>'),
        'Amt/@Ccy',
        /the amount has no currency/,
      ],
      [
        replaceOnce(DNB_NOTIFICATION, firstEntryAmount, '<Amt Ccy="NOK">2500.00</Amt>'),
        'Ntry/CdtDbtInd',
        /Ntry\[1\]\/CdtDbtInd is missing/,
      ],
    ];
    for (const [file, what, problem] of cases) assert.match(refusalOf(() => parseCamt(file)).problem, problem, what);
  });

  it('when the totals in TxsSummry disagree with the entries', () => {
    const count = replaceOnce(
      DNB_NOTIFICATION,
      '<NbOfNtries>3</NbOfNtries>\n          <Sum>4550.50</Sum>\n          <TtlNetNtryAmt>',
      '<NbOfNtries>4</NbOfNtries>\n          <Sum>4550.50</Sum>\n          <TtlNetNtryAmt>',
    );
    assert.match(refusalOf(() => parseCamt(count)).problem, /the file says it holds 4 entries, but it holds 3/);
    const sum = replaceOnce(NORDEA_STATEMENT, '<Sum>9200.00</Sum>', '<Sum>9200.01</Sum>');
    assert.match(refusalOf(() => parseCamt(sum)).problem, /the file says its credit entries sum to 9200\.01, but they sum to 9200\.00/);
    const net = replaceOnce(
      NORDEA_STATEMENT,
      '<Amt>5000.00</Amt>\n            <CdtDbtInd>CRDT</CdtDbtInd>',
      '<Amt>5000.00</Amt>\n            <CdtDbtInd>DBIT</CdtDbtInd>',
    );
    assert.match(refusalOf(() => parseCamt(net)).problem, /net to DBIT 5000\.00, but they net to CRDT 5000\.00/);
  });

  it('when a batch entry holds a transaction without an amount of its own', () => {
    const file = replaceOnce(DNB_NOTIFICATION, /<AmtDtls>\s*<TxAmt>\s*<Amt Ccy="NOK">750\.50<\/Amt>\s*<\/TxAmt>\s*<\/AmtDtls>/, '');
    assert.match(refusalOf(() => parseCamt(file)).problem, /a batch of 2 transactions, but this one has no amount of its own/);
  });

  it('when the file has a DOCTYPE, so no entity is ever expanded', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE Document [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
${DNB_NOTIFICATION.replace(/^<\?xml[^>]*>\n/, '').replace('DNB54CR2024061209301512', '&lol3;')}`;
    const error = refusalOf(() => parseCamt(laughs));
    assert.match(error.problem, /has a DOCTYPE declaration/);
    assert.equal(error.location, 'line 2');
    const external = DNB_NOTIFICATION.replace('<Document', '<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Document');
    assert.match(refusalOf(() => parseCamt(external)).problem, /DOCTYPE/);
  });

  it('when text refers to an entity XML does not predefine, or holds a bare ampersand', () => {
    const entity = replaceOnce(DNB_NOTIFICATION, '<Nm>Kari Nordmann</Nm>', '<Nm>&kari; Nordmann</Nm>');
    const error = refusalOf(() => parseCamt(entity));
    assert.equal(error.problem, "the entity &kari; is not one of XML's predefined entities");
    assert.equal(
      error.location,
      `Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls[1]/TxDtls[1]/RltdPties/Dbtr/Nm, line ${lineOf(entity, '&kari;')}`,
    );
    const bare = replaceOnce(DNB_NOTIFICATION, '<Nm>Kari Nordmann</Nm>', '<Nm>Kari & Ola</Nm>');
    const bareError = refusalOf(() => parseCamt(bare));
    assert.equal(bareError.problem, "the file is not well-formed XML: char '&' is not expected");
    assert.match(bareError.location ?? '', new RegExp(`^line ${lineOf(bare, 'Kari & Ola')}, column \\d+$`));
  });

  it('when the file is larger than 20 MB', () => {
    const huge = DNB_NOTIFICATION.replace('</Document>', `<!--${'x'.repeat(MAX_BANK_FILE_BYTES)}--></Document>`);
    assert.match(refusalOf(() => parseCamt(huge)).problem, /more than the 20 MB Drop reads/);
  });

  it('when the file is empty, not well-formed, has two roots, repeats a single element, or is not UTF-8', () => {
    assert.equal(refusalOf(() => parseCamt('  \n')).problem, 'the file is empty');
    const mismatched = replaceOnce(DNB_NOTIFICATION, '<MsgId>DNB54CR2024061209301512</MsgId>', '<MsgId>DNB54CR2024061209301512</MsgID>');
    const error = refusalOf(() => parseCamt(mismatched));
    assert.match(error.problem, /not well-formed XML: Expected closing tag 'MsgId'/);
    assert.match(error.location ?? '', new RegExp(`^line ${lineOf(mismatched, '</MsgID>')}, column \\d+$`));
    assert.match(refusalOf(() => parseCamt(`${DNB_NOTIFICATION}<Document/>`)).problem, /more than one root element/);
    const twice = replaceOnce(DNB_NOTIFICATION, '<MsgId>DNB54CR2024061209301512</MsgId>', '<MsgId>A</MsgId><MsgId>B</MsgId>');
    assert.match(refusalOf(() => parseCamt(twice)).problem, /MsgId appears 2 times in Document\/BkToCstmrDbtCdtNtfctn\/GrpHdr/);
    const bytes = new TextEncoder().encode(DNB_NOTIFICATION.replace('Kari', 'K\u00e5ri'));
    const invalid = bytes.map((byte) => (byte === 0xc3 ? 0xff : byte));
    assert.match(refusalOf(() => parseCamt(invalid)).problem, /not valid UTF-8/);
  });
});
