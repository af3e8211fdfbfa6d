/**
 * A TCP proxy that adds a network's round trip: every byte waits half the round trip in each
 * direction, and a new connection carries nothing until one round trip after it was accepted (the
 * TCP handshake a real network costs; TLS is not modelled). HTTP and WebSocket pass through
 * unchanged, since it only forwards bytes. Benchmarks put one between the browser and the edge and
 * one between the edge and the media node, to see first audio as a deployed party's round trips
 * make it.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface DelayProxy {
  /** `http://127.0.0.1:<port>`: what clients use instead of the target. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Writes chunks to `to` no earlier than `releaseAt(arrival)`, in arrival order (release times
 * never go backwards, so one timer at a time keeps the order).
 */
function delayedPipe(from: Socket, to: Socket, releaseAt: (arrival: number) => number): void {
  const queue: { at: number; chunk: Buffer | null }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && (queue[0]?.at ?? 0) <= now) {
      const item = queue.shift();
      if (item?.chunk) to.write(item.chunk);
      else to.end();
    }
    if (queue.length > 0) timer = setTimeout(flush, Math.max(0, (queue[0]?.at ?? now) - now));
  };
  const push = (chunk: Buffer | null) => {
    const last = queue.at(-1)?.at ?? 0;
    queue.push({ at: Math.max(last, releaseAt(performance.now())), chunk });
    if (!timer) timer = setTimeout(flush, Math.max(0, (queue[0]?.at ?? 0) - performance.now()));
  };
  from.on('data', (chunk: Buffer) => push(chunk));
  from.on('end', () => push(null));
  from.on('close', () => {
    // A reset (not a clean end) goes through at once: nothing more will come.
    if (!from.readableEnded) to.destroy();
  });
}

/** Starts a proxy on a free loopback port to `target` (`http://host:port`), adding `rttMs`. */
export async function startDelayProxy(target: string, rttMs: number): Promise<DelayProxy> {
  const { hostname, port } = new URL(target);
  const oneWay = rttMs / 2;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const acceptedAt = performance.now();
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    // The client's first bytes arrive one and a half round trips after its SYN (SYN, SYN-ACK, data).
    delayedPipe(client, upstream, (arrival) => Math.max(arrival, acceptedAt + rttMs) + oneWay);
    delayedPipe(upstream, client, (arrival) => arrival + oneWay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const listening = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${listening}`,
    port: listening,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
