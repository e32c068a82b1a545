/** A local stand-in for Slack's incoming-webhook endpoint: records every message posted to it. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackMessage {
  text: string;
  blocks: unknown[];
  drop: { kind: string; severity: string; environment: string };
}

export interface SlackReceiver {
  url: string;
  messages: SlackMessage[];
  /** Resolves with the first message of `kind`, polling until `timeoutMs`. */
  waitFor(kind: string, timeoutMs?: number): Promise<SlackMessage>;
  close(): Promise<void>;
}

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const messages: SlackMessage[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (request.method === 'POST' && request.headers['content-type']?.startsWith('application/json')) {
        messages.push(JSON.parse(body) as SlackMessage);
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } else {
        response.writeHead(400).end('invalid_payload');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/XXXX`,
    messages,
    async waitFor(kind, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((message) => message.drop.kind === kind);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no Slack message of kind ${kind}; got ${messages.map((m) => m.drop.kind).join(', ') || 'none'}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
