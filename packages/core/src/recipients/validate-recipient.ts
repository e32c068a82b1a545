/**
 * Checks and normalises a recipient before it is stored: who they are, where they live, and the
 * payout details for that country's rail (recipient-rules.ts). Pure: no database, no network.
 * A refusal names the first bad field, so the form can point at it; the reason is a stable code
 * the client can translate, the message is for people reading logs.
 */
import { validIban } from '@drop/check-digits';
import { RELATIONSHIPS, type Relationship } from '@drop/contracts';
import { extractIBAN, isValidBIC } from 'ibantools';
// The default libphonenumber-js bundle carries "min" metadata, where getType() is always
// undefined; the "max" metadata knows mobile from fixed-line. It is larger, so the browser
// should keep to recipient-rules.ts and leave this check to the server.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DomainError } from '../errors.ts';
import { isRecipientCountry, RECIPIENT_RULES, type RecipientCountry, type RecipientRail, type RecipientRule } from './recipient-rules.ts';

export { RELATIONSHIPS, type Relationship } from '@drop/contracts';

export const US_ACCOUNT_TYPES = ['checking', 'savings'] as const;
export const MOBILE_MONEY_PROVIDERS = { gcash: 'GCash', maya: 'Maya' } as const;

export interface RecipientInput {
  name: string;
  country: string;
  currency: string;
  relationship: string;
  details: Readonly<Record<string, string>>;
}

export interface ValidRecipient {
  name: string;
  country: RecipientCountry;
  currency: string;
  rail: RecipientRail;
  relationship: Relationship;
  /** Only the country's fields, normalised: what the payout partner gets. */
  details: Record<string, string>;
  /** Safe to show in lists and e-mails: never a whole account or phone number. */
  display: string;
}

export type RecipientRefusalReason =
  | 'required'
  | 'invalid'
  | 'too_short'
  | 'too_long'
  | 'checksum'
  | 'country_mismatch'
  | 'not_mobile'
  | 'unknown_field';

interface Refusal {
  reason: RecipientRefusalReason;
  message: string;
}

/** Normalises one payout field, or says why it cannot. */
type Check = (value: string, country: RecipientCountry) => string | Refusal;

function refuse(field: string, reason: RecipientRefusalReason, message: string): never {
  throw new DomainError('RECIPIENT_INVALID', message, { field, reason });
}

export function validateRecipient(input: RecipientInput): ValidRecipient {
  // The shape is declared, but this sits behind HTTP: look at every value before trusting its type.
  const source: Partial<Record<keyof RecipientInput, unknown>> = input ?? {};
  const name = validName(source.name);

  const country = text(source.country).toUpperCase();
  if (!country) refuse('country', 'required', 'The country is missing.');
  if (!/^[A-Z]{2}$/.test(country)) refuse('country', 'invalid', 'The country must be a two-letter ISO code.');
  if (!isRecipientCountry(country)) throw new DomainError('CORRIDOR_UNSUPPORTED', `Drop does not send to ${country}.`, { country });
  const rule = RECIPIENT_RULES[country];

  const currency = text(source.currency).toUpperCase();
  if (!currency) refuse('currency', 'required', 'The currency is missing.');
  if (currency !== rule.currency) {
    throw new DomainError('CORRIDOR_UNSUPPORTED', `Drop pays out in ${rule.currency} in ${country}, not ${currency}.`, {
      country,
      currency,
      expected: rule.currency,
    });
  }

  const relationship = text(source.relationship).toLowerCase();
  if (!relationship) refuse('relationship', 'required', 'The relationship is missing.');
  if (!isRelationship(relationship)) refuse('relationship', 'invalid', `The relationship must be one of ${RELATIONSHIPS.join(', ')}.`);

  const details = validDetails(rule, source.details);
  return { name, country, currency, rail: rule.rail, relationship, details, display: displayOf(rule, details) };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function isRelationship(value: string): value is Relationship {
  return (RELATIONSHIPS as readonly string[]).includes(value);
}

// Letters and combining marks of any script, plus the punctuation names really carry
// (O'Brien, Nguyễn-Văn, St. John; ’ and ʼ are the apostrophes phones type).
const NAME_CHARACTERS = /^[\p{L}\p{M} '’ʼ.-]+$/u;
const LETTER = /\p{L}/gu;

function validName(value: unknown): string {
  // NFC so a name typed with combining accents and one typed with precomposed ones are the same name.
  const name = text(value).normalize('NFC').replace(/\s+/g, ' ');
  if (!name) refuse('name', 'required', 'The name is missing.');
  const length = [...name].length;
  if (length < 2) refuse('name', 'too_short', 'The name must be at least 2 characters.');
  if (length > 140) refuse('name', 'too_long', 'The name must be at most 140 characters.');
  if (!NAME_CHARACTERS.test(name)) refuse('name', 'invalid', 'The name may hold only letters, spaces, apostrophes, hyphens and periods.');
  if ((name.match(LETTER) ?? []).length < 2) refuse('name', 'invalid', 'The name must have at least two letters.');
  return name;
}

function validDetails(rule: RecipientRule, value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse('details', 'required', 'The payout details are missing.');
  const given = value as Record<string, unknown>;
  const known = new Set(rule.fields.map((field) => field.name));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) refuse(`details.${key}`, 'unknown_field', `${rule.country} recipients have no field ${key}.`);
  }

  const checks = rule.rail === 'iban' ? IBAN_CHECKS : BANK_AND_WALLET_CHECKS[rule.country];
  const details: Record<string, string> = {};
  for (const field of rule.fields) {
    const path = `details.${field.name}`;
    const raw = given[field.name];
    if (raw !== undefined && raw !== null && typeof raw !== 'string') refuse(path, 'invalid', `${field.label.en} must be text.`);
    const trimmed = text(raw);
    if (!trimmed) {
      if (field.required) refuse(path, 'required', `${field.label.en} is missing.`);
      continue;
    }
    const check = checks?.[field.name];
    // A rule field without a check is a programming error; the tests walk every country.
    if (!check) throw new Error(`No check for ${rule.country} ${field.name}`);
    const result = check(trimmed, rule.country);
    if (typeof result !== 'string') refuse(path, result.reason, result.message);
    details[field.name] = result;
  }
  return details;
}

