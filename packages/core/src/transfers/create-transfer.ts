import { hash, randomInt } from 'node:crypto';
import type { ScreeningPartyMatch } from '@drop/contracts';
import { type Db, type DbClient, newId, withTransaction } from '@drop/db';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import type { SessionToCheck } from '../identity/authenticate-session.ts';
import type { KycTier, TierLimits } from '../kyc/tiers.ts';
import type { KidSource } from '../payments/kid-allocator.ts';
import type { TransferJson } from './transfer-views.ts';

/**
 * The six limits in the order the SQL function check_transfer_limits takes them (create_transfer
 * checks KYC, the quote, the recipient and the limits under the customer's row lock).
 */
export function limitsArray(limits: Record<KycTier, TierLimits>): string[] {
  return [1, 2].flatMap((tier) => {
    const l = limits[tier as KycTier];
    return [l.perTransferOre, l.thirtyDaysOre, l.twelveMonthsOre].map(String);
  });
}

/**
 * The limits as create_transfer's parameter, made once per limits object (the server's come from
 * its settings and never change while it runs) rather than on every transfer.
 */
const limitsParameters = new WeakMap<Record<KycTier, TierLimits>, readonly string[]>();
function limitsParameter(limits: Record<KycTier, TierLimits>): readonly string[] {
  let parameter = limitsParameters.get(limits);
  if (!parameter) {
    parameter = Object.freeze(limitsArray(limits));
    limitsParameters.set(limits, parameter);
  }
  return parameter;
}

/** What the customer asks for: send this quote to this recipient. */
export interface TransferRequest {
  quoteId: string;
  recipientId: string;
}

/** The new transfer as a hook sees it, before commit. */
export interface NewTransfer {
  id: string;
  userId: string;
  body: { data: TransferJson };
}

/**
 * Runs inside the transaction that creates a transfer, after every check passed and before
 * commit. Throwing stops the transfer (nothing is written). AML screening plugs in here.
 */
export type BeforeTransferCommit = (tx: DbClient, transfer: NewTransfer) => Promise<void>;

export interface CreateTransferInput {
  userId: string;
  idempotencyKey: string;
  request: TransferRequest;
  limits: Record<KycTier, TierLimits>;
  eddThresholdOre: bigint;
  /** How many shards the shared ledger accounts are spread over (1 = a single hot row each). */
  ledgerShards: number;
  /** Issues the KID the customer's bank payment will carry. */
  kids: KidSource;
  /** The new transfer's id, when the caller must know it beforehand; a fresh `tx_…` otherwise. */
  transactionId?: string;
  /**
   * The parties' current screening matches at or above the alert threshold (sender and
   * recipient): create_transfer's AML decision records them, holds the transfer on a sanctions
   * match and asks for EDD on a PEP (aml_assess_transfer). None when absent.
   */
  screening?: readonly ScreeningPartyMatch[];
  beforeCommit?: readonly BeforeTransferCommit[];
  /**
   * The customer's session, checked by create_transfer before anything else (UNAUTHENTICATED if
   * it is not live): a request's check and transfer in one round trip. Null only where nothing is
   * to check (a route that checked the session itself, the server's own transfers). Required, so
   * no caller skips the check by leaving it out.
   */
  session: SessionToCheck | null;
}

export interface CreateTransferResult {
  /** True when this is a retry: the stored first response is returned, nothing new was written. */
  replayed: boolean;
  status: number;
  body: { data: TransferJson };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The fingerprint a retry must match: the request's fields in a fixed order. */
function requestHash(request: TransferRequest): Buffer {
  // One-shot: no Hash object per transfer.
  return hash('sha256', JSON.stringify(['POST /api/transfers', request.quoteId, request.recipientId]), 'buffer');
}

/** The one statement that creates a transfer (the bench's pgbench baseline runs it too). */
export const CREATE_TRANSFER_SQL =
  'SELECT replayed, response_status, response_body FROM create_transfer($1, $2, $3, $4, $5, $6, $7::bigint[], $8, $9::smallint, $10, $11::jsonb, $12, $13)';

/**
 * Creates a transfer from a quote, safe to retry with the same Idempotency-Key. Every check (KYC,
 * quote valid and unused, recipient owned and matching, tier limits) and every write (transfer,
 * pay-in reservation in the ledger, the stored response) happens in the database function
 * create_transfer, under the customer's row lock, in one round trip when no hook is registered.
 */
export async function createTransfer(db: Db, input: CreateTransferInput): Promise<CreateTransferResult> {
  const hooks = input.beforeCommit ?? [];
  return hooks.length === 0 ? createTransferIn(db, input) : withTransaction(db, (tx) => createTransferIn(tx, input));
}

/**
 * The same, on a client the caller chose: the pool (one round trip, its own transaction) or a
 * transaction the caller owns, when the transfer is one step of a larger change (a late payment's
 * new quote). The before-commit hooks run here either way.
 */
export async function createTransferIn(client: DbClient, input: CreateTransferInput): Promise<CreateTransferResult> {
  if (!IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
    throw new DomainError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header of 1–255 visible ASCII characters.');
  }
  if (!Number.isInteger(input.ledgerShards) || input.ledgerShards < 1 || input.ledgerShards > 64) {
    throw new Error('ledgerShards must be an integer from 1 to 64');
  }
  const transactionId = input.transactionId ?? newId('tx');
  const params = [
    input.userId,
    input.idempotencyKey,
    requestHash(input.request),
    transactionId,
    input.request.quoteId,
    input.request.recipientId,
    limitsParameter(input.limits),
    input.eddThresholdOre.toString(),
    randomInt(input.ledgerShards),
    await input.kids.next(client),
    JSON.stringify(input.screening ?? []),
    input.session?.sessionId ?? null,
    input.session?.idleSeconds ?? null,
  ];
  type Row = { replayed: boolean; response_status: number; response_body: { data: TransferJson } };
  return mappingDomainErrors(async () => {
    // Named: parsed and planned once per connection.
    const { rows } = await client.query<Row>({ name: 'drop_create_transfer', text: CREATE_TRANSFER_SQL, values: params });
    const row = rows[0];
    if (!row) throw new Error('create_transfer returned no row');
    if (!row.replayed) {
      for (const hook of input.beforeCommit ?? []) await hook(client, { id: transactionId, userId: input.userId, body: row.response_body });
    }
    return { replayed: row.replayed, status: row.response_status, body: row.response_body };
  });
}
