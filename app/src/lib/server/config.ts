import { CodedError, MIN_SECRET_LENGTH } from '@dmp-party/protocol';
import { z } from 'zod';

/** The app's environment, validated at start; each error names its variable. */
const AppEnvSchema = z.object({
  PARTY_ROLE: z.enum(['host', 'listener'], { error: 'must be "host" or "listener"' }).default('host'),
  MUSIC_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  /** Party mode on or off: off hides the party page, the party button and the listener view. */
  PARTY_ENABLED: z
    .enum(['true', 'false', '1', '0'], { error: 'must be "true" or "false"' })
    .default('true')
    .transform((value) => value === 'true' || value === '1'),
  /**
   * The edge's base URL as browsers reach it (its WebSocket and status routes). Unset: the site's
   * own origin, as in the production deployment where the edge worker also serves the listener app.
   */
  PARTY_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  /** HMAC key shared with the edge; the host's server mints host tokens with it (host role only). */
  PARTY_HOST_SECRET: z
    .string()
    .min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`)
    .optional(),
  /**
   * Local testing only: `host:port` of a WebSocket-to-TCP proxy through which Neon's driver reaches
   * a plain PostgreSQL (no TLS). Never set it against Neon itself.
   */
  NEON_WS_PROXY: z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'must be host:port of a WebSocket-to-TCP proxy')
    .optional(),
});

export type AppConfig = z.infer<typeof AppEnvSchema>;

export function loadAppConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = AppEnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')} ${issue.message}`);
    throw new Error(`Invalid app configuration:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

/** A write refused in the listener role: the server answers 403 and changes nothing. */
export class ListenerRoleError extends CodedError {
  readonly status = 403;
  constructor(action: string) {
    super('FORBIDDEN', `${action} is not available to listeners`);
  }
}

/** Guards every write (play, favorites, playlists, audio files): only the host role may. */
export function assertHostRole(config: Pick<AppConfig, 'PARTY_ROLE'>, action: string): void {
  if (config.PARTY_ROLE !== 'host') throw new ListenerRoleError(action);
}
