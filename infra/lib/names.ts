/** The names the runbooks use for production. Operators type these; never rename them. */
export const names = {
  /** App Runner service and ECR repository. */
  service: 'drop-web',
  /** RDS instance identifier. */
  database: 'drop-db',
  /** Database inside drop-db. */
  databaseName: 'dropapp',
  /** drop-db's master user, the one Drop connects as. */
  databaseUser: 'dropuser',
  /** Role deploy-aws.yml assumes (its default AWS_DEPLOY_ROLE_ARN). */
  githubDeployRole: 'drop-github-deploy',
  /** SNS topic every alarm notifies. */
  alarmTopic: 'drop-alerts',
  /** AWS Backup vault in production's region, and its copy target in the DR region. */
  backupVault: 'drop-backups',
  drBackupVault: 'drop-dr',
  /** The S3 bucket (with Object Lock) of the audit log's signed checkpoints, suffixed with the account id. */
  auditCheckpointBucket: 'drop-audit-checkpoints',
} as const;

/** Secrets Manager names of Drop's settings that are secret, by the variable App Runner sets. */
export const appSecretNames = {
  DATABASE_URL: 'drop/production/database-url',
  /** The owner's login (dropuser, the master user): migrations at start, grants of drop_app. */
  DATABASE_OWNER_URL: 'drop/production/database-owner-url',
  /** Ed25519, signs the audit chain's checkpoints; the database never holds it. */
  AUDIT_CHECKPOINT_SIGNING_KEY: 'drop/production/audit-checkpoint-signing-key',
  JWT_SECRET: 'drop/production/jwt-secret',
  SLACK_WEBHOOK_URL: 'drop/production/slack-webhook-url',
  METRICS_TOKEN: 'drop/production/metrics-token',
  DATA_ENCRYPTION_KEY: 'drop/production/data-encryption-key',
  BANKID_CLIENT_ID: 'drop/production/bankid-client-id',
  BANKID_CLIENT_SECRET: 'drop/production/bankid-client-secret',
  SUMSUB_APP_TOKEN: 'drop/production/sumsub-app-token',
  SUMSUB_SECRET_KEY: 'drop/production/sumsub-secret-key',
  SUMSUB_WEBHOOK_SECRET: 'drop/production/sumsub-webhook-secret',
  WISE_API_TOKEN: 'drop/production/wise-api-token',
  WISE_PROFILE_ID: 'drop/production/wise-profile-id',
  WISE_WEBHOOK_PUBLIC_KEY: 'drop/production/wise-webhook-public-key',
  SMTP_URL: 'drop/production/smtp-url',
} as const;

/** drop-db's master credentials (JSON: username, password, host, port, dbname, engine), rotated by Secrets Manager. */
export const dbCredentialsSecretName = 'drop/production/db-credentials';
