import pg from 'pg';

export type Db = pg.Pool;
/** A client inside a transaction, or the pool itself: data access takes either as its first argument. */
export type DbClient = pg.Pool | pg.PoolClient;

export interface PoolOptions {
  url: string;
  max: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  applicationName: string;
  /**
   * The login for each new connection (user and password), read as it opens: a credentials file
   * that `drop secrets rotate-db-password` rewrites. Unset: the user and password of `url`.
   */
  credentials?: () => { user: string; password: string };
  /** Called for errors on idle clients (a server restart, a cut connection); the pool recovers by itself. */
  onIdleError?: (error: Error) => void;
}

// Return bigint columns (int8) as strings: money lives in integer minor units and must never pass
// through a float. Callers turn them into BigInt where they do arithmetic.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export function createPool(options: PoolOptions): Db {
  const credentials = options.credentials;
  const pool = new pg.Pool({
    // pg reads the user when a client is made, so a client class that asks for the current login.
    ...(credentials
      ? {
          Client: class extends pg.Client {
            constructor(config?: pg.ClientConfig) {
              super({ ...config, connectionString: withLogin(options.url, credentials?.()) });
            }
          },
        }
      : {}),
    connectionString: options.url,
    max: options.max,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    idle_in_transaction_session_timeout: options.statementTimeoutMs * 2,
    application_name: options.applicationName,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // Without a listener an idle client's error would crash the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  // A checked-out client can also lose its connection between queries; handle that too.
  pool.on('connect', (client) => {
    client.on('error', (error) => options.onIdleError?.(error));
  });
  return pool;
}

/** `url` with another user and password (pg lets a connection string's fields win over separate ones). */
export function withLogin(url: string, login: { user: string; password: string } | undefined): string {
  if (!login) return url;
  const withCredentials = new URL(url);
  withCredentials.username = encodeURIComponent(login.user);
  withCredentials.password = encodeURIComponent(login.password);
  return withCredentials.toString();
}

/** Clients inside a transaction that `withTransaction` opened, with how deep its savepoints go. */
const openTransactions = new WeakMap<pg.PoolClient, { depth: number }>();

/**
 * Runs `work` inside one database transaction and commits it, or rolls back on any error.
 * Everything a use case changes (rows, audit events, outbox jobs) goes through the client it is given.
 *
 * Nestable: given the pool, it takes a connection and opens a transaction. Given a client already
 * inside a transaction that `withTransaction` opened, it does not take a second connection (which
 * could not see the outer transaction's rows and could deadlock against its locks): it runs `work`
 * on the same client under a SAVEPOINT, so an error inside rolls back only the inner part (the
 * error still propagates; the outer transaction decides whether to commit). Given any other client,
 * it opens the transaction on that client and leaves releasing it to the caller.
 *
 * `snapshot: true` makes a new transaction REPEATABLE READ and READ ONLY (a nested call joins the
 * outer transaction as it is).
 */
export async function withTransaction<T>(
  db: DbClient,
  work: (tx: pg.PoolClient) => Promise<T>,
  options: { snapshot?: boolean } = {},
): Promise<T> {
  if (!isPoolClient(db)) {
    const client = await db.connect();
    try {
      return await inTransaction(client, work, options.snapshot);
    } finally {
      client.release();
    }
  }
  const open = openTransactions.get(db);
  if (!open) return inTransaction(db, work, options.snapshot);
  const savepoint = `drop_nested_${++open.depth}`;
  await db.query(`SAVEPOINT ${savepoint}`);
  try {
    const result = await work(db);
    await db.query(`RELEASE SAVEPOINT ${savepoint}`);
    return result;
  } catch (error) {
    await db.query(`ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => undefined);
    await db.query(`RELEASE SAVEPOINT ${savepoint}`).catch(() => undefined);
    throw error;
  } finally {
    open.depth--;
  }
}

async function inTransaction<T>(client: pg.PoolClient, work: (tx: pg.PoolClient) => Promise<T>, snapshot = false): Promise<T> {
  // A snapshot is a read-only transaction that sees one consistent state of the database
  // throughout (checks and reports that read many tables).
  await client.query(snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
  openTransactions.set(client, { depth: 0 });
  try {
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    openTransactions.delete(client);
  }
}

function isPoolClient(db: DbClient): db is pg.PoolClient {
  return 'release' in db && typeof db.release === 'function';
}
