/**
 * The people and sign-in methods of the local BankID test provider. All data here is invented:
 * the national identity numbers are synthetic (valid fødselsnummer structure and mod-11 control
 * digits, made up for these test people), and the sanctioned person and the PEP are public list
 * entries (OFAC SDN; OpenSanctions' US Congress PEPs), used only so screening has something to find.
 */
import { nationalIdControlDigits } from '@drop/check-digits';

export interface TestPerson {
  /** Short handle used by tests and the login page (`data-testid="person-<id>"`). */
  id: string;
  /** The stable pseudonymous `sub` the provider issues for this person (like BankID: not the national id). */
  sub: string;
  /** 11-digit fødselsnummer, issued as the `nnin_altsub` claim. */
  nationalId: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  birthdate: string;
  /** Shown on the login page, e.g. 'Adult, no flags'. */
  description: string;
}

/**
 * A synthetic fødselsnummer for a birth date: ddmmyy, an individual number in the range for the
 * century (100–499 for 1900–1999, 500–999 for 2000–2039), and both mod-11 control digits.
 */
export function syntheticNationalId(birthdate: string): string {
  const [year, month, day] = birthdate.split('-');
  const base = `${day}${month}${year?.slice(2)}`;
  const [first, last] = Number(year) < 2000 ? [102, 500] : [502, 1000];
  for (let individual = first; individual < last; individual++) {
    const control = nationalIdControlDigits(`${base}${individual}`);
    if (control !== undefined) return `${base}${individual}${control}`;
  }
  throw new Error(`no national id for ${birthdate}`);
}

const MINOR_BIRTHDATE = `${new Date().getUTCFullYear() - 15}-06-01`;
const MINOR = { birthdate: MINOR_BIRTHDATE, nationalId: syntheticNationalId(MINOR_BIRTHDATE) };

export const TEST_PEOPLE: readonly TestPerson[] = Object.freeze([
  {
    id: 'kari',
    sub: '72d19eca-7629-4913-9400-f78deacc4310',
    nationalId: '12048510254',
    givenName: 'Kari',
    familyName: 'Nordmann',
    birthdate: '1985-04-12',
    description: 'Adult, no flags',
  },
  {
    id: 'ola',
    sub: '11138b09-c42f-48f9-8021-8516c0158b8b',
    nationalId: '30089010302',
    givenName: 'Ola',
    familyName: 'Nordmann',
    birthdate: '1990-08-30',
    description: 'Adult, no flags',
  },
  {
    id: 'sanctioned',
    sub: 'e3c5ac49-5011-4bf2-bee6-7bec98a4c552',
    // OFAC SDN entry 6861, with the birth date the list gives (DOB 25 Dec 1954).
    nationalId: syntheticNationalId('1954-12-25'),
    givenName: 'Joaquin Archivaldo',
    familyName: 'Guzman Loera',
    birthdate: '1954-12-25',
    description: 'Name on a sanctions list (OFAC SDN)',
  },
  {
    id: 'pep',
    sub: '50c05ac2-f797-4391-a84c-6fcbddcc2a61',
    // A member of the US Congress, on OpenSanctions' PEP list that Drop ships (born 1940).
    nationalId: syntheticNationalId('1940-03-26'),
    givenName: 'Nancy',
    familyName: 'Pelosi',
    birthdate: '1940-03-26',
    description: 'Politically exposed person (PEP)',
  },
  {
    id: 'minor',
    sub: '196d59d2-f166-48e7-bbb9-a4e70f05dee0',
    // Always 15 years old (born 1 June, fifteen years back), so the person stays a minor.
    nationalId: MINOR.nationalId,
    givenName: 'Emma',
    familyName: 'Nordmann',
    birthdate: MINOR.birthdate,
    description: 'Minor (under 18)',
  },
  {
    id: 'per',
    sub: '402cc168-4639-4e2c-9ccf-cfc8d757ffc2',
    nationalId: syntheticNationalId('1978-09-15'),
    givenName: 'Per',
    familyName: 'Hansen',
    birthdate: '1978-09-15',
    description: 'Adult, no flags',
  },
  {
    id: 'elderly',
    sub: '5ac8c60c-fa73-438d-bdee-92b0133cce58',
    nationalId: '17024110354',
    givenName: 'Arne',
    familyName: 'Bakken',
    birthdate: '1941-02-17',
    description: 'Elderly adult (born 1941), no flags',
  },
] satisfies TestPerson[]);

/** The test person with this id; throws for an unknown id so a typo in a test fails loudly. */
export function testPerson(id: string): TestPerson {
  const person = TEST_PEOPLE.find((candidate) => candidate.id === id);
  if (!person) throw new Error(`No BankID test person '${id}' (known: ${TEST_PEOPLE.map((p) => p.id).join(', ')})`);
  return person;
}

export function personBySub(sub: string): TestPerson | undefined {
  return TEST_PEOPLE.find((candidate) => candidate.sub === sub);
}

export interface BankIdMethod {
  /** Form value and `data-testid="method-<id>"`. */
  id: 'bid' | 'bim' | 'bis';
  label: string;
  acr: string;
  amr: string;
}

/** BankID's methods and their acr/amr values (bidbax wiki "Identity Providers"). */
export const BANKID_METHODS: readonly BankIdMethod[] = Object.freeze([
  { id: 'bid', label: 'BankID (kodebrikke/app) – LOA 4', acr: 'urn:bankid:bid;LOA=4', amr: 'BID' },
  { id: 'bim', label: 'BankID på mobil – LOA 4', acr: 'urn:bankid:bim;LOA=4', amr: 'BIM' },
  { id: 'bis', label: 'BankID biometri – LOA 3', acr: 'urn:bankid:bis;LOA=3', amr: 'BIS' },
] satisfies BankIdMethod[]);

/**
 * The method to preselect for an authorization request: BankID selects biometrics only through
 * `login_hint=BIS`; otherwise `login_hint` (`BID…`/`BIM…`) or `acr_values` (`urn:bankid:bim`…) pick it.
 */
export function preferredMethod(params: Record<string, unknown>): BankIdMethod['id'] {
  const hint = typeof params.login_hint === 'string' ? params.login_hint.toUpperCase() : '';
  if (hint.startsWith('BIS')) return 'bis';
  if (hint.startsWith('BIM')) return 'bim';
  if (hint.startsWith('BID')) return 'bid';
  const acrValues = typeof params.acr_values === 'string' ? params.acr_values.split(' ') : [];
  for (const value of acrValues) {
    const method = BANKID_METHODS.find((candidate) => value === candidate.acr || value === candidate.acr.split(';')[0]);
    if (method) return method.id;
  }
  return 'bid';
}

/** The person a `login_hint` of the forms `:<fnr>`, `BID:<fnr>` names, if any. */
export function hintedPerson(params: Record<string, unknown>): TestPerson | undefined {
  if (typeof params.login_hint !== 'string') return undefined;
  const match = /^(?:BID)?:(\d{11})$/i.exec(params.login_hint);
  return match ? TEST_PEOPLE.find((person) => person.nationalId === match[1]) : undefined;
}
