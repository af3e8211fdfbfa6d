import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDevVars } from './dev-vars';
import { loadOrCreateLocalSecrets } from './local-secrets';

describe('local secrets for wrangler dev', () => {
  it('generates secrets once and writes them to .dev.vars, readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmp-devvars-'));
    const secrets = loadOrCreateLocalSecrets(join(dir, '.dev-secrets', 'local.json'));
    expect(secrets.MEDIA_NODE_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(loadOrCreateLocalSecrets(join(dir, '.dev-secrets', 'local.json'))).toEqual(secrets);
    writeDevVars(join(dir, '.dev.vars'), secrets, {
      mediaNodeUrl: 'http://127.0.0.1:4443',
      publicUrl: 'http://localhost:5174',
      allowedOrigins: ['http://localhost:5173', 'http://localhost:5174'],
    });
    const text = readFileSync(join(dir, '.dev.vars'), 'utf8');
    expect(text).toContain(`MEDIA_NODE_SECRET=${secrets.MEDIA_NODE_SECRET}`);
    expect(text).toContain('MEDIA_NODE_URL=http://127.0.0.1:4443');
    expect(text).toContain('PUBLIC_URL=http://localhost:5174\n');
    expect(text).toContain('ALLOWED_ORIGINS=http://localhost:5173,http://localhost:5174\n');
    expect(statSync(join(dir, '.dev.vars')).mode & 0o077).toBe(0);
  });

  it("leaves a developer's own .dev.vars alone", () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmp-devvars-'));
    writeFileSync(join(dir, '.dev.vars'), 'PARTY_HOST_SECRET=mine\n');
    writeDevVars(
      join(dir, '.dev.vars'),
      { MEDIA_NODE_SECRET: 'a', PARTY_HOST_SECRET: 'b' },
      { mediaNodeUrl: 'http://x', publicUrl: 'http://y', allowedOrigins: [] },
    );
    expect(readFileSync(join(dir, '.dev.vars'), 'utf8')).toBe('PARTY_HOST_SECRET=mine\n');
  });
});
