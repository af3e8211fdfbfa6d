import { MIN_SECRET_LENGTH } from '@dmp-party/protocol';
import { mediaNodeProblems } from './media-nodes';
import type { PartySession } from './party/party-session';
import type { PartyDirectory } from './party-directory';
import { turnUrls } from './turn';

/** Bindings and variables of the edge worker (see wrangler.toml; secrets documented there). */
export interface Env {
  PARTY_SESSION: DurableObjectNamespace<PartySession>;
  PARTY_DIRECTORY: DurableObjectNamespace<PartyDirectory>;
  /** Secret: HMAC key for host tokens (shared with the host's app server). */
  PARTY_HOST_SECRET: string;
  /** Secret: HMAC key for the media node's signed `/v1` API. */
  MEDIA_NODE_SECRET: string;
  /** Base URL of the media node's internal API (a deployment with one node). */
  MEDIA_NODE_URL: string;
  /** Several media nodes, comma-separated (see media-nodes.ts); replaces MEDIA_NODE_URL when set. */
  MEDIA_NODE_URLS?: string;
  ALLOWED_ORIGINS: string;
  PUBLIC_URL: string;
  LISTENER_CAP: string;
  HOST_GRACE_SECONDS: string;
  RATE_LIMIT_PER_SECOND: string;
  MEDIA_CHECK_SECONDS: string;
  /** Optional: comma-separated `turn:`/`turns:` URLs handed to browsers (see turn.ts). */
  TURN_URLS?: string;
  /** Secret, with TURN_URLS: coturn's `static-auth-secret`. */
  TURN_SECRET?: string;
  /** With TURN_URLS: how long (seconds) minted TURN credentials stay valid. */
  TURN_TTL_SECONDS?: string;
}

/** A party's numeric limits and clocks, read from vars (a missing or bad value falls back). */
export interface PartyLimits {
  listenerCap: number;
  hostGraceMs: number;
  messagesPerSecond: number;
  /** How often a live party asks the media node whether its media survived. */
  mediaCheckMs: number;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

export function partyLimits(env: Env): PartyLimits {
  return {
    listenerCap: positiveInt(env.LISTENER_CAP, 5000),
    hostGraceMs: positiveInt(env.HOST_GRACE_SECONDS, 60) * 1000,
    messagesPerSecond: positiveInt(env.RATE_LIMIT_PER_SECOND, 20),
    mediaCheckMs: positiveInt(env.MEDIA_CHECK_SECONDS, 10) * 1000,
  };
}

/** The origins allowed to open party WebSockets. */
export function allowedOrigins(env: Env): Set<string> {
  return new Set(
    (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  );
}

/** What is missing from the deployment's configuration (variable names only, never values). */
export function configurationProblems(env: Env): string[] {
  const problems: string[] = [];
  for (const name of ['PARTY_HOST_SECRET', 'MEDIA_NODE_SECRET'] as const)
    if ((env[name] ?? '').length < MIN_SECRET_LENGTH)
      problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
  problems.push(...mediaNodeProblems(env));
  const turn = turnUrls(env);
  if (turn.some((url) => !/^turns?:[^\s]+$/.test(url)))
    problems.push('TURN_URLS must be comma-separated turn: or turns: URLs');
  if (turn.length > 0 && (env.TURN_SECRET ?? '').length < MIN_SECRET_LENGTH)
    problems.push(`TURN_SECRET must be at least ${MIN_SECRET_LENGTH} characters when TURN_URLS is set`);
  return problems;
}
