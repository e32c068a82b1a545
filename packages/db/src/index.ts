export { type Db, type DbClient, createPool, withTransaction } from './pool.ts';
export { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded.ts';
export { resolveDatabaseUrl, type ResolvedDatabase } from './resolve.ts';
export { migrate, MIGRATIONS_DIR } from './migrate.ts';
export { newId, type IdPrefix } from './ids.ts';
export { enqueueJob } from './outbox.ts';
export { openDatabase, type OpenDatabase } from './open.ts';
