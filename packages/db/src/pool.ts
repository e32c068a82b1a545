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
  /** Called for errors on idle clients (a server restart, a cut connection); the pool recovers by itself. */
  onIdleError?: (error: Error) => void;
}

// Return bigint columns (int8) as strings: money lives in integer minor units and must never pass
// through a float. Callers turn them into BigInt where they do arithmetic.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export function createPool(options: PoolOptions): Db {
  const pool = new pg.Pool({
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

/**
 * Runs `work` inside one database transaction and commits it, or rolls back on any error.
 * Everything a use case changes (rows, audit events, outbox jobs) goes through the client it is given.
 */
export async function withTransaction<T>(db: Db, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
