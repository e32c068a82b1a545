/**
 * One fuzzing run against a running Drop: reads its OpenAPI document, signs in the actors (nobody,
 * a verified customer, a staff member of each role), draws `requests` requests from the seeded
 * arbitraries and sends them one at a time over real HTTP, checking each answer:
 *   - no 5xx (and an answer at all);
 *   - every 4xx is application/problem+json with a `code` from the contracts' ERROR_CODES;
 *   - a refused request (4xx) wrote nothing (fingerprint.ts says what that means).
 * The same seed draws the same requests, so `FUZZ_SEED=<seed>` replays a failing run (what the
 * database holds by then depends on the answers, so a replay is close, not byte for byte).
 */
import http from 'node:http';
import { ERROR_CODES, STAFF_ROLES, type StaffRole } from '@drop/contracts';
import fc from 'fast-check';
import type pg from 'pg';
import { type TestCustomer, transferAs, verifiedCustomer } from '../support/customers.ts';
import { signInStaff } from '../support/drop-on-port.ts';
import { ACTORS, type ActorName, type FuzzRequest, KnownId, RawText, requestArb } from './arbitraries.ts';
import { ALLOWED_WRITES, changedTables, fingerprintQuery, takeFingerprint } from './fingerprint.ts';
import { type Operation, operationsOf } from './operations.ts';

export interface FuzzFailure {
  kind: '5xx' | 'no-code' | 'refused-write' | 'no-answer';
  request: string;
  status: number;
  detail: string;
}

export interface FuzzResult {
  seed: number;
  requests: number;
  operations: number;
  byClass: Record<string, number>;
  byStatus: Record<string, number>;
  byActor: Record<string, Record<string, number>>;
  errorsWithoutCode: number;
  fiveXx: number;
  refusedWrites: number;
  noAnswer: number;
  failures: FuzzFailure[];
}

const ERROR_CODE_SET = new Set<string>(ERROR_CODES);
const CUSTOMER_PEOPLE = ['kari', 'ola', 'per', 'elderly'];
/** Which tables an id hint means, where the table's name does not say it. */
const TABLES_BY_HINT: Record<string, string[]> = {
  transfer: ['transactions'],
  tx: ['transactions'],
  customer: ['users'],
  user: ['users'],
  alert: ['aml_alerts'],
  case: ['aml_cases'],
  approval: ['four_eyes_requests'],
  subject: ['users', 'transactions'],
  str: ['str_reports'],
  attachment: ['str_attachments'],
  session: ['sessions'],
  member: ['staff'],
  payment_exception: ['bank_entries'],
  sepa_file: ['sepa_payout_files'],
  data_request: ['data_access_requests'],
  query: ['users', 'transactions'],
};

class Actors {
  readonly cookies = new Map<ActorName, string>();
  customer: TestCustomer | undefined;
  private generation = 0;
  private readonly base: string;
  private readonly pool: pg.Pool;

  constructor(base: string, pool: pg.Pool) {
    this.base = base;
    this.pool = pool;
  }

  async signInCustomer(): Promise<void> {
    for (const person of CUSTOMER_PEOPLE) {
      try {
        this.customer = await verifiedCustomer(this.base, this.pool, person);
        this.cookies.set('customer', this.customer.cookie);
        return;
      } catch {
        // Blocked or erased by an earlier request of the run: the next person.
      }
    }
    this.cookies.delete('customer');
  }

  async signInStaff(role: StaffRole): Promise<void> {
    this.generation += 1;
    const cookie = await signInStaff(this.base, this.pool, role, `${role.replace('_', '.')}.${this.generation}@drop.no`);
    this.cookies.set(role, cookie);
  }

  async signInAll(): Promise<void> {
    await this.signInCustomer();
    for (const role of STAFF_ROLES) await this.signInStaff(role);
  }

