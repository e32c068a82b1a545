import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { buildPain001, type Pain001Input, type Pain001Payment } from './pain001.ts';
import { schemaErrors } from './test-support.ts';

const debtor = { name: 'Drop AS', iban: 'NO9386011117947', bic: 'DNBANOKKXXX' };
const toBerlin: Pain001Payment = {
  endToEndId: 'tx-01J0F6Q2W3ZK8R4M5N6P7Q8R9S',
  instructionId: 'DROP-I-0001',
  amountMinor: 123_45n,
  currency: 'EUR',
  creditor: { name: 'Joanna Kowalska', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', country: 'DE', town: 'Berlin' },
  remittance: 'Drop transfer tx-01J0F6Q2W3ZK8R4M5N6P7Q8R9S',
};
const toAmsterdam: Pain001Payment = {
  endToEndId: 'tx-01J0F6Q2W3ZK8R4M5N6P7Q8R9T',
  amountMinor: 1n,
  currency: 'EUR',
  creditor: { name: 'Jan de Vries & Zn.', iban: 'NL91ABNA0417164300', country: 'NL' },
};
const batch: Pain001Input = {
  messageId: 'DROP-PAIN-20240613-01',
  createdAt: '2024-06-13T10:00:00+02:00',
  debtor,
  requestedExecutionDate: '2024-06-14',
  payments: [toBerlin, toAmsterdam],
};

const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => name === 'CdtTrfTxInf',
});

describe('buildPain001 writes a SEPA credit transfer initiation', () => {
  it('that passes the EPC pain.001.001.09 schema', async () => {
    assert.deepStrictEqual(await schemaErrors(buildPain001(batch), 'pain.001.001.09.xsd'), []);
  });

  it('with the count and control sum, one SEPA payment block booked per transaction, and every payment as given', () => {
    const document = reader.parse(buildPain001(batch)).Document;
    assert.equal(document['@_xmlns'], 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    const initiation = document.CstmrCdtTrfInitn;
    assert.deepStrictEqual(initiation.GrpHdr, {
      MsgId: 'DROP-PAIN-20240613-01',
      CreDtTm: '2024-06-13T10:00:00+02:00',
      NbOfTxs: '2',
      CtrlSum: '123.46',
      InitgPty: { Nm: 'Drop AS' },
    });
    assert.deepStrictEqual(initiation.PmtInf, {
      PmtInfId: 'DROP-PAIN-20240613-01',
      PmtMtd: 'TRF',
      BtchBookg: 'false',
      NbOfTxs: '2',
      CtrlSum: '123.46',
      PmtTpInf: { SvcLvl: { Cd: 'SEPA' } },
      ReqdExctnDt: { Dt: '2024-06-14' },
      Dbtr: { Nm: 'Drop AS' },
      DbtrAcct: { Id: { IBAN: 'NO9386011117947' } },
      DbtrAgt: { FinInstnId: { BICFI: 'DNBANOKKXXX' } },
      ChrgBr: 'SLEV',
      CdtTrfTxInf: [
        {
          PmtId: { InstrId: 'DROP-I-0001', EndToEndId: 'tx-01J0F6Q2W3ZK8R4M5N6P7Q8R9S' },
          Amt: { InstdAmt: { '#text': '123.45', '@_Ccy': 'EUR' } },
          CdtrAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } },
          Cdtr: { Nm: 'Joanna Kowalska', PstlAdr: { TwnNm: 'Berlin', Ctry: 'DE' } },
          CdtrAcct: { Id: { IBAN: 'DE89370400440532013000' } },
          RmtInf: { Ustrd: 'Drop transfer tx-01J0F6Q2W3ZK8R4M5N6P7Q8R9S' },
        },
        {
          PmtId: { EndToEndId: 'tx-01J0F6Q2W3ZK8R4M5N6P7Q8R9T' },
          Amt: { InstdAmt: { '#text': '0.01', '@_Ccy': 'EUR' } },
          Cdtr: { Nm: 'Jan de Vries & Zn.', PstlAdr: { Ctry: 'NL' } },
          CdtrAcct: { Id: { IBAN: 'NL91ABNA0417164300' } },
        },
      ],
    });
  });

  it('whose schema check can fail: an amount with three decimals is refused by the schema', async () => {
    const broken = buildPain001(batch).replace('<InstdAmt Ccy="EUR">123.45</InstdAmt>', '<InstdAmt Ccy="EUR">123.456</InstdAmt>');
    const errors = await schemaErrors(broken, 'pain.001.001.09.xsd');
    assert.equal(errors.length, 1);
    assert.match(
      errors[0] ?? '',
      /InstdAmt': \[facet 'fractionDigits'\] The value '123\.456' has more fractional digits than are allowed \('2'\)/,
    );
  });

  it('passes the schema for any valid batch, its control sum the exact sum of its amounts (property)', async () => {
    await fc.assert(
      fc.asyncProperty(anyBatch(), async (input) => {
        const file = buildPain001(input);
        assert.deepStrictEqual(await schemaErrors(file, 'pain.001.001.09.xsd'), []);
        const { GrpHdr, PmtInf } = reader.parse(file).Document.CstmrCdtTrfInitn;
        const total = input.payments.reduce((sum, payment) => sum + payment.amountMinor, 0n);
        assert.equal(GrpHdr.NbOfTxs, String(input.payments.length));
        assert.equal(BigInt(GrpHdr.CtrlSum.replace('.', '')), total);
        assert.equal(PmtInf.CtrlSum, GrpHdr.CtrlSum);
        const amounts = (PmtInf.CdtTrfTxInf as { Amt: { InstdAmt: { '#text': string } } }[]).map((tx) =>
          BigInt(tx.Amt.InstdAmt['#text'].replace('.', '')),
        );
        assert.deepStrictEqual(
          amounts,
          input.payments.map((payment) => payment.amountMinor),
        );
      }),
      { numRuns: 25 },
    );
  });
});

