/**
 * The web app manifest and its PNG icons, drawn from one SVG (app-icon.svg) with sharp while Vite
 * builds (and on request under `vite dev`), so no binary image is committed and the manifest can
 * only name icons that exist. Adding the party site to a phone's home screen uses them.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { Plugin } from 'vite';

const SOURCE = new URL('./app-icon.svg', import.meta.url);
export const MANIFEST_PATH = 'manifest.webmanifest';

/** Every PNG made from the SVG: its file (under the site root) and size in pixels. */
export const ICONS = [
  { file: 'icons/icon-192.png', size: 192 },
  { file: 'icons/icon-512.png', size: 512 },
  { file: 'icons/apple-touch-icon.png', size: 180 },
] as const;

/** The page and home-screen colours: the app's dark background. */
const THEME = '#0d1117';

export function manifest(): string {
  const icon = (size: 192 | 512, purpose: 'any' | 'maskable') => ({
    src: `/icons/icon-${size}.png`,
    sizes: `${size}x${size}`,
    type: 'image/png',
    purpose,
  });
  return JSON.stringify(
    {
      name: 'DMP Party',
      short_name: 'DMP',
      description: 'A music library, and the party its host streams live.',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      background_color: THEME,
      theme_color: THEME,
      icons: [icon(192, 'any'), icon(512, 'any'), icon(192, 'maskable'), icon(512, 'maskable')],
    },
    null,
    2,
  );
}

function renderIcon(size: number): Promise<Buffer> {
  return sharp(readFileSync(SOURCE), { density: 72 * (size / 512) * 2 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toBuffer();
}

export function appIcons(): Plugin {
  return {
    name: 'dmp:app-icons',
    configureServer(server) {
      server.middlewares.use(async (request, response, next) => {
        const path = request.url?.split('?')[0]?.slice(1);
        const icon = ICONS.find((candidate) => candidate.file === path);
        if (path === MANIFEST_PATH) {
          response.setHeader('content-type', 'application/manifest+json');
          response.end(manifest());
        } else if (icon) {
          response.setHeader('content-type', 'image/png');
          response.end(await renderIcon(icon.size));
        } else next();
      });
    },
    async generateBundle() {
      // Only the browser's build: its output is what the site serves as static files.
      if (this.environment.name !== 'client') return;
      this.emitFile({ type: 'asset', fileName: MANIFEST_PATH, source: manifest() });
      for (const icon of ICONS)
        this.emitFile({ type: 'asset', fileName: icon.file, source: await renderIcon(icon.size) });
    },
  };
}
