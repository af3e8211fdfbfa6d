import { createServer } from 'node:net';

/**
 * Fails before anything starts when a port is taken, naming the port and the variable that moves
 * it: otherwise the clash would surface later as one child's cryptic EADDRINUSE.
 */
export async function assertPortsFree(
  ports: { port: number; host: string; variable: string }[],
): Promise<void> {
  const taken: string[] = [];
  for (const { port, host, variable } of ports) {
    const error = await tryListen(port, host);
    if (error === 'EADDRINUSE')
      taken.push(`port ${port} is already in use; stop what uses it or set ${variable} to a free port`);
    else if (error) taken.push(`port ${port} (${variable}) cannot be opened on ${host}: ${error}`);
  }
  if (taken.length > 0) throw new Error(taken.join('\n'));
}

function tryListen(port: number, host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
