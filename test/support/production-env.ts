/**
 * A complete production environment for @drop/config: every required setting, with values that pass
 * its checks (none of them real). Tests spread it and override what they are about.
 */
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://drop:pw@db.internal:5432/drop',
  JWT_SECRET: 'a-production-secret-of-at-least-32-characters-long',
  PUBLIC_URL: 'https://getdrop.no',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  AUDIT_CHECKPOINT_SIGNING_KEY: 'MC4CAQAwBQYDK2VwBCIEIJT7kWMkIi8VbWPlmtd7zaRA9aq4ATCJyPxFBeUq2JBd',
  AUDIT_CHECKPOINT_BUCKET: 'drop-audit-checkpoints-test',
  BANKID_ISSUER: 'https://auth.bankid.no/auth/realms/prod',
  BANKID_CLIENT_ID: 'drop',
  BANKID_CLIENT_SECRET: 'a-production-bankid-client-secret',
  SUMSUB_APP_TOKEN: 'sbx:production-app-token',
  SUMSUB_SECRET_KEY: 'a-production-sumsub-secret-key',
  SUMSUB_WEBHOOK_SECRET: 'a-production-sumsub-webhook-secret',
  WISE_API_URL: 'https://api.transferwise.com',
  WISE_API_TOKEN: 'a-production-wise-token',
  WISE_WEBHOOK_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nMIIB…\n-----END PUBLIC KEY-----',
  SMTP_URL: 'smtps://mailer:pw@smtp.getdrop.no:465',
  COMPANY_ORG_NUMBER: '912 345 678',
  COMPANY_ADDRESS: 'Storgata 1, 0155 Oslo',
  COMPANY_LICENCE: 'Betalingsforetak med tillatelse fra Finanstilsynet',
  FIU_REPORTING_ENTITY_ID: '4711',
} as const;
