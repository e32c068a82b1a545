export { CredentialsFileError, type DatabaseCredentials, readCredentialsFile, writeCredentialsFile } from './credentials-file.ts';
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
export { roleExists, setRolePassword, tryLogin } from './login-roles.ts';
export { FUNCTIONS_DIR, MIGRATIONS_DIR, type MigrateOptions, mayChangeSchema, migrate } from './migrate.ts';
export { type OpenDatabase, openDatabase } from './open.ts';
export { enqueueJob } from './outbox.ts';
export { createPool, type Db, type DbClient, withLogin, withTransaction } from './pool.ts';
export {
  APP_ROLE,
  type AppPrivileges,
  AUDIT_DDL_GUARD_TRIGGERS,
  applyAppPrivileges,
  auditDdlGuardPresent,
  ensureAppLogin,
  LOCAL_APP_LOGIN,
  LOCAL_APP_PASSWORD,
} from './privileges.ts';
export { type ResolvedDatabase, resolveDatabaseUrl } from './resolve.ts';
