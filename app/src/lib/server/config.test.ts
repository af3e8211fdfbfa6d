import { describe, expect, it } from 'vitest';
import { assertHostRole, ListenerRoleError, loadAppConfig } from './config';

describe('app configuration', () => {
  it('defaults to the host role on embedded PGlite', () => {
    expect(loadAppConfig({})).toMatchObject({ PARTY_ROLE: 'host', PGLITE_DATA_DIR: '.data/pglite' });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadAppConfig({ PARTY_ROLE: 'dj' })).toThrow(/PARTY_ROLE must be "host" or "listener"/);
    expect(() => loadAppConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/);
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
