import { describe, expect, it } from 'vitest';
import { MediaEventsRequestSchema } from './media-events';

describe('media node events', () => {
  it('accepts rebuilt sessions, draining sessions and node starts', () => {
    const body = {
      events: [
        { type: 'sessionRebuilt', sessionId: 'party-1', generation: 2 },
        { type: 'sessionDraining', sessionId: 'party-1' },
        { type: 'nodeStarted', bootId: 'a1b2-c3' },
      ],
    };
    expect(MediaEventsRequestSchema.parse(body)).toEqual(body);
  });

  it('refuses unknown events, bad ids, extra fields and empty batches', () => {
    for (const events of [
      [{ type: 'workerDied', index: 0 }],
      [{ type: 'sessionRebuilt', sessionId: '../x', generation: 1 }],
      [{ type: 'sessionRebuilt', sessionId: 'party-1', generation: -1 }],
      [{ type: 'nodeStarted', bootId: 'x', extra: true }],
      [{ type: 'sessionDraining', sessionId: '../x' }],
      [],
    ])
      expect(MediaEventsRequestSchema.safeParse({ events }).success).toBe(false);
  });
});
