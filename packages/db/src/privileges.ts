/**
 * Least privilege in the database. Drop's pool logs in as a member of `drop_app`, a role that owns
 * nothing (its rights: `packages/db/functions/grant_app_privileges.sql`); migrations and the
 * operator's commands that need more (backups, restores) use the owner's login
 * (DATABASE_OWNER_URL). ARCHITECTURE.md, "Database roles".
 */
import pg from 'pg';

/** The role holding the application's rights; logins are its members. */
export const APP_ROLE = 'drop_app';
/** The login the embedded server and the tests give the application (production: dropuser and dropuser_clone). */
export const LOCAL_APP_LOGIN = 'drop_app_login';
/** Its password on the embedded server and the test clusters, which listen on loopback only. */
export const LOCAL_APP_PASSWORD = 'drop-embedded-app';

/** The event triggers running `audit_log_ddl_guard()`. */
export const AUDIT_DDL_GUARD_TRIGGERS = ['drop_audit_log_guard_drop', 'drop_audit_log_guard_alter'] as const;

export interface AppPrivileges {
  /** Whether the event triggers refusing DROP of the audit log exist (they need a superuser to create). */
  ddlGuard: boolean;
}

/**
 * Applies the application role's rights in this database (after the migrations and the job
 * queue's schema, so a new table gets them) and creates the audit log's DDL guard when the
 * migrating role may create event triggers (a superuser; on RDS, a member of rds_superuser).
 * Otherwise the guard is reported missing (`drop audit verify`), and everything else still holds.
 */
export async function applyAppPrivileges(client: pg.ClientBase, log: (message: string) => void = () => undefined): Promise<AppPrivileges> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT grant_app_privileges()');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  if (await auditDdlGuardPresent(client)) return { ddlGuard: true };
  try {
    await client.query('BEGIN');
    await client.query(
      `CREATE EVENT TRIGGER ${AUDIT_DDL_GUARD_TRIGGERS[0]} ON sql_drop EXECUTE FUNCTION audit_log_ddl_guard();
       CREATE EVENT TRIGGER ${AUDIT_DDL_GUARD_TRIGGERS[1]} ON ddl_command_end WHEN TAG IN ('ALTER TABLE') EXECUTE FUNCTION audit_log_ddl_guard();
       -- Event triggers do not fire with session_replication_role = replica unless ALWAYS.
       ALTER EVENT TRIGGER ${AUDIT_DDL_GUARD_TRIGGERS[0]} ENABLE ALWAYS;
       ALTER EVENT TRIGGER ${AUDIT_DDL_GUARD_TRIGGERS[1]} ENABLE ALWAYS;`,
    );
    await client.query('COMMIT');
    log('audit log DDL guard created');
    return { ddlGuard: true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const code = (error as { code?: string }).code;
    // 42501: not a superuser. 42710: another process created them a moment ago.
    if (code === '42710') return { ddlGuard: true };
    if (code !== '42501') throw error;
    log('audit log DDL guard not created: the migrating role may not create event triggers (a superuser or rds_superuser can)');
    return { ddlGuard: false };
  }
}

/** Whether both event triggers of the audit log's DDL guard exist and are enabled. */
export async function auditDdlGuardPresent(db: pg.ClientBase | pg.Pool): Promise<boolean> {
  const { rows } = await db.query<{ count: string }>(
    `SELECT count(*) AS count FROM pg_event_trigger WHERE evtname = ANY($1::text[]) AND evtenabled <> 'D'`,
    [AUDIT_DDL_GUARD_TRIGGERS],
  );
  return Number(rows[0]?.count) === AUDIT_DDL_GUARD_TRIGGERS.length;
}

/**
 * Creates a login that is a member of `drop_app` (and `drop_app` itself) if missing: the embedded
 * server's and the tests' application login. Roles are cluster-wide and several processes may
 * ask at once, so an existing role is left as it is and a concurrent creation is not an error.
 */
export async function ensureAppLogin(db: pg.ClientBase | pg.Pool, login: string, password: string): Promise<void> {
  const ignoreDuplicate = (error: unknown) => {
    const code = (error as { code?: string }).code;
    if (code !== '42710' && code !== '23505') throw error;
  };
  const exists = async (role: string) => ((await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount ?? 0) > 0;
  if (!(await exists(APP_ROLE))) await db.query(`CREATE ROLE ${APP_ROLE} NOLOGIN`).catch(ignoreDuplicate);
  if (!(await exists(login))) {
    await db
      .query(`CREATE ROLE ${pg.escapeIdentifier(login)} LOGIN PASSWORD ${pg.escapeLiteral(password)} IN ROLE ${APP_ROLE}`)
      .catch(ignoreDuplicate);
  }
}
