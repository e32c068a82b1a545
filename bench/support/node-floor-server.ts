/**
 * The Node floor's server (bench/support/node-floor.ts): Fastify and node-postgres and nothing of
 * Drop's. POST /api/quotes and POST /api/transfers parse their JSON body, make one round trip to
 * PostgreSQL (a named statement reading the answer Drop gave, stored as jsonb in
 * bench_node_floor) and send it back. Arguments: database URL, port, pool size. Tells its parent
 * `ready` once it listens.
 */
import Fastify from 'fastify';
import pg from 'pg';

const [databaseUrl, port, poolMax] = process.argv.slice(2);
if (!databaseUrl || !port || !poolMax) throw new Error('usage: node-floor-server.ts <database url> <port> <pool size>');
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(poolMax) });
const answer = async (kind: 'quote' | 'transfer') => {
  const { rows } = await pool.query<{ body: unknown }>({
    name: 'bench_node_floor',
    text: 'SELECT body FROM bench_node_floor WHERE kind = $1',
    values: [kind],
  });
  return rows[0]?.body;
};

const app = Fastify({ logger: false });
app.post('/api/quotes', async (_request, reply) => reply.status(201).send(await answer('quote')));
app.post('/api/transfers', async (_request, reply) => reply.status(201).send(await answer('transfer')));
await app.listen({ host: '127.0.0.1', port: Number(port) });
// The bench that started it is gone (finished, failed or interrupted): so is the floor.
process.on('disconnect', () => process.exit(0));
process.send?.('ready');
