import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import {
  TEST_ALLOWED_ORIGIN,
  TEST_HOST_SECRET,
  TEST_LISTENER_CAP,
  TEST_TURN_SECRET,
  TEST_TURN_URLS,
} from './test/constants';

/** The edge's tests run inside workerd (the Workers runtime), against a real media node. */
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: fileURLToPath(new URL('./wrangler.toml', import.meta.url)) },
      miniflare: {
        bindings: {
          MEDIA_NODE_URL: inject('mediaNodeUrl'),
          MEDIA_NODE_SECRET: inject('mediaNodeSecret'),
          PARTY_HOST_SECRET: TEST_HOST_SECRET,
          ALLOWED_ORIGINS: TEST_ALLOWED_ORIGIN,
          PUBLIC_URL: TEST_ALLOWED_ORIGIN,
          LISTENER_CAP: String(TEST_LISTENER_CAP),
          RATE_LIMIT_PER_SECOND: '20',
          TURN_URLS: TEST_TURN_URLS.join(','),
          TURN_SECRET: TEST_TURN_SECRET,
        },
      },
    })),
  ],
  test: {
    name: 'edge',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // One live party per deployment: files share the directory object and the media node.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
