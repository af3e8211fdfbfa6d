import { randomBytes } from 'node:crypto';
import { freeTcpPort, rtcPortBlock } from '../ports';
import { MediaContainer } from './media-container';

export interface RunningMediaNode {
  container: MediaContainer;
  /** The API's base URL (the edge's MEDIA_NODE_URL). */
  url: string;
  secret: string;
}

/**
 * The image as a party's media node on this machine, the way docs/DEPLOY.md runs it: host network,
 * the image's own non-root user, a read-only root filesystem, WebRTC on all addresses announced
 * as 127.0.0.1; ports of its own so parallel runs do not collide.
 */
/** `env`: more media node variables (e.g. `EDGE_EVENTS_URL`). */
export async function startMediaContainer(
  image: string,
  workers = 1,
  env: Record<string, string> = {},
): Promise<RunningMediaNode> {
  const secret = randomBytes(32).toString('hex');
  const port = await freeTcpPort();
  const rtc = rtcPortBlock('mediaContainer');
  const settings = {
    MEDIA_NODE_HOST: '127.0.0.1',
    MEDIA_NODE_PORT: String(port),
    MEDIASOUP_ANNOUNCED_IP: '127.0.0.1',
    MEDIASOUP_WORKERS: String(workers),
    RTC_MIN_PORT: String(rtc.min),
    RTC_MAX_PORT: String(rtc.max),
    ...env,
  };
  const container = MediaContainer.run(
    [
      '-d',
      '--network',
      'host',
      '--read-only',
      '--label',
      `dmp-party.started-by=${process.pid}`,
      '-e',
      'MEDIA_NODE_SECRET',
      ...Object.entries(settings).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
      image,
    ],
    { MEDIA_NODE_SECRET: secret },
  );
  return { container, url: `http://127.0.0.1:${port}`, secret };
}
