import type { MediaApiClient, NodeLoad } from '@dmp-party/protocol';
import { describe, expect, it } from 'vitest';
import { NodePlacement } from './node-placement';

const load = (listeners: number, draining = false): NodeLoad => ({
  draining,
  sessions: 1,
  listeners,
  transports: listeners,
  liveWorkers: 1,
});

/** Nodes answering `/v1/load` with the given loads (undefined: the node does not answer). */
function placement(loads: Record<string, NodeLoad | undefined>, continents: Record<string, string> = {}) {
  const entries = Object.keys(loads).map((url) => ({ url, continent: continents[url] }));
  const client = (url: string) =>
    ({
      load: async () => {
        const answer = loads[url];
        if (!answer) throw new TypeError('fetch failed');
        return answer;
      },
    }) as unknown as MediaApiClient;
  return new NodePlacement(entries, client);
}

describe('placing media on the least-loaded node', () => {
  it('spreads a burst of listeners by what it placed since the last read; the origin loses ties', async () => {
    const nodes = placement({ a: load(0), b: load(0), c: load(1) });
    const chosen = [];
    for (let i = 0; i < 5; i++) chosen.push(await nodes.choose({ origin: 'a' }));
    expect(chosen).toEqual(['b', 'a', 'b', 'c', 'a']);
  });

  it('never picks a node that drains, does not answer, or is excluded', async () => {
    const nodes = placement({ a: load(0, true), b: undefined, c: load(50), d: load(10) });
    expect(await nodes.choose({ exclude: new Set(['d']) })).toBe('c');
    expect(['a', 'b', 'c', 'd'].map((url) => nodes.usable(url))).toEqual([false, false, true, true]);
    nodes.markUnusable('c');
    expect(nodes.usable('c')).toBe(false);
    expect(await nodes.choose({ exclude: new Set(['d']) })).toBeUndefined();
  });

  it('counts a lone node usable without reading its load', async () => {
    const nodes = placement({ only: undefined });
    expect(nodes.usable('only')).toBe(true);
    expect(await nodes.choose()).toBe('only');
  });

  it("prefers nodes on the listener's continent, and any node when none is there", async () => {
    const nodes = placement({ eu: load(100), na: load(0) }, { eu: 'EU', na: 'NA' });
    expect(await nodes.choose({ continent: 'EU' })).toBe('eu');
    expect(await nodes.choose({ continent: 'AS' })).toBe('na');
  });
});

describe('reading loads', () => {
  /** Two nodes whose `/v1/load` answers only when the test lets it; `now` is the test's clock. */
  function gatedNodes() {
    const clock = { now: 0 };
    const loads: Record<string, NodeLoad> = { a: load(0), b: load(5) };
    const waiting: (() => void)[] = [];
    let reads = 0;
    const client = (url: string) =>
      ({
        load: () => {
          reads++;
          return new Promise<NodeLoad>((resolve) => waiting.push(() => resolve(loads[url] as NodeLoad)));
        },
      }) as unknown as MediaApiClient;
    const nodes = new NodePlacement(
      [
        { url: 'a', continent: undefined },
        { url: 'b', continent: undefined },
      ],
      client,
      () => clock.now,
    );
    const answer = () => {
      for (const release of waiting.splice(0)) release();
    };
    return { nodes, clock, loads, answer, reads: () => reads };
  }

  /** Whether `promise` has settled by the time pending callbacks have run. */
  async function settled(promise: Promise<unknown>): Promise<boolean> {
    let done = false;
    void promise.then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    return done;
  }

  it('places a join on the last loads while it reads them again, and waits when they are too old', async () => {
    const { nodes, clock, loads, answer, reads } = gatedNodes();
    // Nothing known yet: the first join waits for the nodes' answers.
    const first = nodes.choose();
    expect(await settled(first)).toBe(false);
    answer();
    expect(await first).toBe('a');

    // 10 s later the loads changed; the join is placed at once on what was known...
    clock.now = 10_000;
    loads.a = load(20);
    loads.b = load(0);
    const quiet = nodes.choose();
    expect(await settled(quiet)).toBe(true);
    expect(await quiet).toBe('a');
    // ...while one read runs beside it, shared by the joins that come meanwhile.
    expect(reads()).toBe(4);
    await nodes.choose();
    expect(reads()).toBe(4);
    answer();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await nodes.choose()).toBe('b');

    // Loads older than the stale limit are not trusted: that join waits for the read.
    clock.now = 60_000;
    const late = nodes.choose();
    expect(await settled(late)).toBe(false);
    answer();
    expect(await late).toBe('b');
  });
});
