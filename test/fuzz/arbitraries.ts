/**
 * fast-check arbitraries for fuzzing Drop's API: a value for each JSON schema of the OpenAPI
 * document (valid-ish: right shape, plausible words, ids of objects that exist), mixed at every
 * depth with hostile values (strings PostgreSQL or a parser may choke on, numbers at the edges,
 * wrong types, prototype-pollution keys), and whole requests built from them with hostile path
 * parameters, random query strings and broken encodings (truncated JSON, duplicate keys,
 * invalid UTF-8, a media type the route does not read).
 *
 * Ids of existing objects change while the run goes on, so an arbitrary does not hold them: it
 * draws a `KnownId` (a hint, such as `transfers`, and a number) that `materialize` turns into an
 * id the database holds just before the request is sent.
 */
import fc from 'fast-check';
import type { JsonSchema, Operation, Parameter } from './operations.ts';

export const ACTORS = ['nobody', 'customer', 'support', 'compliance_officer', 'compliance_lead', 'admin'] as const;
export type ActorName = (typeof ACTORS)[number];
const STAFF_ACTORS: readonly ActorName[] = ['support', 'compliance_officer', 'compliance_lead', 'admin'];

/** Stands for the id of an existing object whose table's name contains `hint`, chosen by `pick`. */
export class KnownId {
  readonly hint: string;
  readonly pick: number;
  constructor(hint: string, pick: number) {
    this.hint = hint;
    this.pick = pick;
  }
}

/** A path segment or query value that is sent exactly as written (already percent-encoded). */
export class RawText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uFEFF',
  '\u202Eevil\u202C',
  'zero\u200Bwidth\u200D',
  'ا\u200Fمن',
  '\r\n\t',
  '𝕯𝖗𝖔𝖕 💸🇳🇴',
  'A'.repeat(10_000),
  "' OR '1'='1' --",
  "'; DROP TABLE users; --",
  '1; SELECT pg_sleep(0)',
  '$$ ; $$',
  '\\',
  '%',
  '%%00',
  '_',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection, sent as the text it is
  '{{7*7}}${7*7}',
  '{"a":1}',
  '[]',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-0',
  '0x1F',
  '9'.repeat(400),
  '00000000000',
  '../../../etc/passwd',
  'file:///etc/passwd',
  'http://169.254.169.254/',
  'javascript:alert(1)',
  'true',
];

export const HOSTILE_NUMBERS: readonly unknown[] = [
  0,
  -0,
  -1,
  1.5,
  0.1,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  1e308,
  -1e308,
  5e-324,
  2 ** 31,
  2 ** 63,
  'NaN',
  'Infinity',
  '1e309',
  '-0',
  '1_000',
  ' 1 ',
  '0x10',
  '١٢٣',
];

/** Words Drop's forms take, so valid-ish strings often get past validation to the use case. */
const VOCABULARY: readonly string[] = [
  'DE',
  'EUR',
  'NOK',
  'SE',
  'SEK',
  'PL',
  'PLN',
  'GB',
  'GBP',
  'US',
  'USD',
  '1',
  '100',
  '1000',
  '25000',
  '100000000',
  '0',
  '0.01',
  '12.50',
  'family',
  'friend',
  'self',
  'business',
  'nb',
  'en',
  'approved',
  'rejected',
  'open',
  'closed',
  'investigating',
  'false_positive',
  'reported',
  'a reason',
  'Anna Schmidt',
  'DE89370400440532013000',
  'NO9386011117947',
  'kari@example.no',
  '2026-01-01',
  '2026-12',
  'salary',
  'send',
  'receive',
];

const WRONG_TYPES: readonly unknown[] = [null, true, false, 0, 1, -1, '', 'x', [], [null], {}, { a: 1 }, [[[[[]]]]]];

export const PROTOTYPE_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'hasOwnProperty',
  'toString',
];

const hostileString = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 400 }) },
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((value) => value.toString()) },
);

/** A name hint for ids: `recipientId` → `recipient`, `userId` → `user`. */
function hintOf(name: string): string {
  const stem = name.replace(/Ids?$/, '').toLowerCase();
  return stem === 'id' || stem === '' ? '' : stem;
}

function knownId(hint: string): fc.Arbitrary<KnownId> {
  return fc.nat({ max: 10_000 }).map((pick) => new KnownId(hint, pick));
}

function plausibleString(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(...VOCABULARY)];
  if (/id$/i.test(name) || name === 'query' || name === 'subjectId') options.push(knownId(hintOf(name)), knownId(hintOf(name)));
  if (/email/i.test(name) || schema.format === 'email') options.push(fc.emailAddress());
  if (/amount/i.test(name)) options.push(fc.bigInt({ min: 0n, max: 10n ** 9n }).map(String));
  if (schema.format === 'date-time' || schema.format === 'date')
    options.push(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()));
  if (schema.pattern) {
    try {
      options.push(fc.stringMatching(new RegExp(schema.pattern)));
    } catch {
      // A pattern fast-check cannot read: the other options still apply.
    }
  }
  options.push(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 60) }));
  return fc.oneof(...options);
}

