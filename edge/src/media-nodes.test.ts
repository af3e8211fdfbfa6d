import { describe, expect, inject, it } from 'vitest';
import { MEDIA_CALLS_IN_FLIGHT, mediaNodeClient } from './media-nodes';

describe('calls to a media node', () => {
  it(`keeps at most ${MEDIA_CALLS_IN_FLIGHT} in flight and answers every one queued behind them`, async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const node = mediaNodeClient(inject('mediaNodeUrl'), inject('mediaNodeSecret'), countingFetch);

    // As a reconnect storm does: far more calls at once than the limit, to the real node.
    const calls = MEDIA_CALLS_IN_FLIGHT * 4;
    const answers = await Promise.allSettled(
      Array.from({ length: calls }, (_, index) => node.sessionStats(`no-such-party-${index}`)),
    );

    expect(mostInFlight).toBe(MEDIA_CALLS_IN_FLIGHT);
    // Each one reached the node and got its answer (this party does not exist), none timed out.
    expect(answers.map((answer) => answer.status === 'rejected' && answer.reason.code)).toEqual(
      Array(calls).fill('SESSION_NOT_FOUND'),
    );
  });
});
