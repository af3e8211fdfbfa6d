/** Settings the edge tests run the worker with (see edge/vitest.config.ts). */
export const TEST_HOST_SECRET = 'edge-test-host-secret-0123456789abcdef';
export const TEST_ALLOWED_ORIGIN = 'https://party.test';
export const TEST_LISTENER_CAP = 6;
/** A TURN deployment the edge hands out credentials for (nothing listens there: no test relays). */
export const TEST_TURN_URLS = [
  'turn:turn.party.test:3478?transport=udp',
  'turns:turn.party.test:443?transport=tcp',
];
export const TEST_TURN_SECRET = 'edge-test-turn-secret-0123456789abcdef';
