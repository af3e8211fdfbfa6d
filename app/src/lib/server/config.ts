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
export class ListenerRoleError extends Error {
  readonly status = 403;
  constructor(action: string) {
    super(`${action} is not available to listeners`);
  }
}

/** Guards every write (play, favorites, playlists, audio files): only the host role may. */
export function assertHostRole(config: Pick<AppConfig, 'PARTY_ROLE'>, action: string): void {
  if (config.PARTY_ROLE !== 'host') throw new ListenerRoleError(action);
}
