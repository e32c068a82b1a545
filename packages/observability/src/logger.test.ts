import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, type Logger, redactUrl, scrubNationalIds } from './logger.ts';
import { formatLogLine } from './pretty.ts';

const NATIONAL_ID = '01019012345';
const SPACED_NATIONAL_ID = '010190 12345';
const DASHED_NATIONAL_ID = '010190-12345';

/** A logger writing into memory: each entry is one parsed log line, `raw` the lines as written. */
function capturingLogger(level = 'info'): { logger: Logger; raw: string[]; entries: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const logger = createLogger({
    level,
    destination: {
      write(chunk: string) {
        raw.push(chunk);
      },
    },
  });
  return { logger, raw, entries: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function assertNoNationalId(raw: string[]): void {
  const output = raw.join('');
  for (const id of [NATIONAL_ID, SPACED_NATIONAL_ID, DASHED_NATIONAL_ID, '12345']) {
    assert.ok(!output.includes(id), `log output contains ${id}: ${output}`);
  }
}

describe('scrubNationalIds', () => {
  it('replaces an 11-digit national id, also written with a space or a dash', () => {
    assert.equal(
      scrubNationalIds(`a ${NATIONAL_ID} b ${SPACED_NATIONAL_ID} c ${DASHED_NATIONAL_ID}`),
      'a [redacted-national-id] b [redacted-national-id] c [redacted-national-id]',
    );
  });

  it('replaces an id glued to letters and punctuation', () => {
    assert.equal(scrubNationalIds(`nin=${NATIONAL_ID}&x=1`), 'nin=[redacted-national-id]&x=1');
  });

  it('leaves amounts and longer digit runs alone', () => {
    const text = 'amount 125000 reference 1234567890 account 123456789012 kid 12345678901234 phone +47 912 34 567';
    assert.equal(scrubNationalIds(text), text);
  });

  it('does not treat digits split by two separators, 6+4 or 5+6 digits as an id', () => {
    const text = '010190  12345 010190 1234 01019 012345';
    assert.equal(scrubNationalIds(text), text);
  });
});

describe('createLogger', () => {
  it('scrubs a national id from the message', () => {
    const { logger, raw, entries } = capturingLogger();
    logger.info(`looking up ${NATIONAL_ID} and ${SPACED_NATIONAL_ID}`);
    assertNoNationalId(raw);
    assert.equal(entries()[0]?.msg, 'looking up [redacted-national-id] and [redacted-national-id]');
  });

  it('scrubs a national id from string values of nested objects, at any depth, and from arrays', () => {
    const { logger, raw, entries } = capturingLogger();
    logger.info(
      {
        applicant: { note: `customer ${NATIONAL_ID} called` },
        deep: { a: { b: { c: { d: { e: { f: `id ${DASHED_NATIONAL_ID}` } } } } } },
        list: [`${SPACED_NATIONAL_ID}`, 'fine'],
      },
      'kyc',
    );
    assertNoNationalId(raw);
    const entry = entries()[0];
    assert.deepEqual(entry?.applicant, { note: 'customer [redacted-national-id] called' });
    assert.deepEqual(entry?.deep, { a: { b: { c: { d: { e: { f: 'id [redacted-national-id]' } } } } } });
    assert.deepEqual(entry?.list, ['[redacted-national-id]', 'fine']);
  });

  it('removes sensitive keys at the top level and one level down', () => {
    const { logger, raw, entries } = capturingLogger();
    logger.info(
      {
        nationalId: NATIONAL_ID,
        national_id: NATIONAL_ID,
        password: 'hunter2-password',
        token: 'tok-abcdef',
        user: {
          nationalId: NATIONAL_ID,
          national_id: NATIONAL_ID,
          password: 'hunter3-password',
          token: 'tok-ghijkl',
          email: 'a@example.no',
        },
      },
      'signing in',
    );
    const output = raw.join('');
    assertNoNationalId(raw);
    for (const secret of ['hunter2-password', 'hunter3-password', 'tok-abcdef', 'tok-ghijkl']) {
      assert.ok(!output.includes(secret), `log output contains ${secret}: ${output}`);
    }
    const entry = entries()[0];
    assert.equal(entry?.nationalId, '[redacted]');
    assert.equal(entry?.national_id, '[redacted]');
    assert.equal(entry?.password, '[redacted]');
    assert.equal(entry?.token, '[redacted]');
    assert.deepEqual(entry?.user, {
      nationalId: '[redacted]',
      national_id: '[redacted]',
      password: '[redacted]',
      token: '[redacted]',
      email: 'a@example.no',
    });
  });

  it('leaves the request headers out of a request line, authorization and cookie with them', () => {
    const { logger, raw, entries } = capturingLogger();
    logger.info({
      req: {
        method: 'GET',
        url: '/api/me',
        headers: { authorization: 'Bearer eyJsecret', cookie: 'sid=s3cr3t', accept: 'application/json' },
      },
    });
    const output = raw.join('');
    assert.ok(!output.includes('eyJsecret'));
    assert.ok(!output.includes('s3cr3t'));
    assert.deepEqual(entries()[0]?.req, { method: 'GET', url: '/api/me' });
  });

  it('scrubs a national id from an error message and stack', () => {
    const { logger, raw, entries } = capturingLogger();
    logger.error({ err: new Error(`no customer ${NATIONAL_ID}`) }, 'lookup failed');
    logger.error(new Error(`bad ${SPACED_NATIONAL_ID}`), 'thrown');
    assertNoNationalId(raw);
    const [first, second] = entries() as Array<{ err: { message: string; stack: string; type: string } }>;
    assert.equal(first?.err.message, 'no customer [redacted-national-id]');
    assert.match(first?.err.stack ?? '', /^Error: no customer \[redacted-national-id\]\n/);
    assert.equal(second?.err.type, 'Error');
    assert.equal(second?.err.message, 'bad [redacted-national-id]');
  });

  it('scrubs a national id carried by child bindings and by an 11-digit number, keeping the line valid JSON', () => {
    const { logger, raw, entries } = capturingLogger();
    logger.child({ applicant: NATIONAL_ID }).info({ nin_as_number: 1019012345 * 10 + 5 }, 'child');
    assertNoNationalId(raw);
    const entry = entries()[0];
    assert.equal(entry?.applicant, '[redacted-national-id]');
    assert.equal(entry?.nin_as_number, '[redacted-national-id]');
  });

  it('leaves amounts, long ids, dates and numbers as they were logged', () => {
    const { logger, entries } = capturingLogger();
    const at = new Date('2026-01-02T03:04:05.678Z');
    logger.info(
      {
        amount: '125000',
        amountOre: 12500000,
        account: '123456789012',
        bigNumber: 123456789012,
        responseTime: 12.345678901,
        at,
        transferId: 'tx_01JDZ3K9Q4',
      },
      'paid 125000 to account 123456789012',
    );
    const entry = entries()[0];
    assert.equal(entry?.msg, 'paid 125000 to account 123456789012');
    assert.equal(entry?.amount, '125000');
    assert.equal(entry?.amountOre, 12500000);
    assert.equal(entry?.account, '123456789012');
    assert.equal(entry?.bigNumber, 123456789012);
    assert.equal(entry?.responseTime, 12.345678901);
    assert.equal(entry?.at, at.toISOString());
    assert.equal(entry?.transferId, 'tx_01JDZ3K9Q4');
  });

  it('writes nothing below its level and nothing at all when silent', () => {
    const warnOnly = capturingLogger('warn');
    warnOnly.logger.info('not this');
    warnOnly.logger.warn('this');
    assert.deepEqual(
      warnOnly.entries().map((entry) => [entry.level, entry.msg]),
      [[40, 'this']],
    );
    const silent = capturingLogger('silent');
    silent.logger.error('nothing');
    assert.deepEqual(silent.raw, []);
  });

  it('names the service on every line', () => {
    const { logger, entries } = capturingLogger();
    logger.info('hello');
    assert.equal(entries()[0]?.service, 'drop');
    assert.equal(entries()[0]?.name, 'drop');
  });
});

describe('pretty log lines (LOG_FORMAT=pretty)', () => {
  /** A pretty logger writing into memory, as to a terminal that is not a TTY (no colour). */
  function prettyLogger(): { logger: Logger; text: () => string } {
    const chunks: string[] = [];
    const out = new Writable({
      write(chunk, _encoding, callback) {
        chunks.push(String(chunk));
        callback();
      },
    });
    return { logger: createLogger({ level: 'info', format: 'pretty', prettyTo: out }), text: () => chunks.join('') };
  }

  it('writes one readable line per entry: time, level, message, request, status and duration, then the other fields', () => {
    const { logger, text } = prettyLogger();
    logger.info(
      { reqId: 'abc', req: { method: 'GET', url: '/api/transfers' }, res: { statusCode: 201 }, responseTime: 12.4 },
      'request completed',
    );
    assert.match(text(), /^\d{2}:\d{2}:\d{2}\.\d{3} INFO {2}request completed {2}GET \/api\/transfers {2}→ 201 12 ms {2}reqId=abc\n$/);
    assert.doesNotMatch(text(), /[{}]/, 'no JSON');
  });

  it('keeps the redaction and the national-id scrubbing, and shows an error with its stack', () => {
    const { logger, text } = prettyLogger();
    logger.warn({ password: 'hunter2', note: `born ${NATIONAL_ID}` }, 'signed in');
    logger.error({ err: new Error('boom') }, 'job failed');
    const output = text();
    assert.match(output, /WARN {2}signed in {2}password=\[redacted\] {2}note="born \[redacted-national-id\]"/);
    assert.ok(!output.includes('hunter2') && !output.includes(NATIONAL_ID));
    assert.match(output, /ERROR job failed\nError: boom\n {4}at /);
  });

  it('passes a line that is not JSON through unchanged', () => {
    assert.equal(formatLogLine('plain text'), 'plain text\n');
  });

  it('is JSON, one object a line, when the format is json', () => {
    const { logger, entries } = capturingLogger();
    logger.info({ reqId: 'abc' }, 'request completed');
    assert.deepEqual(
      entries().map((entry) => [entry.msg, entry.reqId]),
      [['request completed', 'abc']],
    );
  });
});

describe('request URLs in logs', () => {
  it('replaces the values of OAuth codes, state, nonces and tokens in the query, keeping the other parameters', () => {
    assert.equal(
      redactUrl('/api/auth/bankid/callback?code=AD2Ldgs45mb&state=s7Bv_1&iss=https%3A%2F%2Fauth.bankid.no'),
      '/api/auth/bankid/callback?code=[redacted]&state=[redacted]&iss=https%3A%2F%2Fauth.bankid.no',
    );
    assert.equal(redactUrl('/console/enrol?token=-bGIQi_9auy4L'), '/console/enrol?token=[redacted]');
    assert.equal(redactUrl('/x?access%5Ftoken=abc&nonce=n1&limit=50'), '/x?access%5Ftoken=[redacted]&nonce=[redacted]&limit=50');
    assert.equal(redactUrl('/api/staff/transfers?status=funded&limit=20'), '/api/staff/transfers?status=funded&limit=20');
  });

  it("replaces a secret path parameter's value (the enrolment link's token), found by the route's parameter name", () => {
    assert.equal(redactUrl('/api/staff/enrolment/-bGIQi_9auy4L', { token: '-bGIQi_9auy4L' }), '/api/staff/enrolment/[redacted]');
    assert.equal(redactUrl('/api/transfers/tx_01ABC', { id: 'tx_01ABC' }), '/api/transfers/tx_01ABC');
  });

  it("is the serializer of Fastify's request lines: no secret of the URL reaches the line", () => {
    const { logger, raw, entries } = capturingLogger();
    const request = {
      method: 'GET',
      url: '/api/staff/enrolment/secret-token-value?code=a-code-value',
      host: 'localhost:3000',
      ip: '127.0.0.1',
      params: { token: 'secret-token-value' },
      headers: { authorization: 'Bearer a-bearer-value', cookie: '__Host-drop_session=a-cookie-value' },
      socket: { remotePort: 50000 },
    };
    logger.info({ req: request }, 'incoming request');
    assert.ok(!/secret-token-value|a-code-value|a-bearer-value|a-cookie-value/.test(raw.join('')), raw.join(''));
    assert.deepEqual(entries()[0]?.req, {
      method: 'GET',
      url: '/api/staff/enrolment/[redacted]?code=[redacted]',
      host: 'localhost:3000',
      remoteAddress: '127.0.0.1',
      remotePort: 50000,
    });
  });
});
