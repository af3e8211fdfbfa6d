import { createServer, connect as tcpConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type DelayProxy, startDelayProxy } from './delay-proxy';

const RTT_MS = 60;
let proxy: DelayProxy | undefined;
const echo = createServer((socket) => socket.pipe(socket));

afterEach(async () => {
  await proxy?.close();
  await new Promise((resolve) => echo.close(resolve));
});

describe('delay proxy', () => {
  it('passes bytes both ways unchanged and in order, never sooner than the round trips allow', async () => {
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const { port } = echo.address() as { port: number };
    proxy = await startDelayProxy(`http://127.0.0.1:${port}`, RTT_MS);
    const client = tcpConnect(proxy.port, '127.0.0.1');
    const sentAt = performance.now();
    const chunks = Array.from({ length: 50 }, (_, i) => `chunk ${i};`);
    for (const chunk of chunks) client.write(chunk);
    let received = '';
    let firstAt = Number.NaN;
    await new Promise<void>((resolve) =>
      client.on('data', (data) => {
        firstAt ||= performance.now();
        received += data.toString();
        if (received.length >= chunks.join('').length) resolve();
      }),
    );
    client.destroy();
    expect(received).toBe(chunks.join(''));
    // A handshake's round trip, then one more for the echo: a lower bound, whatever the load.
    expect(firstAt - sentAt).toBeGreaterThanOrEqual(2 * RTT_MS - 1);
  });
});
