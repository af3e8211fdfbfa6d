/**
 * Real WebRTC listeners at load: for each level, that many libwebrtc listeners (`WebRtcListener`,
 * the page's own session code) join a party through the edge and consume a Node host's tone. After
 * everyone hears it and a warm-up, one window measures per listener what libwebrtc reports (loss,
 * jitter) and hears (audible 10 ms frames), the media workers' CPU (each node's `/v1/workers`) and
 * the load client's own CPU (this process: libwebrtc's threads included), apart.
 */
import { type ReceiveStats, WebRtcListener } from '@dmp-party/harness/webrtc-listener';
import { LOAD_ORIGIN, type LoadParty, startLoadParty } from './load-party';

export interface LoadLevel {
  listeners: number;
  /** Listeners that got sound (metered) or packets within 90 s of joining. */
  receiving: number;
  /** Listeners per media node at the window's end (the nodes' own `/v1/load`). */
  perNode: number[];
  joinSeconds: number;
  lossPercent: number;
  packetsReceived: number;
  packetsLost: number;
  jitterMeanMs: number;
  jitterMaxMs: number;
  /** Of the metered listeners: those with sound throughout the window, the share of audible frames. */
  listenersHearing: number;
  audibleShare: number;
  meanRms: number;
  workerCpuMsPerListenerSecond: number;
  workerCores: number;
  clientCores: number;
}

/**
 * Listeners whose sound is decoded and measured; the others count packets only. Pulling and
 * measuring the audio costs the load client about a third more CPU per listener, and the client
 * shares the media node's two cores.
 */
export const METERED = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function workerCpuMs(party: LoadParty): Promise<number> {
  const lists = await Promise.all(party.fleet.nodes.map((node) => node.client.workers()));
  return lists.flatMap((list) => list.workers).reduce((sum, worker) => sum + worker.cpuMs, 0);
}

function clientCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

interface Snapshot {
  at: number;
  workerMs: number;
  clientMs: number;
  stats: ReceiveStats[];
  audible: number[];
  frames: number[];
}

async function snapshot(party: LoadParty, listeners: WebRtcListener[]): Promise<Snapshot> {
  return {
    at: performance.now(),
    workerMs: await workerCpuMs(party),
    clientMs: clientCpuMs(),
    stats: await Promise.all(listeners.map((listener) => listener.stats())),
    audible: listeners.map((listener) => listener.meter.audibleFrames),
    frames: listeners.map((listener) => listener.meter.frames),
  };
}

async function measureLevel(party: LoadParty, level: number, seconds: number): Promise<LoadLevel> {
  const joinStart = performance.now();
  const listeners: WebRtcListener[] = [];
  for (let i = 0; i < level; i++) {
    const metered = i < METERED;
    listeners.push(
      new WebRtcListener({ wsBase: party.wsBase, sessionId: party.sessionId, origin: LOAD_ORIGIN, metered }),
    );
    // Joins in small bursts, as people arrive, rather than one storm of DTLS handshakes.
    if (i % 20 === 19) await sleep(500);
  }
  // A listener whose setup failed stays silent (the page does not retry a failed consume either):
  // it is counted, not waited for.
  const joined = await Promise.allSettled(
    listeners.map((listener) => (listener.metered ? listener.hears(90_000) : listener.receives(90_000))),
  );
  const receiving = joined.filter((outcome) => outcome.status === 'fulfilled').length;
  const joinSeconds = (performance.now() - joinStart) / 1000;
  await sleep(5_000);
  const start = await snapshot(party, listeners);
  await sleep(seconds * 1000);
  const end = await snapshot(party, listeners);
  const elapsed = (end.at - start.at) / 1000;

  let received = 0;
  let lost = 0;
  let hearing = 0;
  let audible = 0;
  let frames = 0;
  for (let i = 0; i < level; i++) {
    const [before, after] = [start.stats[i] as ReceiveStats, end.stats[i] as ReceiveStats];
    received += after.packetsReceived - before.packetsReceived;
    lost += after.packetsLost - before.packetsLost;
    if (i >= METERED) continue;
    const heard = (end.audible[i] as number) - (start.audible[i] as number);
    audible += heard;
    frames += (end.frames[i] as number) - (start.frames[i] as number);
    // 100 frames a second; a listener "hears throughout" with 95% of them audible.
    if (heard >= elapsed * 100 * 0.95) hearing++;
  }
  const jitters = end.stats.map((stats) => stats.jitterMs);
  const perNode = await Promise.all(
    party.fleet.nodes.map(async (node) => (await node.client.load()).listeners),
  );
  const workerMs = end.workerMs - start.workerMs;
  const result: LoadLevel = {
    listeners: level,
    receiving,
    perNode,
    joinSeconds,
    lossPercent: (100 * lost) / Math.max(1, received + lost),
    packetsReceived: received,
    packetsLost: lost,
    jitterMeanMs: jitters.reduce((sum, value) => sum + value, 0) / level,
    jitterMaxMs: Math.max(...jitters),
    listenersHearing: hearing,
    audibleShare: audible / Math.max(1, frames),
    meanRms:
      listeners.slice(0, METERED).reduce((sum, listener) => sum + listener.meter.meanRms, 0) /
      Math.min(level, METERED),
    workerCpuMsPerListenerSecond: workerMs / (level * elapsed),
    workerCores: workerMs / (elapsed * 1000),
    clientCores: (end.clientMs - start.clientMs) / (elapsed * 1000),
  };
  for (const listener of listeners) listener.leave();
  // The edge frees each gone socket's transport; the next level starts from an empty node.
  for (let i = 0; i < 60; i++) {
    const loads = await Promise.all(party.fleet.nodes.map((node) => node.client.load()));
    if (loads.every((load) => load.listeners === 0)) break;
    await sleep(500);
  }
  return result;
}

export async function runWebRtcLoad(options: {
  levels: number[];
  seconds: number;
  nodes: number;
  workersPerNode: number;
}): Promise<LoadLevel[]> {
  const party = await startLoadParty(options.nodes, options.workersPerNode);
  try {
    const results: LoadLevel[] = [];
    for (const level of options.levels) {
      console.error(`[bench] webrtc load: ${level} listeners on ${options.nodes} node(s)`);
      const result = await measureLevel(party, level, options.seconds);
      console.error(`[bench] ${JSON.stringify(result)}`);
      results.push(result);
    }
    return results;
  } finally {
    await party.stop();
  }
}
