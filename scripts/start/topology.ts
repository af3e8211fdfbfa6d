import { isIP } from 'node:net';
import { MEDIA_EVENTS_PATH } from '@dmp-party/protocol';

/** Where each local process listens and the URLs that tie them together. */
export interface StartTopology {
  mediaPort: number;
  mediaHost: string;
  edgePort: number;
  appPort: number;
  listenerPort: number;
  /** Host name or IP other LAN machines use; unset: this machine only. */
  publicHost: string | undefined;
  /** Address the listener-facing servers (edge, listener site, WebRTC) bind. */
  publicBind: string;
  hostAppUrl: string;
  /** The edge as the host's browser reaches it (PARTY_URL of the host app). */
  edgeUrlForHost: string;
  /** The edge as listeners' browsers reach it (PARTY_URL of the listener site). */
  edgeUrlForListeners: string;
  /** The listener site: the edge's PUBLIC_URL, so invite links are `${listenerUrl}/party/<id>`. */
  listenerUrl: string;
  /** Origins allowed to open party WebSockets: the host app and every listener-site origin. */
  allowedOrigins: string[];
  /** The edge's events route as the media node reaches it (the media node's EDGE_EVENTS_URL). */
  edgeEventsUrl: string;
  /** The media node's API as this machine reaches it (the edge's MEDIA_NODE_URL). */
  mediaNodeUrl: string;
  mediaHealthUrl: string;
  /** IP the media node announces in ICE candidates. */
  announcedIp: string | undefined;
}

export class StartConfigError extends Error {}

const PORT_VARIABLES = {
  MEDIA_NODE_PORT: 4443,
  EDGE_PORT: 8787,
  APP_PORT: 5173,
  LISTENER_PORT: 5174,
} as const;
export type PortVariable = keyof typeof PORT_VARIABLES;

/** Reads `npm start`'s own topology; every problem names its variable, and all are reported at once. */
export function readStartTopology(env: NodeJS.ProcessEnv): StartTopology {
  const problems: string[] = [];
  const ports = {} as Record<PortVariable, number>;
  for (const [name, fallback] of Object.entries(PORT_VARIABLES) as [PortVariable, number][]) {
    const raw = env[name] || String(fallback);
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > 65_535)
      problems.push(`${name} must be a port number (got "${raw}")`);
    ports[name] = value;
  }
  const seen = new Map<number, PortVariable>();
  for (const [name, value] of Object.entries(ports) as [PortVariable, number][]) {
    const other = seen.get(value);
    if (other) problems.push(`${name} and ${other} are both ${value}; give each its own port`);
    seen.set(value, name);
  }
  const publicHost = env.PARTY_PUBLIC_HOST || env.MEDIASOUP_ANNOUNCED_IP || undefined;
  if (publicHost && !(isIP(publicHost) || /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(publicHost)))
    problems.push(`PARTY_PUBLIC_HOST must be a host name or IP address (got "${publicHost}")`);
  if (problems.length > 0)
    throw new StartConfigError(`Invalid npm start configuration:\n  ${problems.join('\n  ')}`);

  const mediaHost = env.MEDIA_NODE_HOST || '127.0.0.1';
  const listenerHosts = ['localhost', '127.0.0.1', ...(publicHost ? [publicHost] : [])];
  const listenerUrl = `http://${publicHost ?? 'localhost'}:${ports.LISTENER_PORT}`;
  const mediaNodeUrl = `http://${mediaHost === '0.0.0.0' ? '127.0.0.1' : mediaHost}:${ports.MEDIA_NODE_PORT}`;
  return {
    mediaPort: ports.MEDIA_NODE_PORT,
    mediaHost,
    edgePort: ports.EDGE_PORT,
    appPort: ports.APP_PORT,
    listenerPort: ports.LISTENER_PORT,
    publicHost,
    publicBind: publicHost ? '0.0.0.0' : '127.0.0.1',
    hostAppUrl: `http://localhost:${ports.APP_PORT}`,
    edgeUrlForHost: `http://localhost:${ports.EDGE_PORT}`,
    edgeUrlForListeners: `http://${publicHost ?? 'localhost'}:${ports.EDGE_PORT}`,
    listenerUrl,
    allowedOrigins: [
      `http://localhost:${ports.APP_PORT}`,
      `http://127.0.0.1:${ports.APP_PORT}`,
      ...listenerHosts.map((host) => `http://${host}:${ports.LISTENER_PORT}`),
    ],
    edgeEventsUrl: `http://127.0.0.1:${ports.EDGE_PORT}${MEDIA_EVENTS_PATH}`,
    mediaNodeUrl,
    mediaHealthUrl: `${mediaNodeUrl}/health`,
    announcedIp: env.MEDIASOUP_ANNOUNCED_IP || publicHost,
  };
}

/** The ports `npm start` listens on, each with the variable that moves it. */
export function portsToCheck(
  topology: StartTopology,
): { port: number; host: string; variable: PortVariable }[] {
  return [
    { port: topology.mediaPort, host: topology.mediaHost, variable: 'MEDIA_NODE_PORT' },
    { port: topology.edgePort, host: topology.publicBind, variable: 'EDGE_PORT' },
    { port: topology.appPort, host: '127.0.0.1', variable: 'APP_PORT' },
    { port: topology.listenerPort, host: topology.publicBind, variable: 'LISTENER_PORT' },
  ];
}
