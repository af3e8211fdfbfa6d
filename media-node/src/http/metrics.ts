import { Counter, Gauge, Registry } from 'prom-client';
import type { SessionRegistry } from '../media/session-registry';
import type { WorkerPool } from '../media/worker-pool';

export interface NodeMetrics {
  registry: Registry;
  /**
   * Signed API calls by method, route pattern and status: what a reconnect storm costs the node
   * is read here (e.g. `route="/v1/sessions/:sessionId"` is the edge's media check).
   */
  requests: Counter<'method' | 'route' | 'status'>;
}

/** Prometheus metrics: gauges computed when scraped, and the request counter. */
export function createMetrics(registry: SessionRegistry, pool: WorkerPool): NodeMetrics {
  const metrics = new Registry();
  const requests = new Counter({
    name: 'media_node_requests_total',
    help: 'Signed /v1 API requests, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [metrics],
  });
  const gauge = (
    name: string,
    help: string,
    collect: (g: Gauge) => Promise<void> | void,
    labels: string[] = [],
  ) =>
    new Gauge({
      name,
      help,
      labelNames: labels,
      registers: [metrics],
      async collect() {
        this.reset();
        await collect(this);
      },
    });

  gauge('mediasoup_workers', 'Live mediasoup worker processes', (g) => g.set(pool.liveSlots().length));
  gauge('mediasoup_sessions', 'Party sessions (one router set each)', async (g) =>
    g.set((await registry.all()).length),
  );
  gauge(
    'mediasoup_worker_listeners',
    'Listener receive transports per worker',
    (g) => {
      for (const slot of pool.slots) g.set({ worker: String(slot.index) }, slot.listenerLoad);
    },
    ['worker'],
  );
  gauge(
    'mediasoup_worker_cpu_seconds',
    'CPU time used by each worker process',
    async (g) => {
      for (const slot of pool.slots)
        g.set({ worker: String(slot.index) }, (await pool.usage(slot)).cpuMs / 1000);
    },
    ['worker'],
  );
  // One stats sweep per scrape, shared by the gauges below (each sweep asks every transport).
  let sweep: { at: number; stats: ReturnType<SessionRegistry['stats']> } | undefined;
  const totals = async () => {
    if (!sweep || Date.now() - sweep.at > 1_000) sweep = { at: Date.now(), stats: registry.stats() };
    const stats = await sweep.stats;
    const sum = (key: 'routers' | 'transports' | 'producers' | 'consumers' | 'bytesReceived' | 'bytesSent') =>
      stats.reduce((total, s) => total + s[key], 0);
    return { sum };
  };
  for (const [key, help] of [
    ['routers', 'Routers across sessions'],
    ['transports', 'Transports across sessions'],
    ['producers', 'Producers across sessions'],
    ['consumers', 'Consumers across sessions'],
  ] as const) {
    gauge(`mediasoup_${key}`, help, async (g) => g.set((await totals()).sum(key)));
  }
  gauge('mediasoup_bytes_received', 'Bytes received by all transports', async (g) =>
    g.set((await totals()).sum('bytesReceived')),
  );
  gauge('mediasoup_bytes_sent', 'Bytes sent by all transports', async (g) =>
    g.set((await totals()).sum('bytesSent')),
  );
  return { registry: metrics, requests };
}
