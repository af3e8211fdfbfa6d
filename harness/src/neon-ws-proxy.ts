/**
 * Neon's serverless driver speaks the PostgreSQL protocol over a WebSocket. In production Neon's
 * edge terminates it; here this small WebSocket-to-TCP proxy lets the real driver reach a local
 * PostgreSQL, so the production code path is exercised for real.
 */
import { connect } from 'node:net';
import { WebSocketServer } from 'ws';

export interface NeonProxy {
  /** `host:port` for the catalog's NEON_WS_PROXY setting (db/neon.ts points the driver at it). */
  address: string;
  close(): Promise<void>;
}

export async function startNeonProxy(): Promise<NeonProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, request) => {
    const address = new URL(request.url ?? '/', 'http://proxy').searchParams.get('address') ?? '';
    const [host = '127.0.0.1', port = '5432'] = address.split(':');
    const tcp = connect(Number(port), host);
    socket.on('message', (data: Buffer) => tcp.write(data));
    tcp.on('data', (data) => socket.send(data));
    socket.on('close', () => tcp.destroy());
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.close());
  });
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
