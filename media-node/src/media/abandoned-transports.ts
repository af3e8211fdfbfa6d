/**
 * A listener's receive transport whose browser has gone without the edge closing it: after an
 * edge restart (every socket dropped, the party's object cold) each browser rejoins with a new
 * transport and closes its old peer connection, but nobody is left to close the old transport
 * here. Closed when its peer says so (DTLS close alert, or DTLS failed), or when its ICE path has
 * been gone for `LOST_PATH_GRACE_MS` (a phone that lost its network does not say goodbye; a
 * listener that changes networks restarts ICE well within it).
 *
 * Send transports are left alone: the host's producer outlives its page for the resume path, and
 * the edge ends it.
 */
import type { types } from 'mediasoup';

export const LOST_PATH_GRACE_MS = 120_000;

export function closeWhenAbandoned(
  transport: types.WebRtcTransport,
  lostPathGraceMs = LOST_PATH_GRACE_MS,
): void {
  let lostPath: ReturnType<typeof setTimeout> | undefined;
  const forgetLostPath = () => {
    clearTimeout(lostPath);
    lostPath = undefined;
  };
  transport.on('dtlsstatechange', (state) => {
    if (state === 'closed' || state === 'failed') transport.close();
  });
  transport.on('icestatechange', (state) => {
    if (state === 'connected' || state === 'completed') return forgetLostPath();
    if (state === 'disconnected' && !lostPath)
      lostPath = setTimeout(() => transport.close(), lostPathGraceMs);
  });
  transport.observer.once('close', forgetLostPath);
}
