/**
 * How long the listeners of a killed media node go without sound: a party over three nodes with
 * libwebrtc listeners spread over them; a node other than the host's is SIGKILLed and, for each of
 * its listeners, the time from the kill to the first audible frame on its new track is measured
 * (the edge's media check finds the node gone, moves them, they consume again elsewhere).
 */
import { WebRtcListener } from '@dmp-party/harness/webrtc-listener';
import { LOAD_ORIGIN, startLoadParty } from '../webrtc-load/load-party';

export interface NodeKillRun {
  /** Listeners on the killed node, and for each the ms from the kill to sound again. */
  silencesMs: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Watches every listener from the kill on: for each one that gets a new track (it moved), the ms
 * from `since` to the first audible frame on it. Listeners that did not move are left out.
 */
async function silencesAfter(listeners: WebRtcListener[], since: number, watchMs: number): Promise<number[]> {
  const tracks = listeners.map((listener) => listener.meter.trackNumber);
  const baselines = new Map<WebRtcListener, { track: number; audible: number }>();
  const heardAt = new Map<WebRtcListener, number>();
  while (performance.now() - since < watchMs) {
    for (const [i, listener] of listeners.entries()) {
      const { trackNumber, audibleFrames } = listener.meter;
      if (trackNumber <= (tracks[i] as number) || heardAt.has(listener)) continue;
      const baseline = baselines.get(listener);
      if (baseline?.track !== trackNumber)
        baselines.set(listener, { track: trackNumber, audible: audibleFrames });
      else if (audibleFrames > baseline.audible) heardAt.set(listener, performance.now() - since);
    }
    await sleep(20);
  }
  if (heardAt.size < baselines.size) throw new Error('a moved listener heard nothing again');
  return [...heardAt.values()];
}

export async function runNodeKill(listenerCount: number, runs: number): Promise<NodeKillRun[]> {
  const results: NodeKillRun[] = [];
  for (let run = 0; run < runs; run++) {
    console.error(`[bench] cascade: node kill, run ${run + 1}/${runs}`);
    const party = await startLoadParty(3, 1);
    try {
      const listeners = Array.from(
        { length: listenerCount },
        () => new WebRtcListener({ wsBase: party.wsBase, sessionId: party.sessionId, origin: LOAD_ORIGIN }),
      );
      await Promise.all(listeners.map((listener) => listener.hears(120_000)));
      // Long enough for the party's alarm to run at its spread period.
      await sleep(12_000);
      const sessions = await Promise.all(party.fleet.nodes.map((node) => node.client.listSessions()));
      const loads = await Promise.all(party.fleet.nodes.map((node) => node.client.load()));
      // The origin is the node whose session has the host's send transport besides its listeners.
      const victimIndex = party.fleet.nodes.findIndex(
        (_node, i) =>
          (loads[i]?.listeners ?? 0) > 0 &&
          (sessions[i]?.sessions[0]?.transports ?? 0) === (loads[i]?.listeners ?? 0),
      );
      const victim = party.fleet.nodes[victimIndex];
      if (!victim) throw new Error('no node other than the origin holds listeners');
      const killedAt = performance.now();
      const watching = silencesAfter(listeners, killedAt, 20_000);
      await victim.kill();
      const silencesMs = await watching;
      if (silencesMs.length !== loads[victimIndex]?.listeners) throw new Error('not every listener moved');
      results.push({ silencesMs });
      for (const listener of listeners) listener.leave();
    } finally {
      await party.stop();
    }
  }
  return results;
}
