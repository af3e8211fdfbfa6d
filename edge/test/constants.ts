/** Settings the edge tests run the worker with (see edge/vitest.config.ts). */
export const TEST_HOST_SECRET = 'edge-test-host-secret-0123456789abcdef';
export const TEST_ALLOWED_ORIGIN = 'https://party.test';
export const TEST_LISTENER_CAP = 6;
