import type { CustomerProfile, FourEyesRequest } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import { FOUR_EYES_SELECT } from '../four-eyes/four-eyes-request-row.ts';
import type { NationalIdProtector } from '../identity/national-id.ts';
import { kycOverview } from '../kyc/kyc-overview.ts';
import { EDD_THRESHOLD_ORE, type KycTier, type TierLimits } from '../kyc/tiers.ts';
import { STAFF_TRANSFER_COLUMNS, type StaffTransferDbRow, toStaffTransferRow } from './transfer-views.ts';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** How many of the customer's transfers and ended sessions the profile shows (the newest). */
export const PROFILE_TRANSFERS = 20;
export const PROFILE_ENDED_SESSIONS = 10;

/** A fødselsnummer or D-number as a role without 'customer_national_id' sees it: the birth-date part, the rest hidden. */
export function maskNationalId(nationalId: string): string {
  return `${nationalId.slice(0, 6)}*****`;
}

/**
 * One customer for the console's profile page: identity, standing, KYC, limits and usage,
 * recipients, transfers, sessions and staff notes, and the read itself
 * audited in the same transaction (`customer_profile_viewed`, with whether the national id was shown
 * in full), so "who looked at this customer" has an answer. The national id is opened only here.
 */
export async function getCustomerProfile(
  db: Db,
  input: {
    userId: string;
    staffId: string;
    showNationalId: boolean;
    nationalIds: Pick<NationalIdProtector, 'decrypt'>;
    limits: Record<KycTier, TierLimits>;
  },
): Promise<CustomerProfile> {
  // One transaction, so the audit event commits with the read; READ COMMITTED (not a read-only
  // snapshot), because the audit log's chain must see the rows committed before it.
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{
      id: string;
      customer_number: string;
      full_name: string | null;
      given_name: string | null;
      family_name: string | null;
      birth_date: string | null;
      national_id_ciphertext: Buffer | null;
      email: string | null;
      locale: 'nb' | 'en';
      created_at: string;
      last_login_at: string | null;
      kyc_status: CustomerProfile['standing']['kycStatus'];
      kyc_tier: number;
      block_reason: string | null;
      deleted_at: string | null;
      personal_data_erased_at: string | null;
      aml_frozen_at: string | null;
      aml_frozen_reason: string | null;
      edd_required_at: string | null;
      source_of_funds_declared_at: string | null;
    }>(
      `SELECT u.id, u.customer_number, u.full_name, u.given_name, u.family_name, to_char(u.birth_date, 'YYYY-MM-DD') AS birth_date,
                u.national_id_ciphertext, u.email, u.locale, ${ISO('u.created_at')} AS created_at,
                ${ISO('u.last_login_at')} AS last_login_at, u.kyc_status, u.kyc_tier,
                customer_block_reason(u.kyc_status, u.deleted_at, u.aml_frozen_at) AS block_reason,
                ${ISO('u.deleted_at')} AS deleted_at, ${ISO('u.personal_data_erased_at')} AS personal_data_erased_at,
                ${ISO('u.aml_frozen_at')} AS aml_frozen_at, u.aml_frozen_reason, ${ISO('u.edd_required_at')} AS edd_required_at,
                ${ISO('u.source_of_funds_declared_at')} AS source_of_funds_declared_at
           FROM users u WHERE u.id = $1`,
      [input.userId],
    );
    const user = rows[0];
    if (!user) throw new DomainError('NOT_FOUND', 'No such customer.');

    const nationalId = user.national_id_ciphertext ? input.nationalIds.decrypt(user.national_id_ciphertext) : null;
    const pending = await tx.query<FourEyesRequest>(
      `${FOUR_EYES_SELECT}
          WHERE r.status = 'pending' AND r.kind IN ('block_customer', 'unblock_customer') AND r.subject_id = $1`,
      [user.id],
    );

    const applicant = await tx.query<{
      level_name: string;
      review_status: string;
      review_answer: 'GREEN' | 'RED' | null;
      reject_type: 'FINAL' | 'RETRY' | null;
      reject_labels: string[];
      decided_by: string | null;
      decided_by_name: string | null;
      created_at: string;
    }>(
      `SELECT a.level_name, a.review_status, a.review_answer, a.reject_type, a.reject_labels, a.decided_by,
                s.full_name AS decided_by_name, ${ISO('a.created_at')} AS created_at
           FROM kyc_applicants a LEFT JOIN staff s ON s.id = a.decided_by WHERE a.user_id = $1`,
      [user.id],
    );
    const history = await tx.query<{ timestamp: string; actor: string; actor_name: string | null; action: string; details: object }>(
      `SELECT ${ISO('l."timestamp"')} AS "timestamp", l.actor, s.full_name AS actor_name, l.action, l.details
           FROM audit_log l LEFT JOIN staff s ON s.id = l.actor
          WHERE l.resource_type = 'user' AND l.resource_id = $1 AND l.action IN ('kyc_started', 'kyc_status_changed')
          ORDER BY l.seq`,
      [user.id],
    );

    const overview = await kycOverview(tx, { userId: user.id, limits: input.limits });

    const recipients = await tx.query<{
      id: string;
      name: string;
      country: string;
      currency: string;
      rail: string;
      relationship: string;
      display: string;
      created_at: string;
      deleted_at: string | null;
      transfers: number;
    }>(
      `SELECT r.id, r.name, r.country, r.currency, r.rail, r.relationship, r.display, ${ISO('r.created_at')} AS created_at,
                ${ISO('r.deleted_at')} AS deleted_at,
                (SELECT count(*)::int FROM transactions t WHERE t.recipient_id = r.id) AS transfers
           FROM recipients r WHERE r.user_id = $1
          ORDER BY r.deleted_at IS NOT NULL, r.created_at DESC`,
      [user.id],
    );

    const transfers = await tx.query<StaffTransferDbRow & { total: number }>(
      `SELECT ${STAFF_TRANSFER_COLUMNS}, count(*) OVER ()::int AS total
           FROM transactions t JOIN users u ON t.user_id = u.id WHERE t.user_id = $1
          ORDER BY t.created_at DESC, t.id DESC LIMIT $2`,
      [user.id, PROFILE_TRANSFERS],
    );

    const sessions = await tx.query<{
      id: string;
      created_at: string;
      last_seen_at: string;
      expires_at: string;
      live: boolean;
      revoked_at: string | null;
      revoked_reason: string | null;
      ip: string | null;
      user_agent: string | null;
    }>(
      `(SELECT id, ${ISO('created_at')} AS created_at, ${ISO('last_seen_at')} AS last_seen_at, ${ISO('expires_at')} AS expires_at,
                 true AS live, NULL AS revoked_at, NULL AS revoked_reason, host(ip) AS ip, user_agent, created_at AS sort_at
            FROM sessions WHERE user_id = $1 AND revoked = 0 AND expires_at > now())
         UNION ALL
         (SELECT id, ${ISO('created_at')}, ${ISO('last_seen_at')}, ${ISO('expires_at')}, false, ${ISO('revoked_at')}, revoked_reason,
                 host(ip), user_agent, created_at
            FROM sessions WHERE user_id = $1 AND NOT (revoked = 0 AND expires_at > now())
           ORDER BY created_at DESC LIMIT $2)
         ORDER BY live DESC, sort_at DESC`,
      [user.id, PROFILE_ENDED_SESSIONS],
    );

    const notes = await tx.query<{ id: string; body: string; created_at: string; staff_id: string; staff_name: string }>(
      `SELECT n.id, n.body, ${ISO('n.created_at')} AS created_at, n.staff_id, s.full_name AS staff_name
           FROM customer_notes n JOIN staff s ON s.id = n.staff_id
          WHERE n.user_id = $1 ORDER BY n.created_at DESC, n.id DESC`,
      [user.id],
    );

    await recordAuditEvent(tx, {
      action: 'customer_profile_viewed',
      resourceType: 'user',
      resourceId: user.id,
      actor: input.staffId,
      details: { nationalIdShown: input.showNationalId && nationalId !== null },
    });

    const nok = (ore: bigint) => (ore / 100n).toString();
    const app = applicant.rows[0];
    return {
      id: user.id,
      identity: {
        customerNumber: user.customer_number,
        name: user.full_name,
        givenName: user.given_name,
        familyName: user.family_name,
        birthDate: user.birth_date,
        nationalId: nationalId === null ? null : input.showNationalId ? nationalId : maskNationalId(nationalId),
        nationalIdMasked: nationalId !== null && !input.showNationalId,
        address: null,
        email: user.email,
        locale: user.locale,
        createdAt: user.created_at,
        lastLoginAt: user.last_login_at,
      },
      standing: {
        kycStatus: user.kyc_status,
        kycTier: user.kyc_tier,
        blockReason: user.block_reason,
        deletedAt: user.deleted_at,
        personalDataErasedAt: user.personal_data_erased_at,
        amlFrozenAt: user.aml_frozen_at,
        amlFrozenReason: user.aml_frozen_reason,
        eddRequiredAt: user.edd_required_at,
        sourceOfFundsDeclaredAt: user.source_of_funds_declared_at,
        pendingBlockRequest: pending.rows[0] ?? null,
      },
      kyc: {
        applicant: app
          ? {
              levelName: app.level_name,
              reviewStatus: app.review_status,
              reviewAnswer: app.review_answer,
              rejectType: app.reject_type,
              rejectLabels: app.reject_labels,
              decidedBy: app.decided_by,
              decidedByName: app.decided_by_name,
              createdAt: app.created_at,
            }
          : null,
        history: history.rows.map((row) => ({
          timestamp: row.timestamp,
          actor: row.actor,
          actorName: row.actor_name,
          action: row.action,
          details: row.details as Record<string, unknown>,
        })),
      },
      limits: {
        tier: overview.tier,
        limitsNok: overview.limitsNok,
        usedNok: overview.usedNok,
        eddThresholdNok: nok(EDD_THRESHOLD_ORE),
      },
      recipients: recipients.rows.map((row) => ({
        id: row.id,
        name: row.name,
        country: row.country,
        currency: row.currency,
        rail: row.rail,
        relationship: row.relationship,
        display: row.display,
        createdAt: row.created_at,
        deletedAt: row.deleted_at,
        transfers: row.transfers,
      })),
      transfers: {
        total: transfers.rows[0]?.total ?? 0,
        rows: transfers.rows.map(toStaffTransferRow),
      },
      sessions: sessions.rows.map((row) => ({
        id: row.id,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        expiresAt: row.expires_at,
        live: row.live,
        revokedAt: row.revoked_at,
        revokedReason: row.revoked_reason,
        ip: row.ip,
        userAgent: row.user_agent,
      })),
      notes: notes.rows.map((row) => ({
        id: row.id,
        body: row.body,
        createdAt: row.created_at,
        staffId: row.staff_id,
        staffName: row.staff_name,
      })),
    };
  });
}
