/**
 * Where Drop pays out, in which currency, over which rail, and which payout details each country
 * needs. Plain data with no imports, so the customer web app can import it and draw the recipient
 * form from the same list the server validates against (validate-recipient.ts). Every example
 * here passes validation; a test holds that true.
 */
export type RecipientRail = 'iban' | 'bank_account' | 'mobile_money';

export interface LocalisedText {
  en: string;
  nb: string;
}

export interface FieldRule {
  name: string;
  label: LocalisedText;
  hint?: LocalisedText;
  required: boolean;
  example: string;
}

export interface RecipientRule {
  country: RecipientCountry;
  currency: string;
  rail: RecipientRail;
  fields: readonly FieldRule[];
}

/** The euro countries Drop pays to by IBAN (SEPA); pricing/corridors.ts prices the same list. */
export const EURO_COUNTRIES = [
  'AT',
  'BE',
  'CY',
  'DE',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PT',
  'SI',
  'SK',
] as const;

/** Where Drop pays out. Norway is not here: Drop only sends abroad. */
export const RECIPIENT_COUNTRIES = [
  ...EURO_COUNTRIES,
  'SE',
  'DK',
  'PL',
  'TR',
  'PK',
  'GB',
  'US',
  'IN',
  'TH',
  'VN',
  'LK',
  'BD',
  'PH',
] as const;

export type RecipientCountry = (typeof RECIPIENT_COUNTRIES)[number];

const digits = (count: string): LocalisedText => ({ en: `${count} digits`, nb: `${count} sifre` });

/** A hint that shows what to type: `6 digits, like 40-47-84`. */
const like = (en: string, nb: string, example: string): LocalisedText => ({ en: `${en}, like ${example}`, nb: `${nb}, som ${example}` });

/** A field the customer must fill in. */
function requiredField(name: string, label: LocalisedText, hint: LocalisedText, example: string): FieldRule {
  return { name, label, hint, required: true, example };
}

const accountNumber = (count: string, example: string): FieldRule =>
  requiredField('accountNumber', { en: 'Account number', nb: 'Kontonummer' }, digits(count), example);

/** A bank code of so many digits; `en` and `nb` name it as the country's banks do. */
const bankCode = (en: string, nb: string, count: string, example: string): FieldRule =>
  requiredField('bankCode', { en, nb }, digits(count), example);

/** A country paid by local bank transfer, to the account these fields identify. */
function bankAccountRule(country: RecipientCountry, currency: string, fields: readonly FieldRule[]): RecipientRule {
  return { country, currency, rail: 'bank_account', fields };
}

function ibanRule(country: RecipientCountry, currency: string, [iban, bic]: readonly [iban: string, bic: string]): RecipientRule {
  return {
    country,
    currency,
    rail: 'iban',
    fields: [
      {
        name: 'iban',
        label: { en: 'IBAN', nb: 'IBAN' },
        hint: { en: `Starts with ${country}`, nb: `Begynner med ${country}` },
        required: true,
        example: iban,
      },
      {
        name: 'bic',
        label: { en: 'BIC / SWIFT code', nb: 'BIC/SWIFT-kode' },
        hint: { en: '8 or 11 characters, if you have it', nb: '8 eller 11 tegn, hvis du har den' },
        required: false,
        example: bic,
      },
    ],
  };
}

/** A published example IBAN and a real BIC from each euro country, shown as placeholders. */
const EUR_EXAMPLES: Record<(typeof EURO_COUNTRIES)[number], readonly [iban: string, bic: string]> = {
  AT: ['AT611904300234573201', 'BKAUATWW'],
  BE: ['BE68539007547034', 'GEBABEBB'],
  CY: ['CY17002001280000001200527600', 'BCYPCY2N'],
  DE: ['DE89370400440532013000', 'DEUTDEFF'],
  EE: ['EE382200221020145685', 'HABAEE2X'],
  ES: ['ES9121000418450200051332', 'CAIXESBB'],
  FI: ['FI2112345600000785', 'NDEAFIHH'],
  FR: ['FR1420041010050500013M02606', 'BNPAFRPP'],
  GR: ['GR1601101250000000012300695', 'ETHNGRAA'],
  HR: ['HR1210010051863000160', 'ZABAHR2X'],
  IE: ['IE29AIBK93115212345678', 'AIBKIE2D'],
  IT: ['IT60X0542811101000000123456', 'UNCRITMM'],
  LT: ['LT121000011101001000', 'HABALT22'],
  LU: ['LU280019400644750000', 'BCEELULL'],
  LV: ['LV80BANK0000435195001', 'HABALV22'],
  MT: ['MT84MALT011000012345MTLCAST001S', 'VALLMTMT'],
  NL: ['NL91ABNA0417164300', 'ABNANL2A'],
  PT: ['PT50000201231234567890154', 'CGDIPTPL'],
  SI: ['SI56263300012039086', 'LJBASI2X'],
  SK: ['SK3112000000198742637541', 'SUBASKBX'],
};