describe('buildPain001 refuses a batch the bank would reject', () => {
  const withPayment = (change: Partial<Pain001Payment>): Pain001Input => ({
    ...batch,
    payments: [{ ...toBerlin, ...change }, toAmsterdam],
  });
  const withCreditor = (change: Partial<Pain001Payment['creditor']>): Pain001Input =>
    withPayment({ creditor: { ...toBerlin.creditor, ...change } });
  const cases: [string, Pain001Input, RegExp][] = [
    ['a payment not in euros', withPayment({ currency: 'NOK' as 'EUR' }), /payments\[0\] is in NOK; a SEPA credit transfer is in EUR only/],
    ['an empty batch', { ...batch, payments: [] }, /the batch has no payments/],
    [
      'a creditor IBAN with a wrong check digit',
      withCreditor({ iban: 'DE89370400440532013001' }),
      /payments\[0\]\.creditor\.iban 'DE89370400440532013001' is not a valid IBAN/,
    ],
    [
      'a debtor IBAN that is no IBAN',
      { ...batch, debtor: { ...debtor, iban: '1234.56.78903' } },
      /debtor\.iban '1234\.56\.78903' is not a valid IBAN/,
    ],
    ['a BIC of the wrong shape', withCreditor({ bic: 'COBADEF' }), /payments\[0\]\.creditor\.bic 'COBADEF' is not a valid BIC/],
    ['a debtor without a valid BIC', { ...batch, debtor: { ...debtor, bic: 'dnbanokk' } }, /debtor\.bic 'dnbanokk' is not a valid BIC/],
    [
      'a creditor name of 71 characters',
      withCreditor({ name: 'N'.repeat(71) }),
      /payments\[0\]\.creditor\.name is 71 characters; at most 70/,
    ],
    [
      'a debtor name of 71 characters',
      { ...batch, debtor: { ...debtor, name: 'D'.repeat(71) } },
      /debtor\.name is 71 characters; at most 70/,
    ],
    [
      'remittance of 141 characters',
      withPayment({ remittance: 'r'.repeat(141) }),
      /payments\[0\]\.remittance is 141 characters; at most 140/,
    ],
    ['a zero amount', withPayment({ amountMinor: 0n }), /payments\[0\]\.amountMinor must be a positive bigint/],
    ['an amount over SEPA’s maximum', withPayment({ amountMinor: 100_000_000_000n }), /more than SEPA's 999999999\.99 EUR/],
    [
      'an end-to-end id used twice',
      { ...batch, payments: [toBerlin, { ...toAmsterdam, endToEndId: toBerlin.endToEndId }] },
      /payments\[1\]\.endToEndId .* appears twice/,
    ],
    [
      'an end-to-end id outside the SEPA characters',
      withPayment({ endToEndId: 'tx_01J0F6Q2W3ZK8R4M5N6P7Q8R9S' }),
      /endToEndId 'tx_01J0F6Q2W3ZK8R4M5N6P7Q8R9S' uses characters outside the SEPA set/,
    ],
    ['an end-to-end id starting with a slash', withPayment({ endToEndId: '/tx-1' }), /starts, ends or doubles '\/'/],
    ['a country that is no ISO code', withCreditor({ country: 'Germany' }), /creditor\.country 'Germany' is not an ISO 3166 alpha-2 code/],
    [
      'an execution date that is no day',
      { ...batch, requestedExecutionDate: '2024-13-01' },
      /requestedExecutionDate '2024-13-01' is not a date/,
    ],
    ['a creation time without a time', { ...batch, createdAt: '2024-06-13' }, /createdAt '2024-06-13' is not an ISO date-time/],
  ];
  for (const [what, input, problem] of cases) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => buildPain001(input),
        (error: unknown) => error instanceof Error && /^pain\.001 not built: /.test(error.message) && problem.test(error.message),
      );
    });
  }

  it('accepts exactly 70 characters of name and 140 of remittance, the limits themselves', async () => {
    const file = buildPain001(withPayment({ remittance: 'r'.repeat(140), creditor: { ...toBerlin.creditor, name: 'N'.repeat(70) } }));
    assert.deepStrictEqual(await schemaErrors(file, 'pain.001.001.09.xsd'), []);
  });
});

