/**
 * `drop secrets rotate-db-password` against a PostgreSQL that checks passwords: while a running
 * pool (Drop's own, reading DATABASE_CREDENTIALS_FILE for each new connection) keeps querying and
 * opening new connections, the rotation switches Drop from dropuser to dropuser_clone and back with
 * zero failed queries; each retired password is refused afterwards; each rotation is audited as
 * DATABASE_PASSWORD and `drop secrets status` shows its age. Bad input exits 1 (2 for usage) and
 * changes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '@drop/config';
import { type DatabaseCredentials, type OpenDatabase, openDatabase, tryLogin } from '@drop/db';
import { createLogger } from '@drop/observability';
import { buildServices } from '@drop/services';
import { migrateDatabase } from '@drop/worker';
import pg from 'pg';
import {
  type RunningSecretsManagerStandIn,
  startSecretsManagerStandIn,
} from '../../../packages/simulators/src/aws-secrets-manager/index.ts';
import { startControlledPostgres } from '../../../test/support/embedded.ts';
import { type PasswordPostgres, startPasswordPostgres } from '../../../test/support/password-postgres.ts';
import { describeResult, runDrop } from './run-cli.ts';

/**
 * Drop's own pool, wired as the server wires it (openDatabase with DATABASE_CREDENTIALS_FILE), and
 * three workers querying without pause; every second connection is closed after use, so the pool
 * keeps opening new ones (and logging in) the whole time.
 */
