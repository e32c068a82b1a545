export {
  archiveCommand,
  clusterSystemIdentifier,
  type EmbeddedDatabase,
  embeddedBinaries,
  embeddedServerOwner,
  freePort,
  startEmbeddedPostgres,
} from './embedded.ts';
export { type IdPrefix, newId } from './ids.ts';
export { FUNCTIONS_DIR, MIGRATIONS_DIR, type MigrateOptions, migrate } from './migrate.ts';
export { type OpenDatabase, openDatabase } from './open.ts';
export { enqueueJob } from './outbox.ts';
export { createPool, type Db, type DbClient, withTransaction } from './pool.ts';
export { type ResolvedDatabase, resolveDatabaseUrl } from './resolve.ts';
