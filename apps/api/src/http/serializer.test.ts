import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envelope, quote, transfer, transferDetail } from '@drop/contracts';
import fc from 'fast-check';
import { isResponseSerializationError, serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { compileSerializer, serializerCompiler } from './serializer.ts';

/** The library's answer: its JSON, or the error it throws. */
function byZod(schema: z.ZodType, value: unknown): { json: string } | { error: unknown } {
  try {
    return { json: zodSerializerCompiler({ schema, method: 'GET', url: '/t', httpStatus: '200' } as never)(value) };
  } catch (error) {
    return { error };
  }
}

function ours(schema: z.ZodType, value: unknown): { json: string } | { error: unknown } {
  try {
    return { json: serializerCompiler({ schema, method: 'GET', url: '/t', httpStatus: '200' } as never)(value) };
  } catch (error) {
    return { error };
  }
}

function assertSame(schema: z.ZodType, value: unknown) {
  const expected = byZod(schema, value);
  const actual = ours(schema, value);
  if ('json' in expected) assert.deepEqual(actual, expected, JSON.stringify(value));
  else {
    assert.ok('error' in actual, `expected a refusal for ${JSON.stringify(value)}`);
    assert.ok(isResponseSerializationError(actual.error));
  }
}

const money = { amount: '100.00', currency: 'NOK' };
const aTransfer = {
  id: 'tx_01',
  reference: 'DRP-7K3-92QX',
  status: 'awaiting_funds',
  send: money,
  fee: money,
  converted: money,
  receive: { amount: '8.50', currency: 'EUR' },
  rate: '0.0850000000',
  quoteId: 'qt_01',
  kid: '1234567890',
  payBy: '2026-12-07T10:00:00.000Z',
  recipient: { id: 'rcp_01', name: 'Ola', country: 'DE', currency: 'EUR', display: 'DE89 …' },
  failureReason: null,
  createdAt: '2026-12-07T09:00:00.000Z',
  updatedAt: '2026-12-07T09:00:00.000Z',
  payIn: { account: '1234.56.78901', kid: '1234567890', amount: money, payBy: null },
};

describe('the compiled response serializer', () => {
  it('compiles the transfer and quote answers (the hot routes) without falling back to zod', () => {
    assert.ok(compileSerializer(envelope(transfer)));
    assert.ok(compileSerializer(envelope(quote)));
    assert.ok(compileSerializer(envelope(transferDetail)));
  });

  it('writes exactly what zod would, and drops undeclared fields', () => {
    const schema = envelope(transfer);
    const value = { data: { ...aTransfer, secret: 'x', recipient: { ...aTransfer.recipient, nationalId: '01010112345' } }, extra: 1 };
    assertSame(schema, value);
    const json = ours(schema, value);
    assert.ok('json' in json);
    assert.doesNotMatch(json.json, /secret|nationalId|extra/);
  });

  it('refuses what zod refuses: a wrong type, a value outside an enum, a missing field, a failed check', () => {
    const schema = envelope(transfer);
    assertSame(schema, { data: { ...aTransfer, status: 'stolen' } });
    assertSame(schema, { data: { ...aTransfer, rate: 0.085 } });
    assertSame(schema, { data: { ...aTransfer, kid: undefined } });
    assertSame(schema, { data: { ...aTransfer, send: { amount: '1', currency: 'NOKK' } } });
    assertSame(schema, { data: null });
    assertSame(schema, []);
  });

  it('leaves to zod what only zod judges right: exactOptional, a numeric enum, a declared __proto__ key', () => {
    const exact = z.object({ a: z.string().exactOptional(), b: z.string() });
    assertSame(exact, { a: undefined, b: 'x' });
    assertSame(exact, { b: 'x' });
    assertSame(exact, { a: 'y', b: 'x' });
    const numeric = z.object({ e: z.enum({ A: 0, B: 1, 0: 'A', 1: 'B' } as unknown as Record<string, number>) });
    assertSame(numeric, { e: 'A' });
    assertSame(numeric, { e: 1 });
    const proto = z.object({ ['__proto__']: z.string().optional(), b: z.string() });
    assertSame(proto, JSON.parse('{"__proto__":"p","b":"x"}'));
  });

  it('agrees with zod on arbitrary values for varied schemas', () => {
    const schemas: z.ZodType[] = [
      z.object({ a: z.string(), b: z.number().optional(), c: z.boolean().nullable(), 10: z.literal('x'), 2: z.null() }),
      z.strictObject({ a: z.string().max(3), list: z.array(z.enum(['p', 'q'])) }),
      z.object({ n: z.number().int(), nested: z.object({ s: z.string().length(2) }).optional() }),
      z.object({ refined: z.string() }).refine((v) => v.refined !== 'no'),
      z.object({ u: z.union([z.string(), z.number()]), d: z.string().default('d') }),
      z.looseObject({ a: z.string() }),
      z.array(z.object({ x: z.string().nullable() })),
    ];
    const values = fc.anything({ maxDepth: 3, withNullPrototype: false });
    const shaped = fc.record(
      {
        a: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
        b: fc.oneof(fc.double(), fc.constant(undefined)),
        c: fc.oneof(fc.boolean(), fc.constant(null), fc.string()),
        10: fc.constantFrom('x', 'y'),
        2: fc.constantFrom(null, 0),
        list: fc.array(fc.constantFrom('p', 'q', 'r')),
        n: fc.oneof(fc.integer(), fc.double()),
        nested: fc.oneof(fc.constant(undefined), fc.record({ s: fc.string({ maxLength: 3 }) })),
        refined: fc.constantFrom('yes', 'no'),
        u: fc.oneof(fc.string(), fc.integer(), fc.boolean()),
        d: fc.oneof(fc.string(), fc.constant(undefined)),
        x: fc.oneof(fc.string(), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(values, shaped, fc.array(shaped, { maxLength: 3 })), (value) => {
        for (const schema of schemas) assertSame(schema, value);
      }),
      { numRuns: 500 },
    );
  });
});
