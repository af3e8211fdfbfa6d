// @ts-check
/**
 * First step of `npm start`, `npm test` and `npm run bench` on a fresh clone: installs npm
 * dependencies when missing or stale, then makes sure the mediasoup worker binary exists (building
 * it once per machine). Plain JavaScript with Node built-ins only, because it runs before
 * TypeScript tooling is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const INSTALL_TIMEOUT_MS = 10 * 60 * 1000;

/** @param {string} message */
function fail(message) {
  console.error(`\n[setup] ${message}`);
  process.exit(1);
}

function dependenciesAreStale() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return true;
  const installedAt = statSync(marker).mtimeMs;
  return ['package.json', 'package-lock.json'].some(
    (file) => existsSync(join(root, file)) && statSync(join(root, file)).mtimeMs > installedAt,
  );
}

function installDependencies() {
  // `npm install`, not `npm ci`: npm 11.19 writes lockfiles without other platforms' optional
  // packages (e.g. @biomejs/cli-darwin-*) and then its own `npm ci` refuses them as out of sync.
  // With exact pins and the lockfile present, `npm install` installs the locked versions.
  const command = 'install';
  // A stalled registry connection was seen once here: bound each try and retry once.
  for (let attempt = 1; attempt <= 2; attempt++) {
    console.error(`[setup] npm ${command} (attempt ${attempt})`);
    const result = spawnSync('npm', [command, '--no-audit', '--no-fund'], {
      cwd: root,
      stdio: 'inherit',
      timeout: INSTALL_TIMEOUT_MS,
    });
    if (result.status === 0) return;
  }
  fail("npm install failed twice; check the registry connection and run 'npm install' by hand.");
}

if (dependenciesAreStale()) installDependencies();

const worker = spawnSync(
  join(root, 'node_modules', '.bin', 'tsx'),
  ['media-node/worker-build/build-worker.ts'],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
if (worker.status !== 0) fail('the mediasoup worker is not available (see the message above).');
