/**
 * A TCP proxy between Drop and PostgreSQL that a test can pause (hold the database's replies),
 * resume, or cut (destroy every connection): a way to make work be in flight, or fail, on demand.
 *
 * It can also cut one connection at a COMMIT (`cutAtCommit`): it reads the client's side of the
 * PostgreSQL wire protocol just enough to find a simple Query message ('Q') whose text is COMMIT,
 * then either destroys that connection instead of forwarding the message ('before': the
 * transaction is rolled back by the server), or forwards it and destroys the connection before
 * the server's reply reaches the client ('after': the transaction committed, the client cannot
 * know). Both leave the application with a lost connection mid-request.
 */
import { createServer, type Server, Socket } from 'node:net';

export type CommitCut = 'before' | 'after';

export interface TcpProxy {
  port: number;
  /** Bytes the clients have sent towards the database since the last pause(). */
  bytesSinceUpstreamPause(): number;
  pause(): void;
  resume(): void;
  cut(): void;
  /**
   * Cuts the next connection that sends COMMIT, before or after forwarding it. Resolves once a
   * connection was cut; `cancel()` disarms it (the promise then never resolves).
   */
  cutAtCommit(when: CommitCut): { cut: Promise<void>; cancel(): void };
  /** Connections open through the proxy now. */
  connections(): number;
  close(): Promise<void>;
}

// The protocol's untyped first messages (startup, SSL and GSS encryption requests) carry no type byte.
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * Splits the client's byte stream into protocol messages and tells which are a simple-query COMMIT.
 * Only what the proxy needs: message boundaries, the 'Q' type and its query text.
 */
class ClientStream {
  /** The start of a message not yet complete, carried over from earlier chunks (already forwarded). */
  #pending = Buffer.alloc(0);
  #started = false;

  /** Feeds a chunk; returns the byte offset in it at which a COMMIT message starts (0 if it began in an earlier chunk), or -1. */
  commitAt(chunk: Buffer): number {
    const carried = this.#pending.length;
    const buffer = carried === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    let position = 0;
    let found = -1;
    for (;;) {
      const rest = buffer.length - position;
      if (!this.#started) {
        if (rest < 8) break;
        const length = buffer.readInt32BE(position);
        if (rest < length) break;
        const code = buffer.readInt32BE(position + 4);
        // After an SSL or GSS request the real startup message follows, also untyped.
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.#started = true;
        position += length;
        continue;
      }
      if (rest < 5) break;
      const length = buffer.readInt32BE(position + 1);
      if (rest < 1 + length) break;
      if (found < 0 && buffer[position] === 0x51 /* 'Q' */) {
        // The query text is NUL-terminated.
        const text = buffer.subarray(position + 5, position + length).toString('utf8');
        if (/^\s*COMMIT\s*;?\s*$/i.test(text)) found = Math.max(0, position - carried);
      }
      position += 1 + length;
    }
    this.#pending = Buffer.from(buffer.subarray(position));
    return found;
  }
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let paused = false;
  let bytesSincePause = 0;
  const held: Array<() => void> = [];
  let armed: { when: CommitCut; done: () => void } | undefined;

  const server: Server = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const stream = new ClientStream();
    /** Set once this connection forwarded a COMMIT that must not be answered. */
    let cutOnReply: (() => void) | undefined;
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      bytesSincePause += chunk.length;
      const commit = stream.commitAt(chunk);
      const cutNow = commit >= 0 ? armed : undefined;
      if (cutNow) {
        armed = undefined;
        if (cutNow.when === 'before') {
          // What preceded the COMMIT in this chunk still reaches the server; the COMMIT never does.
          if (commit > 0) upstream.write(chunk.subarray(0, commit));
          end();
          cutNow.done();
          return;
        }
        cutOnReply = cutNow.done;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cutOnReply) {
        // The server answered the COMMIT: it committed (or failed) and the client never hears which.
        const done = cutOnReply;
        cutOnReply = undefined;
        end();
        done();
        return;
      }
      if (paused) held.push(() => client.write(chunk));
      else client.write(chunk);
    });
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
    cutAtCommit(when) {
      let done!: () => void;
      const cut = new Promise<void>((resolve) => {
        done = resolve;
      });
      const arming = { when, done };
      armed = arming;
      return {
        cut,
        cancel() {
          if (armed === arming) armed = undefined;
        },
      };
    },
    connections: () => pairs.size,
    close: () =>
      new Promise<void>((resolve) => {
        armed = undefined;
        for (const { client, upstream } of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
