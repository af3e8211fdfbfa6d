/**
 * `wrangler deploy --dry-run` of the production config (root wrangler.toml): the one worker that
 * ships must hold the edge's Durable Objects and the listener-role app, and none of the app's
 * Node-only code (PGlite, node-postgres, the library scanner).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';

const root = fileURLToPath(new URL('../..', import.meta.url));
let outDir: string;
let bundle: string;
let sources: string[];

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'dmp-deploy-'));
  execFileSync(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outDir], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' },
    stdio: 'pipe', // the build's warnings only matter when it fails, and then they are in the error
    timeout: 180_000,
  });
  bundle = readFileSync(join(outDir, 'worker.js'), 'utf8');
  const map = JSON.parse(readFileSync(join(outDir, 'worker.js.map'), 'utf8')) as { sources: string[] };
  sources = map.sources;
}, 200_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('wrangler deploy --dry-run (root wrangler.toml)', () => {
  it('bundles the Durable Object classes and routes requests to the edge or the app', () => {
    expect(bundle).toMatch(/var HibernatingServer = class extends DurableObject/);
    expect(bundle).toMatch(/var PartySession = class extends HibernatingServer/);
    expect(bundle).toMatch(/var PartyDirectory = class extends DurableObject/);
    const exports = bundle.slice(bundle.lastIndexOf('\nexport {'));
    expect(exports).toMatch(/PartyDirectory,\s+PartySession,\s+\w+ as default/);
    expect(sources.some((s) => s.endsWith('edge/site/worker.ts'))).toBe(true);
    expect(sources.some((s) => s.endsWith('edge/src/party/party-session.ts'))).toBe(true);
  });

  it('bundles the listener app: SvelteKit, its catalog pages and the Neon catalog module', () => {
    for (const entry of [
      'pages/_page.server.ts.js',
      'pages/releases/_id_/_page.server.ts.js',
      'hooks.server.js',
    ])
      expect(sources.some((s) => s.endsWith(`output/server/entries/${entry}`))).toBe(true);
    expect(sources.some((s) => s.includes('node_modules/@sveltejs/kit/'))).toBe(true);
    expect(sources.some((s) => s.endsWith('chunks/catalog-instance.worker.js'))).toBe(true);
    expect(sources.some((s) => s.includes('node_modules/@neondatabase/serverless/'))).toBe(true);
    expect(existsSync(join(root, 'app/.svelte-kit-worker/cloudflare/_app/version.json'))).toBe(true);
  });

  it('leaves the Node-only catalog code out of the worker', () => {
    const nodeOnly = [
      'node_modules/@electric-sql/pglite',
      'node_modules/pg/',
      'node_modules/music-metadata',
      'node_modules/ws/',
      'chunks/catalog-instance.js',
    ];
    for (const path of nodeOnly) expect(sources.filter((s) => s.includes(path))).toEqual([]);
  });
});

describe('the edge-only config (edge/wrangler.toml) and the production config', () => {
  it('declare the same Durable Objects, migrations, runtime and edge settings', () => {
    const production = unstable_readConfig({ config: join(root, 'wrangler.toml') });
    const edgeOnly = unstable_readConfig({ config: join(root, 'edge/wrangler.toml') });
    expect(production.durable_objects).toEqual(edgeOnly.durable_objects);
    expect(production.migrations).toEqual(edgeOnly.migrations);
    expect(production.compatibility_date).toBe(edgeOnly.compatibility_date);
    expect(production.compatibility_flags).toEqual(edgeOnly.compatibility_flags);
    expect(Object.keys(production.vars).sort()).toEqual([...Object.keys(edgeOnly.vars), 'PARTY_ROLE'].sort());
    expect(production.vars.PARTY_ROLE).toBe('listener');
    expect(production.assets?.binding).toBe('ASSETS');
  });
});
