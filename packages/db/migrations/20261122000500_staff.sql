-- Up Migration

-- Staff: people who work in the back-office console. Separate from customers (`users`), with one
-- role each. Sign-in is a password (argon2id) and a TOTP code; five failures lock the account.
CREATE TABLE staff (
  id                    text        PRIMARY KEY CHECK (id ~ '^stf_[0-9A-HJKMNP-TV-Z]{26}$'),
  email                 text        NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
  full_name             text        NOT NULL,
  role                  text        NOT NULL CHECK (role IN ('support', 'compliance_officer', 'compliance_lead', 'admin')),
  password_hash         text,
  totp_secret_ciphertext bytea      NOT NULL,
  -- The last TOTP time step accepted, so a code cannot be used twice.
  totp_last_step        bigint,
  enrolled_at           timestamptz,
  failed_attempts       integer     NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until          timestamptz,
  disabled_at           timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CHECK (enrolled_at IS NULL OR password_hash IS NOT NULL)
);
CREATE UNIQUE INDEX staff_email_key ON staff (lower(email));
CREATE TRIGGER staff_touch BEFORE UPDATE ON staff FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
-- Changes to staff accounts (roles above all) are audited like the other sensitive tables.
CREATE TRIGGER staff_audit AFTER UPDATE OR DELETE ON staff
  FOR EACH ROW EXECUTE FUNCTION audit_row_change('updated_at', 'failed_attempts', 'totp_last_step');
ALTER TABLE staff ENABLE ALWAYS TRIGGER staff_audit;

-- One-time enrolment links from `drop staff create`: only a hash of the token is kept.
CREATE TABLE staff_enrolments (
  token_hash bytea       PRIMARY KEY,
  staff_id   text        NOT NULL REFERENCES staff (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX staff_enrolments_staff_idx ON staff_enrolments (staff_id);

-- Staff sessions: an opaque random token in the `__Host-drop_staff` cookie, only its hash here.
CREATE TABLE staff_sessions (
  id           text        PRIMARY KEY CHECK (id ~ '^sts_[0-9A-HJKMNP-TV-Z]{26}$'),
  staff_id     text        NOT NULL REFERENCES staff (id),
  token_hash   bytea       NOT NULL UNIQUE,
  revoked      smallint    NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  revoked_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           inet,
  user_agent   text
);
CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id) WHERE revoked = 0;

-- Down Migration
DROP TABLE IF EXISTS staff_sessions;
DROP TABLE IF EXISTS staff_enrolments;
DROP TABLE IF EXISTS staff;