/** A valid-ish value for `schema`, with a hostile one at any depth now and then. */
export function valueFor(schema: JsonSchema, name = '', depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 8, arbitrary: plausibleValue(schema, name, depth) }, { weight: depth === 0 ? 1 : 2, arbitrary: hostileValue });
}

function plausibleValue(schema: JsonSchema, name: string, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((item) => plausibleValue(item, name, depth)));
  if (schema.allOf && schema.allOf.length > 0) return plausibleValue(Object.assign({}, ...schema.allOf) as JsonSchema, name, depth);
  const type = Array.isArray(schema.type) ? (schema.type.find((item) => item !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'string':
      return plausibleString(schema, name);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -10, -1_000_000), max: Math.min(schema.maximum ?? 1000, 1_000_000) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valueFor(schema.items ?? {}, name, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 6),
      });
    case 'object':
      return objectFor(schema, depth);
    default:
      return fc.oneof(fc.constantFrom(...VOCABULARY), fc.integer(), fc.boolean());
  }
}

function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const fields = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, valueFor(value, key, depth + 1)]));
  const known = fc.record(fields, { requiredKeys: Object.keys(properties).filter((key) => required.has(key)) });
  const extraValue = typeof schema.additionalProperties === 'object' ? valueFor(schema.additionalProperties, '', depth + 1) : hostileValue;
  const extraKey = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 12 }), hostileString);
  return fc
    .tuple(
      known,
      fc.oneof(
        { weight: 6, arbitrary: fc.constant([] as [string, unknown][]) },
        { weight: 1, arbitrary: fc.array(fc.tuple(extraKey, extraValue), { maxLength: 3 }) },
      ),
      // Now and then a required field goes missing.
      fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...required, undefined) }),
    )
    .map(([record, extras, drop]) => {
      // defineProperty, so `__proto__` becomes an own key of the JSON object and not its prototype.
      const out: Record<string, unknown> = { ...(record as Record<string, unknown>) };
      for (const [key, value] of extras) Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
      if (drop) delete out[drop];
      return out;
    });
}

const HOSTILE_PATH_SEGMENTS: readonly RawText[] = [
  '..',
  '%2e%2e',
  '%2F',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%FF',
  '%C3%28',
  '%E2%82',
  '%ED%A0%80',
  '%',
  '%zz',
  '-1',
  '0',
  'null',
  '__proto__',
  'constructor',
  '%27%20OR%201%3D1--',
  '%3Cscript%3E',
  'a'.repeat(3000),
  'tx_',
  'usr_00000000000000000000000000',
  '%20',
  '%E2%80%AE',
].map((text) => new RawText(text));

function paramValue(parameter: Parameter, path: string): fc.Arbitrary<unknown> {
  if (parameter.in === 'path') {
    // `/api/transfers/{id}` → transfers; `/api/staff/customers/{userId}` → user.
    const before = path.split(`{${parameter.name}}`)[0]?.split('/').filter(Boolean).pop() ?? '';
    const hint = hintOf(parameter.name) || before.replace(/s$/, '').replace(/-/g, '_');
    return fc.oneof(
      { weight: 6, arbitrary: knownId(hint) },
      { weight: 1, arbitrary: knownId('') },
      { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_PATH_SEGMENTS) },
      { weight: 2, arbitrary: valueFor(parameter.schema, parameter.name, 1) },
    );
  }
  return valueFor(parameter.schema, parameter.name, 1);
}

/** How the body is sent: mostly as the route reads it, sometimes broken. */
export type BodyVariant =
  | 'json'
  | 'none'
  | 'truncated-json'
  | 'duplicate-keys'
  | 'invalid-utf8'
  | 'wrong-media-type'
  | 'not-json'
  | 'deep-nesting'
  | 'huge';

export interface FuzzRequest {
  actor: ActorName;
  /** `METHOD /path/template`, for counting and for the report. */
  operation: string;
  method: string;
  pathParts: unknown[];
  query: [string, unknown][];
  headers: Record<string, unknown>;
  body: unknown;
  variant: BodyVariant;
  mediaType: string | undefined;
  /** Cross-site Origin (the CSRF check's case), a forged session cookie, or none of that. */
  twist: 'none' | 'cross-site' | 'forged-cookie' | 'no-origin';
  /** Cut the JSON text at this fraction of its length (truncated-json), or where to break it. */
  cut: number;
}

const WRONG_MEDIA_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json-patch+json',
  'application/octet-stream',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'image/png',
];

