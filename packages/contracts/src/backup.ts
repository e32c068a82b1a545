/**
 * Backups (`drop db backup | backups | restore | verify`): the stable codes a refusal is printed
 * with (`CODE: message`, exit 1). Operators and scripts key on the code, never on the message.
 */
export const BACKUP_ERROR_CODES = [
  'BACKUP_CORRUPT',
  'BACKUP_EXISTS',
  'BACKUP_NOT_FOUND',
  'BAD_DATABASE_NAME',
  'BAD_PORT',
  'BAD_TIMESTAMP',
  'BAD_URL',
  'MIGRATE_REQUIRED',
  'MIGRATIONS_DIFFER',
  'NO_BACKUP',
  'OVERWRITE_EXTERNAL_REFUSED',
  'OVERWRITE_NEEDS_CONFIRMATION',
  'OVERWRITE_NEEDS_PHYSICAL',
  'PHYSICAL_BACKUP_IMPOSSIBLE',
  'PITR_NEEDS_PHYSICAL',
  'RECOVERY_FAILED',
  'RECOVERY_TIMEOUT',
  'SERVER_REQUIRED',
  'TABLESPACES_UNSUPPORTED',
  'TARGET_BEFORE_BACKUP',
  'TARGET_EXISTS',
  'VERSION_MISMATCH',
] as const;

export type BackupErrorCode = (typeof BACKUP_ERROR_CODES)[number];
