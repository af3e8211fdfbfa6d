/** The media node image from Dockerfile.media, built and run with podman (cached per machine). */
export { makeNodeBaseImages, nodeImageName } from './base-images';
export { type HealthStatus, MediaContainer, type StopOutcome } from './media-container';
export { buildMediaImage, ensureMediaImage, type MediaImage } from './media-image';
export { podman, podmanSucceeds } from './podman';
export { type RunningMediaNode, startMediaContainer } from './test-container';
