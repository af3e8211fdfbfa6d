/**
 * A userland UDP relay that adds a fixed one-way delay each way, to model a real round trip on
 * loopback (this kernel has no `tc netem`). It listens on another loopback address with the
 * target's port (e.g. 127.0.0.2:P in front of a media node's 127.0.0.1:P), so the node only has to
 * announce that address (`MEDIASOUP_ANNOUNCED_IP`): each client gets its own upstream socket, and
 * ICE-lite on the node sees that socket as the client.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface UdpDelayRelay {
  /** How late packets left the relay beyond the set delay (ms), for the record: timers are not exact. */
  readonly lateness: number[];
  close(): Promise<void>;
}

export interface UdpDelayRelayOptions {
  listenHost: string;
  targetHost: string;
  port: number;
  /** Added to every packet in each direction: the round trip grows by twice this. */
  oneWayDelayMs: number;
}

const bound = (socket: Socket, port: number, host: string) =>
  new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });

export async function startUdpDelayRelay(options: UdpDelayRelayOptions): Promise<UdpDelayRelay> {
  const front = createSocket('udp4');
  await bound(front, options.port, options.listenHost);
  const upstreams = new Map<string, Promise<Socket>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const lateness: number[] = [];
  const later = (send: () => void) => {
    const due = performance.now() + options.oneWayDelayMs;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (lateness.length < 1_000_000) lateness.push(performance.now() - due);
      send();
    }, options.oneWayDelayMs);
    timers.add(timer);
  };
  // A closed socket may still have packets scheduled: those are dropped, as a gone path would.
  const quietly = (send: () => void) => () => {
    try {
      send();
    } catch {}
  };

  const upstreamFor = (client: RemoteInfo): Promise<Socket> => {
    const key = `${client.address}:${client.port}`;
    let upstream = upstreams.get(key);
    if (!upstream) {
      const socket = createSocket('udp4');
      socket.on('message', (packet) => later(quietly(() => front.send(packet, client.port, client.address))));
      upstream = bound(socket, 0, options.targetHost).then(() => socket);
      upstreams.set(key, upstream);
    }
    return upstream;
  };

  front.on('message', (packet, client) => {
    void upstreamFor(client).then((upstream) =>
      later(quietly(() => upstream.send(packet, options.port, options.targetHost))),
    );
  });

  return {
    lateness,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      const sockets = [front, ...(await Promise.all(upstreams.values()))];
      for (const socket of sockets) await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