  /** Signs in again whoever an earlier request signed out, disabled, blocked or erased. */
  /** Signs `actor` in again if an earlier request signed them out, disabled, blocked or erased them; true if it did. */
  async refreshOne(actor: ActorName): Promise<boolean> {
    if (actor === 'nobody') return false;
    const path = actor === 'customer' ? '/api/me' : '/api/staff/me';
    const cookie = this.cookies.get(actor);
    if (cookie !== undefined && (await fetch(`${this.base}${path}`, { headers: { cookie } })).status === 200) return false;
    if (actor === 'customer') await this.signInCustomer();
    else await this.signInStaff(actor);
    return true;
  }

  async refresh(): Promise<void> {
    for (const actor of ACTORS) await this.refreshOne(actor);
  }
}

class KnownIds {
  private ids: { table: string; id: string }[] = [];
  private query = '';
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  async load(): Promise<void> {
    if (!this.query) {
      const { rows } = await this.pool.query<{ table_name: string }>(
        `SELECT c.table_name FROM information_schema.columns c
           JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
          WHERE c.table_schema = 'public' AND c.column_name = 'id' AND c.data_type IN ('text', 'uuid') AND t.table_type = 'BASE TABLE'
            AND c.table_name <> 'audit_log'`,
      );
      this.query = rows
        .map((row) => `(SELECT '${row.table_name}' AS t, id::text AS id FROM "${row.table_name}" ORDER BY ctid DESC LIMIT 25)`)
        .join(' UNION ALL ');
    }
    this.ids = (await this.pool.query<{ t: string; id: string }>(this.query)).rows.map((row) => ({ table: row.t, id: row.id }));
  }

  pick(known: KnownId): string {
    const tables = TABLES_BY_HINT[known.hint] ?? [];
    const matching = known.hint ? this.ids.filter((entry) => tables.includes(entry.table) || entry.table.includes(known.hint)) : this.ids;
    const from = matching.length > 0 ? matching : this.ids;
    return from.length > 0 ? (from[known.pick % from.length]?.id ?? 'none') : 'none';
  }
}

/** A value as text for a path, a query or a header. */
function textOf(value: unknown, ids: KnownIds): string {
  if (value instanceof KnownId) return ids.pick(value);
  if (value instanceof RawText) return value.text;
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(materialize(value, ids)) ?? String(value);
}

/** Percent-encodes every byte of the UTF-8 form except the unreserved characters (RFC 3986). */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A header value Node will send: control characters dropped, other text as its raw UTF-8 bytes. */
function headerText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a header cannot carry
  return Buffer.from(text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ''), 'utf8')
    .toString('latin1')
    .slice(0, 4000);
}

function materialize(value: unknown, ids: KnownIds): unknown {
  if (value instanceof KnownId) return ids.pick(value);
  if (value instanceof RawText) return value.text;
  if (Array.isArray(value)) return value.map((item) => materialize(item, ids));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: materialize(item, ids), enumerable: true, configurable: true, writable: true });
    }
    return out;
  }
  return value;
}

interface Wire {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

function toWire(request: FuzzRequest, operation: Operation, ids: KnownIds, actors: Actors, base: string): Wire {
  const path = request.pathParts.map((part) => (part instanceof RawText ? part.text : percentEncode(textOf(part, ids)))).join('');
  const query = request.query
    .map(([key, value]) => `${percentEncode(key)}=${value instanceof RawText ? value.text : percentEncode(textOf(value, ids))}`)
    .join('&');
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(request.headers)) headers[name] = headerText(textOf(value, ids));
  const cookie = actors.cookies.get(request.actor);
  if (request.twist === 'forged-cookie') {
    headers.cookie = '__Host-drop_session=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c3JfMSJ9.; __Host-drop_staff=forged';
  } else if (cookie) {
    headers.cookie = cookie;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    if (request.twist === 'cross-site') headers.origin = 'https://evil.example';
    else if (request.twist !== 'no-origin') headers.origin = base;
  }

