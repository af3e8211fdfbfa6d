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

export default defineConfig({
  plugins: [sveltekit(), appIcons(), ...(process.env.APP_ADAPTER === 'cloudflare' ? [workerCatalog()] : [])],
});
