import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { types } from 'mediasoup';
import { moduleLogger } from '../logger';
import type { MediasoupModule } from './mediasoup-loader';

const log = moduleLogger('worker-pool');

export interface WorkerPoolOptions {
  count: number;
  listenIp: string;
  announcedAddress: string | undefined;
  /** WebRtcServer of worker i listens on `rtcPortBase + i`. */
  rtcPortBase: number;
  /** Range split between workers for per-transport ports (plain RTP). */
  rtcMinPort: number;
  rtcMaxPort: number;
  logLevel: types.WorkerLogLevel;
}

/** One mediasoup worker process, its WebRtcServer and its load. */
export interface WorkerSlot {
  readonly index: number;
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  alive: boolean;
  /** Receive transports (one per listener) living on this worker, across all sessions. */
  listenerLoad: number;
}

interface PoolEvents {
  /** A worker died; its routers are gone. Emitted before the replacement starts. */
  workerDied: [slot: WorkerSlot];
  /** A replacement for a dead worker is up. */
  workerReplaced: [slot: WorkerSlot];
}

/**
 * Starts one worker per core, each with a WebRtcServer on its own UDP+TCP port, and replaces a
 * worker that dies (same index, same port) so capacity comes back.
 */
export class WorkerPool extends EventEmitter<PoolEvents> {
  readonly #mediasoup: MediasoupModule;
  readonly #options: WorkerPoolOptions;
  readonly #slots: WorkerSlot[] = [];
  #closed = false;

  constructor(mediasoup: MediasoupModule, options: WorkerPoolOptions) {
    super();
    this.#mediasoup = mediasoup;
    this.#options = options;
  }

  async start(): Promise<void> {
    for (let index = 0; index < this.#options.count; index++) {
      this.#slots.push(await this.#startSlot(index));
    }
    log.info({ workers: this.#slots.length }, 'workers started');
  }

  get slots(): readonly WorkerSlot[] {
    return this.#slots;
  }

  liveSlots(): WorkerSlot[] {
    return this.#slots.filter((slot) => slot.alive);
  }

  /** The live worker with the fewest listeners, or undefined when none is alive. */
  leastLoaded(excluding?: WorkerSlot): WorkerSlot | undefined {
    let best: WorkerSlot | undefined;
    for (const slot of this.liveSlots()) {
      if (slot === excluding) continue;
      if (!best || slot.listenerLoad < best.listenerLoad) best = slot;
    }
    return best;
  }

  /**
   * The least-loaded live worker; when none is alive (the only worker just died), waits for a
   * replacement rather than failing, for up to `timeoutMs`.
   */
  async whenLive(timeoutMs = 10_000): Promise<WorkerSlot | undefined> {
    const live = this.leastLoaded();
    if (live || this.#closed) return live;
    return new Promise((resolve) => {
      const done = (slot: WorkerSlot | undefined) => {
        clearTimeout(timer);
        this.off('workerReplaced', done);
        resolve(slot);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.on('workerReplaced', done);
    });
  }

  rtcPort(index: number): number {
    return this.#options.rtcPortBase + index;
  }

  async #startSlot(index: number): Promise<WorkerSlot> {
    const { rtcMinPort, rtcMaxPort, count } = this.#options;
    const span = Math.floor((rtcMaxPort - rtcMinPort + 1) / count);
    const worker = await this.#mediasoup.createWorker({
      logLevel: this.#options.logLevel,
      rtcMinPort: rtcMinPort + index * span,
      rtcMaxPort: rtcMinPort + (index + 1) * span - 1,
      appData: { index },
    });
    const port = this.rtcPort(index);
    const listenInfo = {
      ip: this.#options.listenIp,
      port,
      ...(this.#options.announcedAddress ? { announcedIp: this.#options.announcedAddress } : {}),
    };
    const webRtcServer = await worker.createWebRtcServer({
      listenInfos: [
        { ...listenInfo, protocol: 'udp' },
        { ...listenInfo, protocol: 'tcp' },
      ],
    });
    const slot: WorkerSlot = { index, worker, webRtcServer, alive: true, listenerLoad: 0 };
    worker.on('died', (error) => this.#onDied(slot, error));
    log.info({ index, pid: worker.pid, rtcPort: port }, 'worker started');
    return slot;
  }

  #onDied(slot: WorkerSlot, error: Error): void {
    slot.alive = false;
    slot.listenerLoad = 0;
    log.error({ index: slot.index, pid: slot.worker.pid, reason: error.message }, 'worker died');
    this.emit('workerDied', slot);
    if (this.#closed) return;
    this.#startSlot(slot.index).then(
      (replacement) => {
        if (this.#closed) {
          replacement.worker.close();
          return;
        }
        this.#slots[slot.index] = replacement;
        this.emit('workerReplaced', replacement);
      },
      (startError: unknown) => log.error({ index: slot.index, err: startError }, 'worker replacement failed'),
    );
  }

  /** CPU time (ms) and resident memory (bytes) of a worker process. */
  async usage(slot: WorkerSlot): Promise<{ cpuMs: number; rssBytes: number }> {
    if (!slot.alive) return { cpuMs: 0, rssBytes: 0 };
    const usage = await slot.worker.getResourceUsage();
    return { cpuMs: usage.ru_utime + usage.ru_stime, rssBytes: residentBytes(slot.worker.pid) };
  }

  /**
   * Closes every worker and waits for the processes to exit: mediasoup's `close()` only signals
   * them, and a node that exits first would leave them running. Stragglers get SIGKILL.
   */
  async close(timeoutMs = 5_000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const pids = this.#slots.map((slot) => slot.worker.pid);
    for (const slot of this.#slots) slot.worker.close();
    const deadline = Date.now() + timeoutMs;
    while (pids.some(isRunning) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const pid of pids.filter(isRunning)) process.kill(pid, 'SIGKILL');
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Current RSS of a process from /proc (0 where /proc is unavailable). */
function residentBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}