  const declared = operation.consumes[0] ?? 'application/json';
  const json = () => JSON.stringify(materialize(request.body, ids)) ?? 'null';
  let body: Buffer | undefined;
  let type: string | undefined = request.mediaType ?? declared;
  switch (request.variant) {
    case 'none':
      type = request.mediaType;
      break;
    case 'json':
      body = Buffer.from(json());
      break;
    case 'truncated-json': {
      const text = json();
      body = Buffer.from(text.slice(0, Math.floor(text.length * request.cut)));
      break;
    }
    case 'duplicate-keys': {
      const value = materialize(request.body, ids);
      const entries = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
      const [first] = entries;
      const doubled = first ? [...entries, [first[0], '\u0000'] as [string, unknown], first] : [['a', 1] as [string, unknown], ['a', 2]];
      body = Buffer.from(`{${doubled.map(([key, item]) => `${JSON.stringify(key)}:${JSON.stringify(item) ?? 'null'}`).join(',')}}`);
      break;
    }
    case 'invalid-utf8': {
      const text = Buffer.from(json());
      const at = Math.floor(text.length * request.cut);
      body = Buffer.concat([text.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), text.subarray(at)]);
      break;
    }
    case 'wrong-media-type':
      body = Buffer.from(json());
      type = request.mediaType && !operation.consumes.includes(request.mediaType) ? request.mediaType : 'text/plain';
      break;
    case 'not-json':
      body = Buffer.from(
        ['country=DE&currency=EUR&sendAmount=100', 'nonsense', '<x/>', '\u0000', 'true', '1e999'][Math.floor(request.cut * 6)] ?? '',
      );
      type = 'application/json';
      break;
    case 'deep-nesting': {
      const depth = 2000 + Math.floor(request.cut * 40_000);
      body = Buffer.from(
        request.cut < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth / 5)}1${'}'.repeat(depth / 5)}`,
      );
      break;
    }
    case 'huge':
      body = Buffer.from(JSON.stringify({ text: 'x'.repeat(300 * 1024) }));
      break;
  }
  if (type !== undefined) headers['content-type'] = headerText(type);
  // Framed by its length whatever the method (Node's client would send a GET's body unframed).
  if (body !== undefined) headers['content-length'] = String(body.length);
  return { method: request.method, path: query ? `${path}?${query}` : path, headers, body };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function send(base: string, wire: Wire): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method: wire.method, path: wire.path, headers: wire.headers, agent, timeout: 30_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 30 s')));
    request.on('error', reject);
    request.end(wire.body);
  });
}

function describe(request: FuzzRequest, wire: Wire): string {
  const { cookie: _cookie, ...headers } = wire.headers;
  const body = wire.body ? ` body(${wire.body.length} B)=${JSON.stringify(wire.body.subarray(0, 300).toString('utf8'))}` : '';
  return `${request.actor} ${wire.method} ${wire.path.slice(0, 400)} [${request.operation}, ${request.variant}, ${request.twist}] headers=${JSON.stringify(headers).slice(0, 300)}${body}`;
}

function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'none';
}

export async function runFuzz(options: {
  base: string;
  pool: pg.Pool;
  requests: number;
  seed: number;
  /** Called every 500 requests with the count so far (progress for long runs). */
  progress?: (done: number) => void;
}): Promise<FuzzResult> {
  const { base, pool } = options;
  const document = await (await fetch(`${base}/api/openapi.json`)).json();
  const operations = operationsOf(document);
  const byKey = new Map(operations.map((operation) => [`${operation.method} ${operation.path}`, operation]));

  const actors = new Actors(base, pool);
  await actors.signInAll();
  // Something of everything a customer has, so ids in paths and bodies can name real objects.
  if (actors.customer) await transferAs(actors.customer);
  const ids = new KnownIds(pool);
  await ids.load();
  const fingerprintSql = await fingerprintQuery(pool);

  const result: FuzzResult = {
    seed: options.seed,
    requests: 0,
    operations: operations.length,
    byClass: {},
    byStatus: {},
    byActor: Object.fromEntries(ACTORS.map((actor) => [actor, {}])),
    errorsWithoutCode: 0,
    fiveXx: 0,
    refusedWrites: 0,
    noAnswer: 0,
    failures: [],
  };
  const fail = (failure: FuzzFailure) => {
    if (result.failures.length < 50) result.failures.push(failure);
  };

  const arbitrary = requestArb(operations);
  const CHUNK = 100;
  let before = await takeFingerprint(pool, fingerprintSql);
  for (let start = 0; start < options.requests; start += CHUNK) {
    // Drawn a chunk at a time (each chunk seeded from the run's seed), so a long run does not hold
    // every request in memory at once.
    const batch = fc.sample(arbitrary, { seed: options.seed + start, numRuns: Math.min(CHUNK, options.requests - start) });
    for (const request of batch) {
      const done = result.requests;
      if (done > 0 && done % 50 === 0) {
        await actors.refresh();
        await ids.load();
        before = await takeFingerprint(pool, fingerprintSql);
      }
      if (done > 0 && done % 500 === 0) options.progress?.(done);
      const operation = byKey.get(request.operation);
      if (!operation) throw new Error(`unknown operation ${request.operation}`);
      const wire = toWire(request, operation, ids, actors, base);
      result.requests += 1;
      let answer: Awaited<ReturnType<typeof send>>;
      try {
        answer = await send(base, wire);
      } catch (error) {
        result.noAnswer += 1;
        fail({ kind: 'no-answer', request: describe(request, wire), status: 0, detail: (error as Error).message });
        before = await takeFingerprint(pool, fingerprintSql);
        continue;
      }
      const { status } = answer;
      const klass = statusClass(status);
      result.byClass[klass] = (result.byClass[klass] ?? 0) + 1;
      result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
      const actorCounts = result.byActor[request.actor] ?? {};
      actorCounts[klass] = (actorCounts[klass] ?? 0) + 1;
      result.byActor[request.actor] = actorCounts;

      if (status >= 500) {
        result.fiveXx += 1;
        fail({ kind: '5xx', request: describe(request, wire), status, detail: answer.body.slice(0, 500) });
      }
      let code: string | undefined;
      if (status >= 400) {
        const problemJson = /^application\/problem\+json/.test(String(answer.headers['content-type'] ?? ''));
        try {
          code = (JSON.parse(answer.body) as { code?: unknown }).code as string | undefined;
        } catch {
          code = undefined;
        }
        if (!problemJson || typeof code !== 'string' || !ERROR_CODE_SET.has(code)) {
          result.errorsWithoutCode += 1;
          fail({
            kind: 'no-code',
            request: describe(request, wire),
            status,
            detail: `${answer.headers['content-type'] ?? 'no content-type'}: ${answer.body.slice(0, 300)}`,
          });
        }
      }
      const after = await takeFingerprint(pool, fingerprintSql);
      if (status >= 400 && status < 500) {
        const allowed = new Set(ALLOWED_WRITES[code ?? ''] ?? []);
        const written = changedTables(before, after).filter((table) => !allowed.has(table));
        if (written.length > 0) {
          result.refusedWrites += 1;
          fail({ kind: 'refused-write', request: describe(request, wire), status, detail: `${code}: wrote ${written.join(', ')}` });
        }
      }
      before = after;
      // A 401 to someone signed in: was their session ended by an earlier request (a sign-out, a
      // revocation, a disabled account)? Then they sign in again, so the run keeps reaching past
      // sign-in.
      if (status === 401 && (await actors.refreshOne(request.actor))) before = await takeFingerprint(pool, fingerprintSql);
    }
  }
  return result;
}

/** The one line a run prints: everything but the failures' details. */
export function resultLine(result: FuzzResult, extra: Record<string, unknown> = {}): string {
  const { failures: _failures, ...summary } = result;
  return `RESULT ${JSON.stringify({ ...summary, ...extra })}`;
}

export function passed(result: FuzzResult): boolean {
  return result.fiveXx === 0 && result.errorsWithoutCode === 0 && result.refusedWrites === 0 && result.noAnswer === 0;
}
