import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { appIcons } from './src/icons/app-icons';

const serverDir = fileURLToPath(new URL('./src/lib/server/', import.meta.url));

/**
 * In the Cloudflare build (APP_ADAPTER=cloudflare, see svelte.config.js) every import of the catalog
 * module resolves to its worker variant: Neon's driver only, no PGlite, node-postgres, file scanning
 * or demo library, so none of that Node-only code reaches the worker bundle.
 */
function workerCatalog(): Plugin {
  return {
    name: 'dmp:worker-catalog',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.includes('catalog-instance')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === `${serverDir}catalog-instance.ts`
        ? `${serverDir}catalog-instance.worker.ts`
        : null;
    },
  };
}

/**
 * Fewer, larger chunks for the browser: the framework in one, the app's shared components and helpers
 * in another. A phone on a slow network pays a round trip per request, and Rolldown otherwise splits
 * the shared code into a couple of dozen tiny files. The party code (mediasoup-client, the protocol)
 * stays apart, loaded only when a page needs it.
 */
const chunkGroups = [
  // Vite's preload helper too: left to Rolldown, it lands in the chunk of the first module that
  // imports lazily, and the app's entry then loads and evaluates that whole chunk before starting.
  {
    name: 'framework',
    test: /node_modules[\\/](svelte|@sveltejs[\\/]kit|esm-env|devalue|clsx)[\\/]|vite[\\/]preload-helper/,
  },
  // Everything shared under src/lib except what imports the party code (that would pull it in).
  {
    name: 'ui',
    test: /app[\\/]src[\\/]lib[\\/](?!party[\\/]|scan-status-schema|components[\\/](ListenerBar|ListenButton|PartyNowPlaying|[A-Za-z]+Live)\.)/,
  },
];

/** The chunk groups apply to the browser's build only: the server's chunks keep their own names. */
function browserChunks(): Plugin {
  return {
    name: 'dmp:browser-chunks',
    configEnvironment(name) {
      if (name !== 'client') return;
      return { build: { rolldownOptions: { output: { codeSplitting: { groups: chunkGroups } } } } };
    },
  };
}

export default defineConfig({
  plugins: [
    sveltekit(),
    appIcons(),
    browserChunks(),
    ...(process.env.APP_ADAPTER === 'cloudflare' ? [workerCatalog()] : []),
  ],
});
