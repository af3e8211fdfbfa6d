import { summaryTable } from '../report';
import type { MediaContainerResult } from './run-media-container';

/** Markdown for the media node container benchmark. */
export function mediaContainerMarkdown(result: MediaContainerResult, machine: string, date: string): string {
  const { restart } = result;
  return [
    '## Media node container: image, build, start, restart (issue #13)',
    '',
    `Measured ${date} on ${machine}, with podman 4.3 (runc) and other work sharing the cores.`,
    '',
    'The image is built from `Dockerfile.media` on local stand-ins for `node:20-bookworm` and its `-slim`',
    '(Debian minbase by mmdebstrap plus Node 20.20.2 from npm; `media-node/container/`). It runs on the host',
    'network as its non-root user with a read-only root filesystem, one mediasoup worker.',
    '',
    '| image and build | figure |',
    '| --- | ---: |',
    `| image size | ${result.imageMb.toFixed(0)} MB |`,
    `| base images from scratch (two mmdebstrap runs, Node and npm from the registry) | ${result.baseImagesSeconds.toFixed(0)} s |`,
    Number.isNaN(result.coldBuildSeconds)
      ? '| cold build: `podman build --no-cache` | not run this time (`--container-cold-build no`) |'
      : `| cold build: \`podman build --no-cache\` (npm install, Debian packages, mediasoup worker compile, bundle), load average ${result.coldBuildLoad.toFixed(1)} on 2 cores meanwhile | ${result.coldBuildSeconds.toFixed(0)} s |`,
    `| \`podman build\` again, every layer cached | ${result.layerCachedBuildSeconds.toFixed(1)} s |`,
    `| \`podman build\` after a one-line change to \`media-node/src\` (worker layer reused, bundle rebuilt) | ${result.codeChangeBuildSeconds.toFixed(1)} s |`,
    `| what \`npm test\` pays when the image exists (hash the inputs, \`podman image exists\`), p50 of ${result.cacheCheckMs.n} | ${result.cacheCheckMs.p50.toFixed(0)} ms |`,
    '',
    `- **Start**: from \`podman run\` until \`/health\` answers (polled from the host every 50 ms), and until the
  image's own health check passes (\`podman healthcheck run\` polled every 100 ms; each check starts a
  \`node\` process in the container, so it trails \`/health\`). **Stop**: \`podman stop\` (SIGTERM, 10 s
  timeout): the node closes every session and worker and exits by itself.
- **Restart → listeners hear again**: a party through the container (edge under \`wrangler dev\` with the
  production \`MEDIA_CHECK_SECONDS = 10\`, host and listener in Chromium, a steady tone); \`podman restart\`
  mid-party, then until the first sound in the listener's received stream (an onset detector in the page).
  On the way: \`podman restart\` itself returns, the health check passes, then the edge's next media check
  finds the session gone and resets the media path, and the listener page makes its new receive transport.`,
    '',
    ...summaryTable([
      ['`podman run` → `/health` answers', '', result.startToAnsweringMs],
      ['`podman run` → HEALTHCHECK healthy', '', result.startToHealthyMs],
      ['`podman stop` → exited', '< 10 s (then SIGKILL)', result.stopMs],
      ['restart → listener hears again', '<= 5 s', restart.heardAgainMs],
      ['… `podman restart` returned', '', restart.podmanRestartMs],
      ['… healthy again', '', restart.healthyMs],
      ['… listener made its new transport', '', restart.newTransportMs],
    ]),
  ].join('\n');
}