// ---- field checks ----

/** Digits, allowing the spaces and hyphens people copy from bank letters. */
function digits(what: string, min: number, max = min): Check {
  const size = min === max ? `${min}` : `${min}–${max}`;
  return (value) => {
    const compact = value.replace(/[\s-]/g, '');
    if (!/^\d+$/.test(compact)) return { reason: 'invalid', message: `${what} must be ${size} digits.` };
    if (compact.length < min) return { reason: 'too_short', message: `${what} must be ${size} digits.` };
    if (compact.length > max) return { reason: 'too_long', message: `${what} must be ${size} digits.` };
    return compact;
  };
}

function oneOf(what: string, allowed: readonly string[]): Check {
  return (value) => {
    const lower = value.toLowerCase();
    return allowed.includes(lower) ? lower : { reason: 'invalid', message: `${what} must be one of ${allowed.join(', ')}.` };
  };
}

const checkIban: Check = (value, country) => {
  const iban = validIban(value.replace(/\s/g, ''));
  if (!iban) return { reason: 'invalid', message: 'The IBAN is not valid; check it for typos.' };
  const ibanCountry = extractIBAN(iban).countryCode;
  if (ibanCountry !== country) return { reason: 'country_mismatch', message: `The IBAN is from ${ibanCountry}, not ${country}.` };
  return iban;
};

const checkBic: Check = (value, country) => {
  const bic = value.replace(/\s/g, '').toUpperCase();
  if (!isValidBIC(bic)) return { reason: 'invalid', message: 'The BIC must be 8 or 11 letters and digits.' };
  const bicCountry = bic.slice(4, 6);
  if (bicCountry !== country) return { reason: 'country_mismatch', message: `The BIC is from ${bicCountry}, not ${country}.` };
  return bic;
};

const abaDigits = digits('The routing number', 9);

/** ABA routing number: 9 digits, a Federal Reserve prefix, and the 3-7-1 checksum. */
const checkAbaRoutingNumber: Check = (value, country) => {
  const routing = abaDigits(value, country);
  if (typeof routing !== 'string') return routing;
  // 01–12 Federal Reserve districts, 21–32 thrifts, 61–72 electronic, 80 traveller's cheques; 00 is the
  // US government's own and not payable by ACH. This also refuses 000000000, which passes the checksum.
  const prefix = Number(routing.slice(0, 2));
  const payable = (prefix >= 1 && prefix <= 12) || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  if (!payable) return { reason: 'invalid', message: 'This is not a US bank routing number.' };
  const d = [...routing].map(Number) as [number, number, number, number, number, number, number, number, number];
  const sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
  if (sum % 10 !== 0) return { reason: 'checksum', message: 'The routing number is not valid; check it for typos.' };
  return routing;
};

