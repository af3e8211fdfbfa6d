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
    nodes.markUnusable('c');
    expect(await nodes.choose({ exclude: new Set(['d']) })).toBeUndefined();
  });

  it("prefers nodes on the listener's continent, and any node when none is there", async () => {
    const nodes = placement({ eu: load(100), na: load(0) }, { eu: 'EU', na: 'NA' });
    expect(await nodes.choose({ continent: 'EU' })).toBe('eu');
    expect(await nodes.choose({ continent: 'AS' })).toBe('na');
  });
});
