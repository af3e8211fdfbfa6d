import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: [
            'protocol/**/*.test.ts',
            'media-node/**/*.test.ts',
            'app/**/*.test.ts',
            'scripts/**/*.test.ts',
            'harness/**/*.test.ts',
            'edge/e2e/**/*.test.ts',
          ],
          // Media tests start real mediasoup workers; one file at a time keeps 2 cores honest.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['media-node/test/global-setup.ts'],
          env: { MEDIA_NODE_LOG_LEVEL: 'silent' },
        },
      },
      // The edge worker and its Durable Objects, inside workerd.
      './edge/vitest.config.ts',
    ],
  },
});
