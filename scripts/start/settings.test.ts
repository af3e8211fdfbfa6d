import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortsFree } from './port-check';
import { portsToCheck, readStartSettings, StartConfigError } from './settings';

describe("npm start's settings", () => {
  it('defaults to this machine only: loopback binds and localhost URLs', () => {
    const settings = readStartSettings({});
    expect(settings.hostAppUrl).toBe('http://localhost:5173');
    expect(settings.listenerUrl).toBe('http://localhost:5174');
    expect(settings.edgeUrlForListeners).toBe('http://localhost:8787');
    expect(settings.publicBind).toBe('127.0.0.1');
    expect(settings.announcedIp).toBeUndefined();
    expect(settings.mediaHealthUrl).toBe('http://127.0.0.1:4443/health');
  });

  it('with PARTY_PUBLIC_HOST, listeners on the LAN get URLs and ICE candidates on that address', () => {
    const settings = readStartSettings({ PARTY_PUBLIC_HOST: '192.168.1.20', LISTENER_PORT: '6000' });
    expect(settings.listenerUrl).toBe('http://192.168.1.20:6000');
    expect(settings.edgeUrlForListeners).toBe('http://192.168.1.20:8787');
    // The host's own browser still reaches its app and the edge on localhost.
    expect(settings.edgeUrlForHost).toBe('http://localhost:8787');
    expect(settings.publicBind).toBe('0.0.0.0');
    expect(settings.announcedIp).toBe('192.168.1.20');
    expect(settings.allowedOrigins).toContain('http://192.168.1.20:6000');
    expect(settings.allowedOrigins).toContain('http://localhost:5173');
  });

  it('names every bad variable at once', () => {
    const read = () =>
      readStartSettings({
        EDGE_PORT: 'eighty',
        APP_PORT: '70000',
        LISTENER_PORT: '4443',
        PARTY_PUBLIC_HOST: 'a b',
      });
    expect(read).toThrow(StartConfigError);
    expect(read).toThrow(/EDGE_PORT must be a port number \(got "eighty"\)/);
    expect(read).toThrow(/APP_PORT must be a port number \(got "70000"\)/);
    expect(read).toThrow(/LISTENER_PORT and MEDIA_NODE_PORT are both 4443/);
    expect(read).toThrow(/PARTY_PUBLIC_HOST must be a host name or IP address/);
  });

  it('refuses a taken port before starting anything, naming the port and its variable', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as { port: number };
    const ports = portsToCheck(readStartSettings({ EDGE_PORT: String(port) }));
    await expect(assertPortsFree(ports.filter((p) => p.variable === 'EDGE_PORT'))).rejects.toThrow(
      `port ${port} is already in use; stop what uses it or set EDGE_PORT to a free port`,
    );
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    await expect(assertPortsFree(ports.filter((p) => p.variable === 'EDGE_PORT'))).resolves.toBeUndefined();
  });
});
