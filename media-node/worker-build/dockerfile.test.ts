import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUNTIME_PACKAGES } from './system-requirements';

const dockerfile = readFileSync(new URL('../../Dockerfile.media', import.meta.url), 'utf8');
const globalSetup = readFileSync(new URL('../test/global-setup.ts', import.meta.url), 'utf8');
const bootstrap = readFileSync(new URL('../../scripts/bootstrap.mjs', import.meta.url), 'utf8');

describe('Dockerfile.media', () => {
  it('builds the worker with the script the tests and npm test use', () => {
    expect(dockerfile).toMatch(/^RUN .*tsx media-node\/worker-build\/build-worker\.ts/m);
    expect(globalSetup).toContain("from '../worker-build/build-worker'");
    expect(bootstrap).toContain('media-node/worker-build/build-worker.ts');
  });

  it("installs exactly the worker's runtime libraries and points mediasoup at the built binary", () => {
    const runtimeStage = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    for (const name of RUNTIME_PACKAGES) expect(runtimeStage).toContain(name);
    expect(runtimeStage).toContain('MEDIASOUP_WORKER_BIN=/usr/local/bin/mediasoup-worker');
  });

  it('runs as a non-root user with a health check on /health and a multi-stage build', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK[\s\S]*\/health/m);
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
  });

  it('skips npm install scripts, so no prebuilt worker is downloaded', () => {
    // Every npm install command of every RUN (continuation lines joined, commands split at &&).
    const installs = dockerfile
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((line) => line.startsWith('RUN'))
      .flatMap((run) => run.split('&&'))
      .filter((command) => /npm (ci|install)/.test(command));
    expect(installs.length).toBeGreaterThanOrEqual(2);
    for (const line of installs) {
      expect(line).toContain('--ignore-scripts');
    }
  });
});
