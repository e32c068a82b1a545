import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** The OpenAPI document, generated from the routes' zod schemas (@drop/contracts), and a reference page at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, options: { version: string; publicUrl: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Drop API',
        version: options.version,
        description:
          'Send money from Norway abroad. Amounts are strings in minor units; errors are application/problem+json with a stable `code`.',
      },
      servers: [{ url: options.publicUrl }],
      tags: [
        { name: 'platform', description: 'Health and operations' },
        { name: 'auth', description: 'Sign-in with BankID and sign-out' },
        { name: 'customer', description: 'The signed-in customer' },
        { name: 'kyc', description: 'Identity verification (Sumsub) and limits' },
        { name: 'quotes', description: 'Where Drop sends, and locked prices' },
        { name: 'recipients', description: "The customer's recipients" },
        { name: 'transfers', description: 'Sending money: create, follow, cancel, receipts, late payments' },
        { name: 'staff', description: 'The back-office console: sign-in, work queues, transfers, ledger, bank files' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // swagger-ui sets one inline style; allow inline styles (never scripts) on this page only.
    transformStaticCSP: (header) => header.replace("style-src 'self' https:", "style-src 'self' 'unsafe-inline'"),
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
