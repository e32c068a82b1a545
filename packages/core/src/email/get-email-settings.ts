import type { DbClient } from '@drop/db';
import { EMAIL_CODE_RULES } from './email-codes.ts';

export interface EmailSettingsView {
  email: string | null;
  verifiedAt: string | null;
  pending: { email: string; expiresAt: string; resendAt: string; attemptsLeft: number } | null;
  notifications: { fundsReceived: boolean; paidOut: boolean };
}

/** The customer's verified address, the one waiting for a code (if any) and their email choices. */
export async function getEmailSettings(db: DbClient, userId: string): Promise<EmailSettingsView> {
  const { rows } = await db.query<{
    email: string | null;
    verified_at: Date | null;
    notify_funds_received: boolean;
    notify_paid_out: boolean;
    pending_email: string | null;
    expires_at: Date | null;
    last_sent_at: Date | null;
    attempts: number | null;
  }>(
    `SELECT u.email, u.email_verified_at AS verified_at, u.notify_funds_received, u.notify_paid_out,
            v.email AS pending_email, v.expires_at, v.last_sent_at, v.attempts
       FROM users u LEFT JOIN email_verifications v ON v.user_id = u.id AND v.closed_at IS NULL
      WHERE u.id = $1`,
    [userId],
  );
  const row = rows[0];
  if (!row) throw new Error(`no customer ${userId}`);
  return {
    email: row.email,
    verifiedAt: row.verified_at?.toISOString() ?? null,
    pending:
      row.pending_email && row.expires_at && row.last_sent_at
        ? {
            email: row.pending_email,
            expiresAt: row.expires_at.toISOString(),
            resendAt: new Date(row.last_sent_at.getTime() + EMAIL_CODE_RULES.resendAfterSeconds * 1000).toISOString(),
            attemptsLeft: Math.max(0, EMAIL_CODE_RULES.maxAttempts - (row.attempts ?? 0)),
          }
        : null,
    notifications: { fundsReceived: row.notify_funds_received, paidOut: row.notify_paid_out },
  };
}