// ---- generators --------------------------------------------------------------------------------

const nameCharacters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,&\'"<>æøåÆØÅéüß'];
const text = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...nameCharacters), minLength: 1, maxLength }).filter((value) => value.trim() === value);
const sepaId = fc
  .string({ unit: fc.constantFrom(...'ABCDEFGHJKMNPQRSTVWXYZ0123456789-'), minLength: 1, maxLength: 35 })
  .filter((id) => !id.startsWith('/'));
const ibans = ['DE89370400440532013000', 'NL91ABNA0417164300', 'FR1420041010050500013M02606', 'NO9386011117947', 'GB29NWBK60161331926819'];

function anyBatch(): fc.Arbitrary<Pain001Input> {
  const payment = (endToEndId: string) =>
    fc.record(
      {
        endToEndId: fc.constant(endToEndId),
        instructionId: sepaId,
        amountMinor: fc.bigInt({ min: 1n, max: 99_999_999_999n }),
        currency: fc.constant('EUR' as const),
        creditor: fc.record(
          {
            name: text(70),
            iban: fc.constantFrom(...ibans),
            bic: fc.constantFrom('COBADEFFXXX', 'INGBNL2A', 'BNPAFRPP'),
            country: fc.constantFrom('DE', 'NL', 'FR', 'NO', 'PL'),
            town: text(35),
          },
          { requiredKeys: ['name', 'iban', 'country'] },
        ),
        remittance: text(140),
      },
      { requiredKeys: ['endToEndId', 'amountMinor', 'currency', 'creditor'] },
    );
  return fc.record({
    messageId: sepaId,
    createdAt: fc.constant('2024-06-13T10:00:00Z'),
    debtor: fc.constant(debtor),
    requestedExecutionDate: fc.constant('2024-06-14'),
    payments: fc.uniqueArray(sepaId, { minLength: 1, maxLength: 5 }).chain((ids) => fc.tuple(...ids.map(payment))),
  });
}
