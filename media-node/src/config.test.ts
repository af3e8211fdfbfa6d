import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const secret = 'x'.repeat(32);

describe('loadConfig', () => {
  it('refuses a missing secret and names the variable', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/MEDIA_NODE_SECRET is required/);
  });

  it('refuses a short secret without echoing it', () => {
    try {
      loadConfig({ MEDIA_NODE_SECRET: 'short-secret-value' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/MEDIA_NODE_SECRET must be at least 32 characters/);
      expect(String(error)).not.toContain('short-secret-value');
    }
  });

  it('names a malformed port, IP or range', () => {
    expect(() => loadConfig({ MEDIA_NODE_SECRET: secret, MEDIA_NODE_PORT: 'eighty' })).toThrow(
      /MEDIA_NODE_PORT/,
    );
    expect(() => loadConfig({ MEDIA_NODE_SECRET: secret, MEDIASOUP_LISTEN_IP: 'localhost' })).toThrow(
      /MEDIASOUP_LISTEN_IP must be an IP address/,
    );
    expect(() =>
      loadConfig({ MEDIA_NODE_SECRET: secret, RTC_MIN_PORT: '5000', RTC_MAX_PORT: '4000' }),
    ).toThrow(/RTC_MAX_PORT must be greater than RTC_MIN_PORT/);
    expect(() =>
      loadConfig({
        MEDIA_NODE_SECRET: secret,
        MEDIASOUP_WORKERS: '4',
        RTC_MIN_PORT: '5000',
        RTC_MAX_PORT: '5005',
      }),
    ).toThrow(/RTC_MIN_PORT..RTC_MAX_PORT must hold at least 8 ports/);
  });

  it('gives each worker a WebRtcServer port and splits the rest for plain transports', () => {
    const config = loadConfig({ MEDIA_NODE_SECRET: secret, MEDIASOUP_WORKERS: '2', RTC_MIN_PORT: '40000' });
    expect(config.rtcPortBase).toBe(40_000);
    expect(config.rtcMinPort).toBe(40_002);
    expect(config.workerCount).toBe(2);
    expect(config.httpPort).toBe(4443);
  });

  it('takes an http(s) EDGE_EVENTS_URL and names anything else', () => {
    const url = 'https://party.example.com/api/party/media-events';
    expect(loadConfig({ MEDIA_NODE_SECRET: secret, EDGE_EVENTS_URL: url }).edgeEventsUrl).toBe(url);
    expect(loadConfig({ MEDIA_NODE_SECRET: secret }).edgeEventsUrl).toBeUndefined();
    for (const bad of ['party.example.com/events', 'ftp://party.example.com/x'])
      expect(() => loadConfig({ MEDIA_NODE_SECRET: secret, EDGE_EVENTS_URL: bad })).toThrow(
        /EDGE_EVENTS_URL must be an http\(s\) URL/,
      );
  });

  it('waits for no drain by default (one node), and up to MEDIA_NODE_DRAIN_SECONDS when told', () => {
    expect(loadConfig({ MEDIA_NODE_SECRET: secret }).drainSeconds).toBe(0);
    expect(loadConfig({ MEDIA_NODE_SECRET: secret, MEDIA_NODE_DRAIN_SECONDS: '30' }).drainSeconds).toBe(30);
    expect(() => loadConfig({ MEDIA_NODE_SECRET: secret, MEDIA_NODE_DRAIN_SECONDS: '-1' })).toThrow(
      /MEDIA_NODE_DRAIN_SECONDS/,
    );
  });
});