const checkIfsc: Check = (value) => {
  const ifsc = value.replace(/\s/g, '').toUpperCase();
  // Four letters for the bank, a reserved 0, six characters for the branch.
  return /^[A-Z]{4}0[A-Z0-9]{6}$/.test(ifsc) ? ifsc : { reason: 'invalid', message: 'The IFSC code must look like SBIN0000300.' };
};

const checkMobileNumber: Check = (value, country) => {
  // extract: false, or "call me on 0917 123 4567" would pass as a number.
  const phone = parsePhoneNumberFromString(value, { defaultCountry: country, extract: false });
  if (!phone?.isValid() || phone.ext) return { reason: 'invalid', message: 'The mobile number is not valid.' };
  if (phone.country !== country) return { reason: 'country_mismatch', message: `The mobile number is not from ${country}.` };
  const type = phone.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return { reason: 'not_mobile', message: 'The number is not a mobile number.' };
  return phone.number;
};

const IBAN_CHECKS: Readonly<Record<string, Check>> = { iban: checkIban, bic: checkBic };

const BANK_AND_WALLET_CHECKS: Partial<Record<RecipientCountry, Readonly<Record<string, Check>>>> = {
  GB: { sortCode: digits('The sort code', 6), accountNumber: digits('The account number', 8) },
  US: {
    routingNumber: checkAbaRoutingNumber,
    accountNumber: digits('The account number', 4, 17),
    accountType: oneOf('The account type', US_ACCOUNT_TYPES),
  },
  IN: { ifsc: checkIfsc, accountNumber: digits('The account number', 9, 18) },
  TH: { bankCode: digits('The bank code', 3), accountNumber: digits('The account number', 10, 12) },
  VN: { bankCode: digits('The bank code', 6), accountNumber: digits('The account number', 6, 19) },
  LK: {
    bankCode: digits('The bank code', 4),
    branchCode: digits('The branch code', 3),
    accountNumber: digits('The account number', 6, 16),
  },
  BD: { routingNumber: digits('The routing number', 9), accountNumber: digits('The account number', 10, 17) },
  PH: { provider: oneOf('The wallet', Object.keys(MOBILE_MONEY_PROVIDERS)), mobileNumber: checkMobileNumber },
};

// ---- display ----

const MASK = '••••';

/** The last few digits only; at most half of a short number, so a 4-digit account is not shown whole. */
function maskedAccount(account: string): string {
  return `${MASK} ${account.slice(-Math.min(4, Math.floor(account.length / 2)))}`;
}

function displayOf(rule: RecipientRule, details: Record<string, string>): string {
  const field = (name: string) => details[name] ?? '';
  switch (rule.rail) {
    case 'iban': {
      const iban = field('iban');
      return `${iban.slice(0, 4)} ${MASK} ${MASK} ${iban.slice(-4)}`;
    }
    case 'mobile_money': {
      const provider = MOBILE_MONEY_PROVIDERS[field('provider') as keyof typeof MOBILE_MONEY_PROVIDERS];
      // "+63 917 123 4567" → "+63 917 ••• 4567": country, operator prefix and the last group only.
      const groups = parsePhoneNumberFromString(field('mobileNumber'))?.formatInternational().split(' ') ?? [];
      const masked = groups.map((group, i) => (i < 2 || i === groups.length - 1 ? group : '•'.repeat(group.length)));
      return `${provider} ${masked.join(' ')}`;
    }
    case 'bank_account':
      return `${bankOf(rule.country, details)} ${maskedAccount(field('accountNumber'))}`;
  }
}

/** The bank (and branch) identifier: public, and what tells two accounts of one person apart. */
function bankOf(country: RecipientCountry, details: Record<string, string>): string {
  if (country === 'GB') return (details.sortCode ?? '').replace(/(\d{2})(\d{2})(\d{2})/, '$1-$2-$3');
  if (country === 'LK') return `${details.bankCode}-${details.branchCode}`;
  return details.routingNumber ?? details.ifsc ?? details.bankCode ?? '';
}
