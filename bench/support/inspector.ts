/**
 * The live heap of a Node process started with `--inspect=127.0.0.1:<port>`: a full garbage
 * collection through the inspector protocol (HeapProfiler.collectGarbage), then the heap in use
 * (Runtime.getHeapUsage). What survives a full collection is what the program holds on to, so
 * the same figure before and after a long load shows a leak without the collector's saw-tooth.
 * Loopback only; the benchmarks start their Drop with the inspector on a free local port.
 */

interface Target {
  webSocketDebuggerUrl: string;
}

export async function liveHeapBytes(inspectorPort: number): Promise<number> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as Target[];
  const target = targets[0];
  if (!target) throw new Error(`no inspector target on port ${inspectorPort}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('the inspector refused the connection')), { once: true });
  });
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting || message.id === undefined) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  });
  let id = 0;
  const call = (method: string) =>
    new Promise<unknown>((resolve, reject) => {
      id++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method }));
    });
  try {
    // Twice: objects kept only by finalizers or weak references go in the second round.
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const usage = (await call('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize;
  } finally {
    socket.close();
  }
}
