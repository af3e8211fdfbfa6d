/** Per-worker counts and byte totals over a session's transports and consumers (stats, metrics). */
import type { types } from 'mediasoup';
import type { WorkerSlot } from './worker-pool';

export interface TransportEntry {
  transport: types.WebRtcTransport | types.PlainTransport;
  type: 'webrtc' | 'plain';
  direction: 'send' | 'recv';
  peerId: string;
  slot: WorkerSlot;
  connected: boolean;
}

export function consumersOn(
  consumers: Iterable<{ transportId: string }>,
  transports: ReadonlyMap<string, TransportEntry>,
  slot: WorkerSlot,
): number {
  let count = 0;
  for (const { transportId } of consumers) if (transports.get(transportId)?.slot === slot) count++;
  return count;
}

export function transportsOn(transports: Iterable<TransportEntry>, slot: WorkerSlot): number {
  let count = 0;
  for (const entry of transports) if (entry.slot === slot) count++;
  return count;
}

/** Bytes each way over every transport; a transport closing meanwhile counts as none. */
export async function sumTransportBytes(
  transports: Iterable<TransportEntry>,
): Promise<{ bytesReceived: number; bytesSent: number }> {
  const all = await Promise.all(
    [...transports].map(async ({ transport }) => (await transport.getStats().catch(() => []))[0]),
  );
  return {
    bytesReceived: all.reduce((sum, stats) => sum + (stats?.bytesReceived ?? 0), 0),
    bytesSent: all.reduce((sum, stats) => sum + (stats?.bytesSent ?? 0), 0),
  };
}
