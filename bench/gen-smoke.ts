import { verifyAuditChain, verifyLedger } from '@drop/core';
import { createLogger } from '@drop/observability';
import { migrateDatabase } from '@drop/worker';
import pg from 'pg';
import { generateHistory } from './support/transfer-history.ts';

const url = process.argv[2] ?? '';
const n = Number(process.argv[3] ?? 20000);
const pool = new pg.Pool({ connectionString: url, max: 4 });
pool.on('error', () => undefined);
await migrateDatabase(pool, createLogger({ level: 'silent' }));
const client = await pool.connect();
const r = await generateHistory(client, {
  transfers: n,
  customers: Math.max(10, Math.floor(n / 100)),
  auditEvents: Math.floor(n / 20),
  shards: 16,
});
client.release();
console.log(r);
let t = performance.now();
const l = await verifyLedger(pool);
console.log('ledger', l.ok, l.violations.slice(0, 3), (performance.now() - t) / 1000);
t = performance.now();
const a = await verifyAuditChain(pool);
console.log('audit', a.ok, (performance.now() - t) / 1000);
await pool.end();
