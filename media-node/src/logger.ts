import { pino } from 'pino';

const root = pino({
  level: process.env.MEDIA_NODE_LOG_LEVEL ?? 'info',
  base: { service: 'media-node' },
  // Defence in depth: secrets are never passed to the logger, and these keys are masked anyway.
  redact: ['secret', '*.secret', 'headers["x-dmp-signature"]', 'srtpParameters.keyBase64'],
});

/** One child logger per module, as mediasoup's own `Logger` does. */
export function moduleLogger(module: string) {
  return root.child({ module });
}
