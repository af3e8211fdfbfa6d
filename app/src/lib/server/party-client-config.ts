/**
 * Party configuration as the browser needs it: whether party mode is on and where the edge is.
 * Never includes secrets.
 */
import type { AppConfig } from './config';

export interface PartyClientConfig {
  enabled: boolean;
  /** The edge's http(s) base URL (the status route). */
  edgeUrl: string;
  /** The same base as ws(s)://, for the party WebSocket. */
  wsUrl: string;
}

export function partyClientConfig(
  config: Pick<AppConfig, 'PARTY_ENABLED' | 'PARTY_URL'>,
  siteOrigin: string,
): PartyClientConfig {
  const edgeUrl = config.PARTY_URL ?? siteOrigin;
  return { enabled: config.PARTY_ENABLED, edgeUrl, wsUrl: edgeUrl.replace(/^http/, 'ws') };
}
