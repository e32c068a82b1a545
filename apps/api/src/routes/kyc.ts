/** The customer's identity verification: status and limits, and starting Sumsub's WebSDK. */
import { envelope, kycOverview as kycOverviewSchema, kycStart, noContent, sourceOfFundsRequest } from '@drop/contracts';
import { declareSourceOfFunds, type KycProvider, type KycTier, kycOverview, startVerification, type TierLimits } from '@drop/core';
import type { Db } from '@drop/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type CustomerAuthOptions, customerOf, requireCustomer } from '../auth/customer-auth.ts';
import { CUSTOMER_RATE_LIMITS, customerRateLimit } from '../http/customer-rate-limits.ts';

export interface KycRouteOptions {
  db: Db;
  /** CUSTOMER_RATE_LIMIT_MULTIPLIER: scales the per-customer limits (1 in production). */
  rateLimitMultiplier: number;
  provider: KycProvider;
  levelName: string;
  limits: Record<KycTier, TierLimits>;
  customerAuth: CustomerAuthOptions;
  /** Sumsub's WebSDK builder script (or the simulator's, with the same JS API) the app embeds. */
  webSdkScriptUrl: string;
}

export const kycRoutes: FastifyPluginAsyncZod<KycRouteOptions> = async (app, options) => {
  const guard = requireCustomer(options.customerAuth);

  app.get(
    '/api/kyc',
    {
      preValidation: guard,
      schema: {
        tags: ['kyc'],
        summary: 'My verification status, tier and limits',
        response: { 200: envelope(kycOverviewSchema) },
      },
    },
    async (request) => ({ data: await kycOverview(options.db, { userId: customerOf(request).userId, limits: options.limits }) }),
  );

  app.post(
    '/api/kyc/start',
    {
      preValidation: guard,
      config: customerRateLimit('kycStart', options.rateLimitMultiplier),
      schema: {
        tags: ['kyc'],
        summary: 'Start or resume verification: an access token for the WebSDK',
        description: `At most ${CUSTOMER_RATE_LIMITS.kycStart.max} a minute per customer (429 RATE_LIMITED with Retry-After).`,
        response: { 200: envelope(kycStart) },
      },
    },
    async (request) => {
      const { accessToken } = await startVerification(options.db, {
        userId: customerOf(request).userId,
        provider: options.provider,
        levelName: options.levelName,
      });
      return { data: { accessToken, levelName: options.levelName, webSdkScriptUrl: options.webSdkScriptUrl } };
    },
  );

  app.post(
    '/api/kyc/source-of-funds',
    {
      preValidation: guard,
      schema: {
        tags: ['kyc'],
        summary: 'Enhanced due diligence: where the money I send comes from (tier 2 once approved)',
        body: sourceOfFundsRequest,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await declareSourceOfFunds(options.db, { userId: customerOf(request).userId, source: request.body.source });
      return reply.status(204).send(null);
    },
  );
};
