import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './errors.ts';

/** Built single-page apps: the customer app at `/`, the back-office console at `/console/`. */
export const WEB_APPS = {
  customer: { prefix: '/', dist: fileURLToPath(new URL('../../../web/dist', import.meta.url)) },
  console: { prefix: '/console/', dist: fileURLToPath(new URL('../../../console/dist', import.meta.url)) },
} as const;

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Drop</title></head>
<body><h1>Drop</h1><p>The web apps are not built. Run <code>npm run build</code>, or use <code>npm run dev</code>.</p>
<p><a href="/api/health">/api/health</a> · <a href="/api/docs">API reference</a></p></body></html>`;

export async function registerWebApps(app: FastifyInstance): Promise<void> {
  const built = { customer: existsSync(WEB_APPS.customer.dist), console: existsSync(WEB_APPS.console.dist) };
  if (built.console) {
    await app.register(fastifyStatic, {
      root: WEB_APPS.console.dist,
      prefix: WEB_APPS.console.prefix,
      decorateReply: false,
      index: false,
      wildcard: false,
    });
  }
  if (built.customer) {
    await app.register(fastifyStatic, { root: WEB_APPS.customer.dist, prefix: WEB_APPS.customer.prefix, index: false, wildcard: false });
  }

  const sendIndex = (reply: FastifyReply, which: 'customer' | 'console') => {
    if (!built[which]) return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    // The index must never be cached, so a deploy is picked up on the next load; hashed assets may be.
    return reply.header('cache-control', 'no-cache').sendFile('index.html', WEB_APPS[which].dist);
  };

  // Client-side routes fall back to each app's index.html; API paths get a problem document.
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/api/') || path === '/api' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return sendProblem(reply, problem(request, 'ROUTE_NOT_FOUND', `${request.method} ${path} does not exist.`));
    }
    if (/\.[a-z0-9]+$/i.test(path)) return sendProblem(reply, problem(request, 'NOT_FOUND', 'No such file.'));
    return sendIndex(reply, path === '/console' || path.startsWith('/console/') ? 'console' : 'customer');
  });
}
