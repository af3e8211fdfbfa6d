/**
 * What the host's pages tell their own server about the live party: `PUT` once the edge confirms it
 * (remembered for new tabs, restarted browsers and app restarts), `DELETE` once it ended. Host role.
 */
import { errorBody, SessionIdSchema } from '@dmp-party/protocol';
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { appContext } from '$lib/server/catalog-instance';
import { assertHostRole } from '$lib/server/config';
import { livePartyFile } from '$lib/server/party/live-party';
import type { RequestHandler } from './$types';

const LivePartyRequestSchema = z.strictObject({ sessionId: SessionIdSchema });

function change(apply: (file: ReturnType<typeof livePartyFile>, sessionId: string) => void): RequestHandler {
  return async ({ request }) => {
    const { config } = await appContext();
    assertHostRole(config, 'hosting a party');
    if (!config.PARTY_ENABLED)
      return json(errorBody('NOT_FOUND', 'party mode is off (PARTY_ENABLED=false)'), { status: 404 });
    const parsed = LivePartyRequestSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success)
      return json(errorBody('BAD_REQUEST', 'expected {"sessionId": string}'), { status: 400 });
    apply(livePartyFile(config), parsed.data.sessionId);
    return new Response(null, { status: 204 });
  };
}

export const PUT = change((file, sessionId) => file.remember(sessionId));
export const DELETE = change((file, sessionId) => file.forget(sessionId));
