/** Who Drop is and how to reach it (public): the contact page, the terms and the privacy notice show it. */

import { companyInfo, envelope } from '@drop/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export interface CompanyRouteOptions {
  company: { name: string; orgNumber: string; address: string };
  supportEmail: string;
}

export const companyRoutes: FastifyPluginAsyncZod<CompanyRouteOptions> = async (app, options) => {
  const data = { ...options.company, supportEmail: options.supportEmail };
  app.get(
    '/api/company',
    {
      schema: {
        tags: ['company'],
        summary: "Drop's company details and customer service address (public)",
        response: { 200: envelope(companyInfo) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return { data };
    },
  );
};
