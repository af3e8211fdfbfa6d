import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Secrets for local runs; generated once per clone into a git-ignored file, never printed. */
export interface LocalSecrets {
  MEDIA_NODE_SECRET: string;
  PARTY_HOST_SECRET: string;
}

export function loadOrCreateLocalSecrets(file: string): LocalSecrets {
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
    if (parsed.MEDIA_NODE_SECRET && parsed.PARTY_HOST_SECRET) return parsed as LocalSecrets;
  }
  const secrets: LocalSecrets = {
    MEDIA_NODE_SECRET: randomBytes(32).toString('hex'),
    PARTY_HOST_SECRET: randomBytes(32).toString('hex'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
