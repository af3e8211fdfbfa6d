/**
 * Host tokens for the edge: the host's browser asks its own server (which holds
 * PARTY_HOST_SECRET) for a short-lived token before every connection attempt. Host role only.
 */
import { randomBytes } from 'node:crypto';
import {
  type ErrorCode,
  errorBody,
  mintHostToken,
  partySocketPath,
  SessionIdSchema,
} from '@dmp-party/protocol';
import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { appContext } from '$lib/server/catalog-instance';
import { assertHostRole } from '$lib/server/config';
import { partyClientSettings } from '$lib/server/party-settings';
import type { RequestHandler } from './$types';

const TokenRequestSchema = z.strictObject({ sessionId: SessionIdSchema.optional() });

const problem = (status: number, code: ErrorCode, message: string) =>
  json(errorBody(code, message), { status });

export const POST = (async ({ request, url }) => {
  const { config } = await appContext();
  assertHostRole(config, 'hosting a party');
  if (!config.PARTY_ENABLED) return problem(404, 'NOT_FOUND', 'party mode is off (PARTY_ENABLED=false)');
  if (!config.PARTY_HOST_SECRET)
    return problem(503, 'NOT_CONFIGURED', 'PARTY_HOST_SECRET is not set on the host app');
  const parsed = TokenRequestSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return problem(400, 'BAD_REQUEST', 'expected {"sessionId"?: string}');
  const sessionId = parsed.data.sessionId ?? randomBytes(12).toString('base64url');
  const token = await mintHostToken(config.PARTY_HOST_SECRET, sessionId);
  const { wsUrl } = partyClientSettings(config, url.origin);
  return json({ sessionId, token, wsUrl: `${wsUrl}${partySocketPath(sessionId)}` });
}) satisfies RequestHandler;