function queryArb(operation: Operation): fc.Arbitrary<[string, unknown][]> {
  const declared = operation.parameters.filter((parameter) => parameter.in === 'query');
  const declaredPairs = fc.tuple(
    ...declared.map((parameter) =>
      fc.oneof(
        { weight: parameter.required ? 1 : 3, arbitrary: fc.constant(undefined) },
        { weight: 4, arbitrary: paramValue(parameter, operation.path) },
      ),
    ),
  );
  const randomPair = fc.tuple(
    fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, 'limit', 'a[b]', 'a[]', '', 'x'.repeat(300)), fc.string({ maxLength: 10 })),
    fc.oneof(hostileValue, fc.constantFrom(...VOCABULARY)),
  );
  return fc
    .tuple(
      declaredPairs,
      fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(randomPair, { maxLength: 4 }) }),
    )
    .map(([values, extra]) => {
      const pairs: [string, unknown][] = [];
      declared.forEach((parameter, index) => {
        if (values[index] !== undefined) pairs.push([parameter.name, values[index]]);
      });
      return [...pairs, ...(extra as [string, unknown][])];
    });
}

function headersArb(operation: Operation): fc.Arbitrary<Record<string, unknown>> {
  const declared = operation.parameters.filter((parameter) => parameter.in === 'header');
  return fc
    .tuple(
      ...declared.map((parameter) =>
        fc.oneof(
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 3, arbitrary: parameter.name === 'idempotency-key' ? fc.uuid() : paramValue(parameter, operation.path) },
          { weight: 1, arbitrary: hostileValue },
        ),
      ),
    )
    .map((values) =>
      Object.fromEntries(declared.flatMap((parameter, index) => (values[index] === undefined ? [] : [[parameter.name, values[index]]]))),
    );
}

/** The template's fixed parts as RawText; each parameter a value to encode (or a RawText sent as is). */
function pathArb(operation: Operation): fc.Arbitrary<unknown[]> {
  const parts = operation.path.split(/(\{[^}]+\})/).filter((part) => part !== '');
  return fc.tuple(
    ...parts.map((part): fc.Arbitrary<unknown> => {
      const match = /^\{([^}]+)\}$/.exec(part);
      if (!match) return fc.constant(new RawText(part));
      const parameter = operation.parameters.find((item) => item.in === 'path' && item.name === match[1]) ?? {
        name: match[1] ?? 'id',
        in: 'path' as const,
        required: true,
        schema: { type: 'string' },
      };
      return paramValue(parameter, operation.path);
    }),
  );
}

const STRANGE_METHODS = ['PATCH', 'PUT', 'DELETE', 'POST', 'GET', 'OPTIONS'];

/** One request: an operation, an actor, and everything about it drawn from the arbitraries above. */
export function requestArb(operations: readonly Operation[]): fc.Arbitrary<FuzzRequest> {
  const perOperation = operations.map((operation) => {
    const bodySchema = operation.body ?? { type: 'object' };
    // Mostly someone the route is for, so requests get past sign-in to validation and the use
    // case; the others (and nobody) often enough to try every route's refusals.
    const staffRoute = operation.path.startsWith('/api/staff/');
    const actor = fc.oneof(
      { weight: 3, arbitrary: staffRoute ? fc.constantFrom(...STAFF_ACTORS) : fc.constant<ActorName>('customer') },
      { weight: 2, arbitrary: fc.constantFrom(...ACTORS) },
    );
    return fc
      .record({
        actor,
        pathParts: pathArb(operation),
        query: queryArb(operation),
        headers: headersArb(operation),
        body: valueFor(bodySchema),
        variant: fc.oneof(
          { weight: 14, arbitrary: fc.constant<BodyVariant>(operation.body ? 'json' : 'none') },
          { weight: 2, arbitrary: fc.constant<BodyVariant>('json') },
          {
            weight: 6,
            arbitrary: fc.constantFrom<BodyVariant>(
              'truncated-json',
              'duplicate-keys',
              'invalid-utf8',
              'wrong-media-type',
              'not-json',
              'deep-nesting',
              'huge',
            ),
          },
        ),
        mediaType: fc.oneof(
          { weight: 8, arbitrary: fc.constant(undefined) },
          { weight: 2, arbitrary: fc.constantFrom(...operation.consumes) },
          { weight: 1, arbitrary: fc.constantFrom(...WRONG_MEDIA_TYPES) },
        ),
        twist: fc.oneof(
          { weight: 20, arbitrary: fc.constant('none' as const) },
          { weight: 1, arbitrary: fc.constantFrom('cross-site' as const, 'forged-cookie' as const, 'no-origin' as const) },
        ),
        cut: fc.double({ min: 0, max: 1, noNaN: true }),
        method: fc.oneof(
          { weight: 30, arbitrary: fc.constant(operation.method) },
          { weight: 1, arbitrary: fc.constantFrom(...STRANGE_METHODS) },
        ),
      })
      .map((drawn) => ({ ...drawn, operation: `${operation.method} ${operation.path}` }));
  });
  return fc.oneof(...perOperation);
}
