/**
 * A TCP proxy between Drop and PostgreSQL that a test can pause (hold the database's replies),
 * resume, or cut (destroy every connection): a way to make work be in flight, or fail, on demand.
 */
import { createServer, type Server, Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Bytes the clients have sent towards the database since the last pause(). */
  bytesSinceUpstreamPause(): number;
  pause(): void;
  resume(): void;
  cut(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let paused = false;
  let bytesSincePause = 0;
  const held: Array<() => void> = [];

  const server: Server = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      bytesSincePause += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (paused) held.push(() => client.write(chunk));
      else client.write(chunk);
    });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    port,
    bytesSinceUpstreamPause: () => bytesSincePause,
    pause() {
      paused = true;
      bytesSincePause = 0;
    },
    resume() {
      paused = false;
      for (const write of held.splice(0)) write();
    },
    cut() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
