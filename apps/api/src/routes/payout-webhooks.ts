/**
 * The payout partner's webhooks (Wise: transfers#state-change). Authenticity first, over the
 * exact bytes received (the partner's RSA signature); a bad one is refused with 401 and audited.
 * Then the news is applied in one transaction (applyPayoutEvent: only a move forward does
 * anything, so repeats and late arrivals are harmless). A reference Drop does not know yet (the
 * news overtook the record of sending) answers 409 so the partner delivers it again later.
 */
import { applyPayoutEvent, type PayoutPartner, recordAuditEvent, WebhookSignatureError } from '@drop/core';
import { type Db, withTransaction } from '@drop/db';
import type { FastifyPluginAsync } from 'fastify';
import { problem, sendProblem } from '../http/errors.ts';
import { ANY_MEDIA_TYPE } from '../http/media-types.ts';

export const payoutWebhookRoutes: FastifyPluginAsync<{ db: Db; partner: PayoutPartner }> = async (app, { db, partner }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_request, body, done) => done(null, body));

  // Any media type: the partner's signature over the exact bytes decides, before anything is read or written.
  app.post(`/api/webhooks/${partner.name}`, { schema: { hide: true, consumes: [ANY_MEDIA_TYPE] } }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    let event: ReturnType<PayoutPartner['parseWebhook']>;
    try {
      event = partner.parseWebhook(raw, request.headers);
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) {
        return sendProblem(reply, problem(request, 'VALIDATION_FAILED', `The webhook body is not a ${partner.name} event.`));
      }
      await recordAuditEvent(db, {
        action: 'webhook_rejected',
        resourceType: 'webhook',
        resourceId: partner.name,
        actor: 'anonymous',
        details: { reason: error.message, ip: request.ip },
      });
      request.log.warn({ partner: partner.name }, 'payout webhook refused: bad signature');
      return sendProblem(reply, problem(request, 'WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is not valid.'));
    }
    if (!event) return reply.status(200).send({ status: 'ok' });
    const outcome = await withTransaction(db, (tx) => applyPayoutEvent(tx, { partner: partner.name, event }));
    request.log.info({ partnerReference: event.partnerReference, state: event.partnerState, outcome }, 'payout webhook');
    if (outcome === 'unknown') {
      return sendProblem(reply, problem(request, 'CONFLICT', 'No payout with this reference yet; deliver the event again later.'));
    }
    return reply.status(200).send({ status: 'ok', outcome });
  });
};
