import adapterCloudflare from '@sveltejs/adapter-cloudflare';
import adapterNode from '@sveltejs/adapter-node';

/**
 * One source, two builds, chosen by APP_ADAPTER:
 *   node (default)  `build/` for the host's machine (`npm start`, any role)
 *   cloudflare      the listener site inside the production worker (root wrangler.toml,
 *                   `npm run build:site`); its own outDir, so neither build clobbers the other's
 *                   server output. vite.config.ts swaps in the worker's catalog module.
 */
const target = process.env.APP_ADAPTER || 'node';
if (!['node', 'cloudflare'].includes(target)) {
  throw new Error(`APP_ADAPTER must be "node" or "cloudflare" (got "${target}")`);
}

/**
 * The app's CSS is small (about 2 KB compressed): inlined into each page, a phone on a slow network
 * paints without waiting for a stylesheet request first.
 */
const inlineStyleThreshold = 16 * 1024;

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit:
    target === 'cloudflare'
      ? {
          outDir: '.svelte-kit-worker',
          // wrangler.site.toml only tells the adapter where to write the worker and its assets.
          adapter: adapterCloudflare({ config: 'wrangler.site.toml' }),
          inlineStyleThreshold,
        }
      : { adapter: adapterNode({ out: 'build' }), inlineStyleThreshold },
};

export default config;
