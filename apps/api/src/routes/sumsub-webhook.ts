/**
 * Sumsub's webhooks. Authenticity first, over the exact bytes received: the digest in
 * X-Payload-Digest with an allowed algorithm, compared in constant time; a bad one is refused
 * with 401 and audited. Then the event is applied once (see handleKycEvent in core), and Sumsub
 * gets a fast 200 so it does not retry.
 */
import { createHash } from 'node:crypto';
import { type CustomerScreening, handleKycEvent, type KycProvider, recordAuditEvent } from '@drop/core';
import type { Db } from '@drop/db';
import { parseSumsubTimestamp, verifyWebhookDigest, webhookSchema } from '@drop/integrations';
import type { FastifyPluginAsync } from 'fastify';
import { problem, sendProblem } from '../http/errors.ts';
import { ANY_MEDIA_TYPE } from '../http/media-types.ts';

export const sumsubWebhookRoutes: FastifyPluginAsync<{
  db: Db;
  provider: KycProvider;
  webhookSecret: string;
  /** Screens a customer whose verification is about to be approved. */
  screening: CustomerScreening;
}> = async (app, options) => {
  // This plugin keeps JSON bodies as raw bytes: the digest covers them exactly, and re-serialised
  // JSON would not match.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_request, body, done) => done(null, body));

  // Any media type: the digest over the exact bytes decides, before anything is read or written.
  app.post('/api/webhooks/sumsub', { schema: { hide: true, consumes: [ANY_MEDIA_TYPE] } }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const verdict = verifyWebhookDigest(options.webhookSecret, raw, header('x-payload-digest'), header('x-payload-digest-alg'));
    if (!verdict.ok) {
      await recordAuditEvent(options.db, {
        action: 'webhook_rejected',
        resourceType: 'webhook',
        resourceId: 'sumsub',
        actor: 'anonymous',
        details: { reason: verdict.reason, algorithm: header('x-payload-digest-alg') ?? null, ip: request.ip },
      });
      request.log.warn({ reason: verdict.reason }, 'Sumsub webhook refused');
      return sendProblem(reply, problem(request, 'WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is not valid.'));
    }
    let event: ReturnType<typeof webhookSchema.parse>;
    let createdAtMs: number;
    try {
      event = webhookSchema.parse(JSON.parse(raw.toString('utf8')));
      createdAtMs = parseSumsubTimestamp(event.createdAtMs);
    } catch {
      return sendProblem(reply, problem(request, 'VALIDATION_FAILED', 'The webhook body is not a Sumsub event.'));
    }
    const outcome = await handleKycEvent(options.db, {
      provider: options.provider,
      screening: options.screening,
      event: {
        type: event.type,
        applicantId: event.applicantId,
        externalUserId: event.externalUserId,
        createdAtMs,
        bodySha256: createHash('sha256').update(raw).digest(),
      },
    });
    return reply.status(200).send({ ok: true, outcome });
  });
};