const EUR_RULES = Object.fromEntries(EURO_COUNTRIES.map((country) => [country, ibanRule(country, 'EUR', EUR_EXAMPLES[country])])) as Record<
  (typeof EURO_COUNTRIES)[number],
  RecipientRule
>;

export const RECIPIENT_RULES: Readonly<Record<RecipientCountry, RecipientRule>> = {
  ...EUR_RULES,
  SE: ibanRule('SE', 'SEK', ['SE4550000000058398257466', 'ESSESESS']),
  DK: ibanRule('DK', 'DKK', ['DK5000400440116243', 'DABADKKK']),
  PL: ibanRule('PL', 'PLN', ['PL61109010140000071219812874', 'PKOPPLPW']),
  TR: ibanRule('TR', 'TRY', ['TR330006100519786457841326', 'TCZBTR2A']),
  PK: ibanRule('PK', 'PKR', ['PK36SCBL0000001123456702', 'SCBLPKKX']),
  GB: bankAccountRule('GB', 'GBP', [
    requiredField('sortCode', { en: 'Sort code', nb: 'Sort code (britisk bankkode)' }, like('6 digits', '6 sifre', '40-47-84'), '40-47-84'),
    accountNumber('8', '70872490'),
  ]),
  US: bankAccountRule('US', 'USD', [
    requiredField('routingNumber', { en: 'Routing number (ABA)', nb: 'Routingnummer (ABA)' }, digits('9'), '021000021'),
    accountNumber('4–17', '123456789'),
    requiredField(
      'accountType',
      { en: 'Account type', nb: 'Kontotype' },
      { en: 'checking or savings', nb: 'checking (brukskonto) eller savings (sparekonto)' },
      'checking',
    ),
  ]),
  IN: bankAccountRule('IN', 'INR', [
    requiredField('ifsc', { en: 'IFSC code', nb: 'IFSC-kode' }, like('11 characters', '11 tegn', 'SBIN0000300'), 'SBIN0000300'),
    accountNumber('9–18', '12345678901'),
  ]),
  TH: bankAccountRule('TH', 'THB', [bankCode('Bank code', 'Bankkode', '3', '004'), accountNumber('10–12', '1234567890')]),
  VN: bankAccountRule('VN', 'VND', [bankCode('Bank code (BIN)', 'Bankkode (BIN)', '6', '970436'), accountNumber('6–19', '0011001234567')]),
  LK: bankAccountRule('LK', 'LKR', [
    bankCode('Bank code', 'Bankkode', '4', '7010'),
    requiredField('branchCode', { en: 'Branch code', nb: 'Filialkode' }, digits('3'), '001'),
    accountNumber('6–16', '0012345678'),
  ]),
  BD: bankAccountRule('BD', 'BDT', [
    requiredField('routingNumber', { en: 'Routing number', nb: 'Routingnummer' }, digits('9'), '090261726'),
    accountNumber('10–17', '1234567890123'),
  ]),
  PH: {
    country: 'PH',
    currency: 'PHP',
    rail: 'mobile_money',
    fields: [
      requiredField('provider', { en: 'Mobile wallet', nb: 'Mobillommebok' }, { en: 'gcash or maya', nb: 'gcash eller maya' }, 'gcash'),
      requiredField(
        'mobileNumber',
        { en: 'Mobile number', nb: 'Mobilnummer' },
        like('Philippine mobile number', 'Filippinsk mobilnummer', '0917 123 4567'),
        '+63 917 123 4567',
      ),
    ],
  },
};

/** Own keys only, so `constructor` or `__proto__` from a request body is never a country. */
export function isRecipientCountry(value: string): value is RecipientCountry {
  return Object.hasOwn(RECIPIENT_RULES, value);
}
