/**
 * The Node floor's server (bench/support/node-floor.ts): Fastify and node-postgres and nothing of
 * Drop's. POST /api/quotes and POST /api/transfers parse their JSON body, make one round trip to
 * PostgreSQL (a named statement reading the answer Drop gave, stored as jsonb in
 * bench_node_floor, after pg_sleep of the given delay, so a request takes as long as Drop's did
 * and the closed loop runs at Drop's rate) and send it back with 201. Arguments: database URL,
 * port, pool size, quote delay and create delay in seconds (NODE_FLOOR_DATABASE_URL, PORT,
 * NODE_FLOOR_POOL, NODE_FLOOR_QUOTE_DELAY, NODE_FLOOR_CREATE_DELAY), as startDrop passes settings.
 */
import Fastify from 'fastify';
import pg from 'pg';

const {
  NODE_FLOOR_DATABASE_URL: databaseUrl,
  PORT: port,
  NODE_FLOOR_POOL: poolMax,
  NODE_FLOOR_QUOTE_DELAY: quoteDelay,
  NODE_FLOOR_CREATE_DELAY: createDelay,
} = process.env;
if (!databaseUrl || !port || !poolMax || !quoteDelay || !createDelay) {
  throw new Error(
    'node-floor-server.ts needs NODE_FLOOR_DATABASE_URL, PORT, NODE_FLOOR_POOL, NODE_FLOOR_QUOTE_DELAY, NODE_FLOOR_CREATE_DELAY',
  );
}
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(poolMax) });
const answer = async (kind: 'quote' | 'transfer', delay: string) => {
  const { rows } = await pool.query<{ body: unknown }>({
    name: 'bench_node_floor',
    text: 'SELECT body FROM bench_node_floor, pg_sleep($2) WHERE kind = $1',
    values: [kind, delay],
  });
  return rows[0]?.body;
};

const app = Fastify({ logger: false });
app.post('/api/quotes', async (_request, reply) => reply.status(201).send(await answer('quote', quoteDelay)));
app.post('/api/transfers', async (_request, reply) => reply.status(201).send(await answer('transfer', createDelay)));
await app.listen({ host: '127.0.0.1', port: Number(port) });