function startLoad(url: string, file: string, open?: () => Promise<{ db: OpenDatabase['db']; close(): Promise<void> }>) {
  const errors: string[] = [];
  const sessionUsers = new Map<string, number>();
  let queries = 0;
  let running = true;
  const opened =
    open?.() ??
    openDatabase({
      database: {
        url,
        credentialsFile: file,
        poolMax: 4,
        connectTimeoutMs: 3000,
        statementTimeoutMs: 5000,
        embedded: { dir: '', port: 0 },
      },
      applicationName: 'rotation-test',
      log: { info: () => undefined, debug: () => undefined, warn: () => undefined },
    });
  const worker = async (database: { db: OpenDatabase['db'] }) => {
    for (let i = 0; running && i < 100_000; i++) {
      try {
        const client = await database.db.connect();
        let broken = false;
        try {
          const { rows } = await client.query<{ session_user: string; current_user: string; app: boolean }>(
            `SELECT session_user, current_user, pg_has_role(current_user, 'drop_app', 'member') AS app`,
          );
          const row = rows[0];
          assert.ok(
            row?.app && row.current_user === row.session_user,
            "each login of the pair has the application role's rights, as itself",
          );
          sessionUsers.set(row.session_user, (sessionUsers.get(row.session_user) ?? 0) + 1);
          queries++;
        } catch (error) {
          broken = true;
          throw error;
        } finally {
          client.release(broken || i % 2 === 0);
        }
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  };
  const done = opened.then((database) => Promise.all([worker(database), worker(database), worker(database)]));
  return {
    errors,
    sessionUsers,
    queries: () => queries,
    /** Waits for `count` more successful queries (or the first error). */
    async more(count: number) {
      const target = queries + count;
      while (queries < target && errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    async stop() {
      running = false;
      await done;
      await (await opened).close();
    },
  };
}

/**
 * A PostgreSQL 15 that checks passwords, set up as an administrator does once: the owner
 * (dropowner, who migrates), and two logins with the application's rights, members of drop_app that
 * own nothing. Here Drop's login has CREATEROLE (PostgreSQL 15 lets it change its partner's
 * password so); on 16 (RDS) an administrator does that, below.
 */
async function alternatingRolesDatabase(extra: string[] = []): Promise<{ server: PasswordPostgres; url: string }> {
  const server = await startPasswordPostgres();
  const admin = new pg.Client({ connectionString: server.adminUrl() });
  await admin.connect();
  try {
    for (const statement of [
      `CREATE ROLE dropowner LOGIN PASSWORD 'owner-password'`,
      'CREATE DATABASE dropapp OWNER dropowner',
      'CREATE ROLE drop_app NOLOGIN',
      `CREATE ROLE dropuser LOGIN CREATEROLE PASSWORD 'first-password' IN ROLE drop_app`,
      'CREATE ROLE dropuser_clone LOGIN CREATEROLE IN ROLE drop_app',
      ...extra,
    ])
      await admin.query(statement);
  } finally {
    await admin.end();
  }
  const owner = new pg.Pool({ connectionString: `postgres://dropowner:owner-password@127.0.0.1:${server.port}/dropapp` });
  owner.on('error', () => undefined);
  await migrateDatabase(owner, createLogger({ level: 'silent' }));
  await owner.end();
  return { server, url: `postgres://127.0.0.1:${server.port}/dropapp` };
}

describe('drop secrets rotate-db-password on PostgreSQL 15 (CREATEROLE)', () => {
  let server: PasswordPostgres;
  let dir: string;
  let file: string;
  let url: string;
  let env: Record<string, string>;

  const readCredentials = async () => JSON.parse(await readFile(file, 'utf8')) as DatabaseCredentials;
  const loginError = (user: string, password: string) =>
    tryLogin(url, { user, password }).then(
      () => 'logged in',
      (error: { code?: string }) => error.code ?? 'error',
    );
  const rotations = async () => {
    const admin = new pg.Client({ connectionString: server.adminUrl('dropapp') });
    await admin.connect();
    try {
      return (
        await admin.query<{ actor: string; details: Record<string, unknown> }>(
          `SELECT actor, details FROM audit_log WHERE action = 'secret_rotated' AND resource_id = 'DATABASE_PASSWORD' ORDER BY seq`,
        )
      ).rows;
    } finally {
      await admin.end();
    }
  };

  before(async () => {
    ({ server, url } = await alternatingRolesDatabase([`CREATE ROLE lonely LOGIN PASSWORD 'lonely-password'`]));
    dir = await mkdtemp(path.join(tmpdir(), 'drop-db-credentials-'));
    file = path.join(dir, 'database.json');
    await writeFile(
      file,
      JSON.stringify({ username: 'dropuser', password: 'first-password', host: '127.0.0.1', port: server.port, dbname: 'dropapp' }),
    );
    env = { DATABASE_URL: url, DATABASE_CREDENTIALS_FILE: file, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  });
  after(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('rotates twice under load with zero failed queries; every retired password is refused', async (t) => {
    const load = startLoad(url, file);
    const { errors, sessionUsers } = load;
    try {
      const first = await runDrop(['secrets', 'rotate-db-password', '--grace-seconds', '1'], env);
      assert.equal(first.code, 0, describeResult(first));
      assert.match(
        first.stdout,
        /^Drop logs in as dropuser_clone; dropuser is retired\. Audit row: secret_rotated \(DATABASE_PASSWORD\)\.$/m,
      );
      const afterFirst = await readCredentials();
      assert.equal(afterFirst.username, 'dropuser_clone');
      assert.equal(afterFirst.dbname, 'dropapp', 'the rest of the secret is kept');
      assert.equal(await loginError('dropuser', 'first-password'), '28P01', 'the old password is refused');
      assert.equal(await loginError('dropuser_clone', afterFirst.password), 'logged in');
      const seenBefore = load.queries();

      const second = await runDrop(['secrets', 'rotate-db-password', '--grace-seconds', '1'], env);
      assert.equal(second.code, 0, describeResult(second));
      const afterSecond = await readCredentials();
      assert.equal(afterSecond.username, 'dropuser');
      assert.notEqual(afterSecond.password, 'first-password');
      assert.equal(await loginError('dropuser_clone', afterFirst.password), '28P01', "the clone's password is refused once retired");
      assert.equal(await loginError('dropuser', afterSecond.password), 'logged in');
      // A little more load on the new login before stopping.
      await load.more(50);
      assert.ok(load.queries() > seenBefore);
    } finally {
      await load.stop();
    }
    t.diagnostic(`${load.queries()} queries, ${errors.length} failed; logins seen: ${JSON.stringify(Object.fromEntries(sessionUsers))}`);
    assert.deepEqual(errors, [], 'no query failed during the rotations');
    assert.ok((sessionUsers.get('dropuser') ?? 0) > 0 && (sessionUsers.get('dropuser_clone') ?? 0) > 0, JSON.stringify([...sessionUsers]));

    const audited = await rotations();
    assert.equal(audited.length, 2);
    assert.match(audited[0]?.actor ?? '', /^cli:/);
    assert.deepEqual(
      audited.map((row) => [row.details.strategy, row.details.activeRole, row.details.retiredRole]),
      [
        ['alternating_users', 'dropuser_clone', 'dropuser'],
        ['alternating_users', 'dropuser', 'dropuser_clone'],
      ],
    );
    assert.ok(!JSON.stringify(audited).includes((await readCredentials()).password), 'the password is not audited');

    const status = await runDrop(['secrets', 'status', '--json'], env);
    const row = (JSON.parse(status.stdout) as Array<{ secret: string; source: string; ageDays: number; state: string }>).find(
      (entry) => entry.secret === 'DATABASE_PASSWORD',
    );
    assert.deepEqual(row && { source: row.source, ageDays: row.ageDays, state: row.state }, {
      source: 'audit_log',
      ageDays: 0,
      state: 'ok',
    });
  });

  it('bad input exits 1 (2 for usage) and changes nothing', async () => {
    const before = await readFile(file, 'utf8');
    const audited = (await rotations()).length;

    const usage = await runDrop(['secrets', 'rotate-db-password', '--grace-seconds', 'soon'], env);
    assert.equal(usage.code, 2, describeResult(usage));
    assert.match(usage.stderr, /--grace-seconds: a whole number of seconds from 0 to 600, not soon/);

    const unset = await runDrop(['secrets', 'rotate-db-password'], { ...env, DATABASE_CREDENTIALS_FILE: '' });
    assert.equal(unset.code, 1, describeResult(unset));
    assert.match(unset.stderr, /^DB_CREDENTIALS_NOT_CONFIGURED: /);

    const brokenFile = path.join(dir, 'broken.json');
    await writeFile(brokenFile, '{"username": "dropuser"}');
    const broken = await runDrop(['secrets', 'rotate-db-password'], { ...env, DATABASE_CREDENTIALS_FILE: brokenFile });
    assert.equal(broken.code, 1, describeResult(broken));
    assert.match(broken.stderr, /^DB_CREDENTIALS_INVALID: .*need a non-empty "username" and "password"/m);
    assert.equal(await readFile(brokenFile, 'utf8'), '{"username": "dropuser"}');

    // A login without its partner role: refused before anything is touched.
    const lonelyFile = path.join(dir, 'lonely.json');
    const lonely = JSON.stringify({ username: 'lonely', password: 'lonely-password' });
    await writeFile(lonelyFile, lonely);
    const missing = await runDrop(['secrets', 'rotate-db-password'], { ...env, DATABASE_CREDENTIALS_FILE: lonelyFile });
    assert.equal(missing.code, 1, describeResult(missing));
    assert.match(
      missing.stderr,
      /^DB_ROLE_MISSING: role lonely_clone does not exist\. Once, as an administrator: CREATE ROLE "lonely_clone"/m,
    );
    assert.equal(await readFile(lonelyFile, 'utf8'), lonely);
    assert.equal(await loginError('lonely', 'lonely-password'), 'logged in');

    // Another rotation holds the lock: refused, nothing changed.
    const holder = new pg.Client({ connectionString: server.adminUrl('dropapp') });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(7406720154)');
      const busy = await runDrop(['secrets', 'rotate-db-password'], env);
      assert.equal(busy.code, 1, describeResult(busy));
      assert.match(busy.stderr, /^DB_ROTATION_BUSY: another database password rotation is running$/m);
    } finally {
      await holder.end();
    }

    assert.equal(await readFile(file, 'utf8'), before);
    assert.equal((await rotations()).length, audited);
  });
});

describe('drop secrets rotate-db-password on PostgreSQL 16 (the embedded server, as RDS): an administrator changes the passwords', () => {
  let server: Awaited<ReturnType<typeof startControlledPostgres>>;
  let dir: string;
  let file: string;
  let adminFile: string;
  let url: string;
  let env: Record<string, string>;

  before(async () => {
    server = await startControlledPostgres();
    const port = server.port;
    const as = async (user: string, password: string, statements: string[]) => {
      const client = new pg.Client({ connectionString: `postgres://${user}:${password}@127.0.0.1:${port}/postgres` });
      await client.connect();
      try {
        for (const statement of statements) await client.query(statement);
      } finally {
        await client.end();
      }
    };
    // The embedded server's superuser makes a rotator (CREATEROLE, like the RDS master user), which
    // creates both logins and so holds ADMIN on each.
    await as('drop', 'drop-embedded', [`CREATE ROLE drop_rotator LOGIN CREATEROLE PASSWORD 'rotator-password'`]);
    await as('drop_rotator', 'rotator-password', [
      `CREATE ROLE dropuser LOGIN PASSWORD 'first-password'`,
      'CREATE ROLE dropuser_clone LOGIN',
    ]);
    // The owner is the superuser here (RDS: the master user); both logins get the application's rights
    // (drop_app exists: the embedded server makes it with its own application login).
    await as('drop', 'drop-embedded', ['CREATE DATABASE dropapp', 'GRANT drop_app TO dropuser, dropuser_clone']);
    url = `postgres://127.0.0.1:${port}/dropapp`;
    const owner = new pg.Pool({ connectionString: `postgres://drop:drop-embedded@127.0.0.1:${port}/dropapp` });
    owner.on('error', () => undefined);
    await migrateDatabase(owner, createLogger({ level: 'silent' }));
    await owner.end();
    dir = await mkdtemp(path.join(tmpdir(), 'drop-db-credentials-16-'));
    file = path.join(dir, 'database.json');
    adminFile = path.join(dir, 'admin.json');
    await writeFile(file, JSON.stringify({ username: 'dropuser', password: 'first-password' }));
    await writeFile(adminFile, JSON.stringify({ username: 'drop_rotator', password: 'rotator-password' }));
    env = { DATABASE_URL: url, DATABASE_CREDENTIALS_FILE: file, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  });
  after(async () => {
    await server?.server.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("without an administrator Drop's own role may not change the clone's password: refused, nothing changed", async () => {
    const before = await readFile(file, 'utf8');
    const result = await runDrop(['secrets', 'rotate-db-password', '--grace-seconds', '0'], env);
    assert.equal(result.code, 1, describeResult(result));
    assert.match(result.stderr, /^DB_ROLE_CHANGE_REFUSED: cannot change dropuser_clone's password \(permission denied/m);
    assert.equal(await readFile(file, 'utf8'), before);
  });

  it('with --admin-credentials-file it rotates under load with zero failed queries, and the old password is refused', async (t) => {
    const load = startLoad(url, file);
    try {
      await load.more(20);
      const result = await runDrop(['secrets', 'rotate-db-password', '--grace-seconds', '1', '--admin-credentials-file', adminFile], env);
      assert.equal(result.code, 0, describeResult(result));
      await load.more(50);
    } finally {
      await load.stop();
    }
    t.diagnostic(
      `${load.queries()} queries, ${load.errors.length} failed; logins seen: ${JSON.stringify(Object.fromEntries(load.sessionUsers))}`,
    );
    assert.deepEqual(load.errors, []);
    assert.ok((load.sessionUsers.get('dropuser_clone') ?? 0) > 0);
    const now = JSON.parse(await readFile(file, 'utf8')) as DatabaseCredentials;
    assert.equal(now.username, 'dropuser_clone');
    const refused = await tryLogin(url, { user: 'dropuser', password: 'first-password' }).catch((error: { code?: string }) => error.code);
    assert.equal(refused, '28P01');
    assert.equal(await tryLogin(url, { user: 'dropuser_clone', password: now.password }), 'dropuser_clone');
  });
});

describe('drop secrets rotate-db-password with the login in AWS Secrets Manager (the stand-in, the real SDK client)', () => {
  const SECRET = 'drop/production/database';
  let server: PasswordPostgres;
  let secrets: RunningSecretsManagerStandIn;
  let url: string;
  let env: Record<string, string>;

  before(async () => {
    ({ server, url } = await alternatingRolesDatabase());
    secrets = await startSecretsManagerStandIn();
    secrets.putSecret(
      SECRET,
      JSON.stringify({
        engine: 'postgres',
        username: 'dropuser',
        password: 'first-password',
        host: '127.0.0.1',
        port: server.port,
        dbname: 'dropapp',
      }),
    );
    // The SDK takes its keys from the environment, as on App Runner (there from the instance role).
    process.env.AWS_ACCESS_KEY_ID = 'AKIDSTANDIN';
    process.env.AWS_SECRET_ACCESS_KEY = 'stand-in-secret';
    env = {
      DATABASE_URL: url,
      DATABASE_CREDENTIALS_SECRET_ID: SECRET,
      DATABASE_CREDENTIALS_REFRESH_SECONDS: '1',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: secrets.url,
      AWS_ACCESS_KEY_ID: 'AKIDSTANDIN',
      AWS_SECRET_ACCESS_KEY: 'stand-in-secret',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    };
  });
  after(async () => {
    await secrets?.close();
    await server?.stop();
  });

  it('switches the secret to the clone under load with zero failed queries; the old password is refused', async (t) => {
    // Drop's services as the server builds them: the pool logs in with the secret's current login.
    const load = startLoad(url, '', async () => {
      const services = await buildServices(loadConfig(env), {
        applicationName: 'rotation-test',
        logger: createLogger({ level: 'silent' }),
      });
      return { db: services.db, close: () => services.close() };
    });
    let result: Awaited<ReturnType<typeof runDrop>>;
    try {
      await load.more(20);
      result = await runDrop(['secrets', 'rotate-db-password', '--grace-seconds', '0'], env);
      await load.more(50);
    } finally {
      await load.stop();
    }
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, /^secret drop\/production\/database now names dropuser_clone/m);
    t.diagnostic(
      `${load.queries()} queries, ${load.errors.length} failed; logins seen: ${JSON.stringify(Object.fromEntries(load.sessionUsers))}`,
    );
    assert.deepEqual(load.errors, []);
    assert.ok((load.sessionUsers.get('dropuser_clone') ?? 0) > 0, 'the pool picked the new login up from the secret');
    const now = JSON.parse(secrets.current(SECRET) ?? '{}') as DatabaseCredentials & { engine: string };
    assert.equal(now.username, 'dropuser_clone');
    assert.equal(now.engine, 'postgres', 'the rest of the secret is kept');
    assert.equal(secrets.calls.get('PutSecretValue'), 1);
    const refused = await tryLogin(url, { user: 'dropuser', password: 'first-password' }).catch((error: { code?: string }) => error.code);
    assert.equal(refused, '28P01');
  });

  it('a secret that does not exist: exit 1 naming the AWS error, nothing changed', async () => {
    const before = secrets.current(SECRET);
    const result = await runDrop(['secrets', 'rotate-db-password'], { ...env, DATABASE_CREDENTIALS_SECRET_ID: 'drop/production/nothing' });
    assert.equal(result.code, 1, describeResult(result));
    assert.match(
      result.stderr,
      /^SECRETS_MANAGER_ERROR: ResourceNotFoundException: Secrets Manager can't find the specified secret\. Nothing changed\.$/m,
    );
    assert.equal(secrets.current(SECRET), before);

    const both = await runDrop(['secrets', 'rotate-db-password'], { ...env, DATABASE_CREDENTIALS_FILE: '/etc/drop/database.json' });
    assert.equal(both.code, 78, describeResult(both));
    assert.match(both.stderr, /DATABASE_CREDENTIALS_FILE and DATABASE_CREDENTIALS_SECRET_ID are both set: the login has one source/);
    assert.equal(secrets.current(SECRET), before);
  });
});
