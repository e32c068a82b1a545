-- Up Migration

-- Session signing keys, so that a rotation need not log anyone out. Exactly one key signs
-- ('active'); keys being replaced still verify until the sessions they signed have expired
-- ('verifying' until verify_until); 'retired' keys verify nothing. Secrets are sealed with a key
-- derived from DATA_ENCRYPTION_KEY. The key from JWT_SECRET has a row without a secret (the
-- secret stays in the environment) once a rotation has replaced it.
CREATE TABLE signing_keys (
  kid               text        PRIMARY KEY CHECK (kid ~ '^(env|k)-[0-9a-zA-Z]+$'),
  secret_ciphertext bytea,
  status            text        NOT NULL CHECK (status IN ('active', 'verifying', 'retired')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  verify_until      timestamptz,
  retired_at        timestamptz,
  CHECK (status <> 'verifying' OR verify_until IS NOT NULL),
  CHECK (status <> 'retired' OR retired_at IS NOT NULL),
  CHECK (kid LIKE 'env-%' OR secret_ciphertext IS NOT NULL)
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true)) WHERE status = 'active';

-- Down Migration
DROP TABLE IF EXISTS signing_keys;
