/**
 * Debian packages for tests (Chromium, PostgreSQL, ffmpeg): the same installer the mediasoup worker
 * build uses, which installs as root and otherwise fails with the command to run.
 */
export { ensureDebianPackages, isRoot } from '@dmp-party/media-node/worker-build';
