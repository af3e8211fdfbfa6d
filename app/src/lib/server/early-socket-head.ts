/**
 * The invite page's early socket script goes first in the HTML head (`EARLY_SOCKET_SLOT` in
 * app.html), before the stylesheet: an inline script after a stylesheet waits until that stylesheet
 * has loaded, and on a busy phone that was most of the time before the socket even started to open.
 * A component's `<svelte:head>` always comes after SvelteKit's links, so the server hook fills it.
 */
import { SessionIdSchema } from '@dmp-party/protocol';
import { earlySocketTag } from '../party/early-socket';
import type { AppConfig } from './config';
import { partyClientConfig } from './party-client-config';

/** The placeholder in app.html, replaced by the script or by nothing. */
export const EARLY_SOCKET_SLOT = '<!--party-early-socket-->';

/** The route whose page joins a party as a listener. */
const INVITE_ROUTE = '/party/[id]';

/** The early socket script for an invite page of a site with party mode on; '' for anything else. */
export function earlySocketHead(
  event: { route: { id: string | null }; params: Partial<Record<string, string>>; url: URL },
  config: Pick<AppConfig, 'PARTY_ENABLED' | 'PARTY_URL'>,
): string {
  if (event.route.id !== INVITE_ROUTE) return '';
  const sessionId = SessionIdSchema.safeParse(event.params.id);
  const party = partyClientConfig(config, event.url.origin);
  if (!sessionId.success || !party.enabled) return '';
  return earlySocketTag(party.wsUrl, sessionId.data);
}

/** `html` with the slot filled: by a function, since the script's text may hold `$` patterns. */
export function fillEarlySocketSlot(html: string, script: string): string {
  return html.replace(EARLY_SOCKET_SLOT, () => script);
}
