import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortsFree } from './port-check';
import { portsToCheck, readStartTopology, StartConfigError } from './topology';

describe("npm start's topology", () => {
  it('defaults to this machine only: loopback binds and localhost URLs', () => {
    const topology = readStartTopology({});
    expect(topology.hostAppUrl).toBe('http://localhost:5173');
    expect(topology.listenerUrl).toBe('http://localhost:5174');
    expect(topology.edgeUrlForListeners).toBe('http://localhost:8787');
    expect(topology.publicBind).toBe('127.0.0.1');
    expect(topology.announcedIp).toBeUndefined();
    expect(topology.mediaHealthUrl).toBe('http://127.0.0.1:4443/health');
    // The media node posts its events to the edge on loopback, whatever the edge's public address.
    expect(topology.edgeEventsUrl).toBe('http://127.0.0.1:8787/api/party/media-events');
  });

  it('with PARTY_PUBLIC_HOST, listeners on the LAN get URLs and ICE candidates on that address', () => {
    const topology = readStartTopology({ PARTY_PUBLIC_HOST: '192.168.1.20', LISTENER_PORT: '6000' });
    expect(topology.listenerUrl).toBe('http://192.168.1.20:6000');
    expect(topology.edgeUrlForListeners).toBe('http://192.168.1.20:8787');
    // The host's own browser still reaches its app and the edge on localhost.
    expect(topology.edgeUrlForHost).toBe('http://localhost:8787');
    expect(topology.publicBind).toBe('0.0.0.0');
    expect(topology.announcedIp).toBe('192.168.1.20');
    expect(topology.allowedOrigins).toContain('http://192.168.1.20:6000');
    expect(topology.allowedOrigins).toContain('http://localhost:5173');
  });

  it('names every bad variable at once', () => {
    const read = () =>
      readStartTopology({
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
    const ports = portsToCheck(readStartTopology({ EDGE_PORT: String(port) }));
    await expect(assertPortsFree(ports.filter((p) => p.variable === 'EDGE_PORT'))).rejects.toThrow(
      `port ${port} is already in use; stop what uses it or set EDGE_PORT to a free port`,
    );
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    await expect(assertPortsFree(ports.filter((p) => p.variable === 'EDGE_PORT'))).resolves.toBeUndefined();
  });
});
