import { describe, expect, it } from 'vitest';
import { assertHostRole, ListenerRoleError, loadAppConfig } from './config';

describe('app configuration', () => {
  it('defaults to the host role on embedded PGlite', () => {
    expect(loadAppConfig({})).toMatchObject({ PARTY_ROLE: 'host', PGLITE_DATA_DIR: '.data/pglite' });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadAppConfig({ PARTY_ROLE: 'dj' })).toThrow(/PARTY_ROLE must be "host" or "listener"/);
    expect(() => loadAppConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => loadAppConfig({ PARTY_URL: 'ftp://edge' })).toThrow(/PARTY_URL must be an http/);
    expect(() => loadAppConfig({ PARTY_ENABLED: 'maybe' })).toThrow(/PARTY_ENABLED must be "true"/);
    expect(() => loadAppConfig({ PARTY_HOST_SECRET: 'short' })).toThrow(
      /PARTY_HOST_SECRET must be at least 32/,
    );
  });

  it('reads the party settings', () => {
    const config = loadAppConfig({ PARTY_URL: 'http://127.0.0.1:8787/', PARTY_ENABLED: 'false' });
    expect(config).toMatchObject({ PARTY_URL: 'http://127.0.0.1:8787', PARTY_ENABLED: false });
    expect(loadAppConfig({}).PARTY_ENABLED).toBe(true);
  });

  it('refuses writes in the listener role with a 403 error', () => {
    const listener = loadAppConfig({ PARTY_ROLE: 'listener' });
    expect(() => assertHostRole(listener, 'adding a favorite')).toThrow(ListenerRoleError);
    try {
      assertHostRole(listener, 'adding a favorite');
    } catch (error) {
      expect((error as ListenerRoleError).status).toBe(403);
      expect((error as Error).message).toBe('adding a favorite is not available to listeners');
    }
    expect(() => assertHostRole(loadAppConfig({}), 'adding a favorite')).not.toThrow();
  });
});
