/**
 * Media node entry point: validates configuration, starts the workers and serves the API.
 * SIGTERM drains (the edge moves the node's parties to other nodes, up to MEDIA_NODE_DRAIN_SECONDS),
 * then, as SIGINT does at once, stops accepting requests, closes every session and worker, exits 0.
 */
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig } from './config';
import { moduleLogger } from './logger';
import { startMediaNode } from './media-node';
import { resolveWorkerBinary } from './worker-location';

const log = moduleLogger('main');

async function main(): Promise<void> {
  const config = loadConfig();
  const node = await startMediaNode(config, resolveWorkerBinary());
  const server = serve(
    { fetch: node.app.fetch, port: config.httpPort, hostname: config.httpHost },
    (info) => {
      log.info(
        { address: info.address, port: info.port, workers: config.workerCount },
        'media node listening',
      );
      // The edge can reach us now: parties we served before a restart rebuild their media at once.
      node.announceStart();
    },
  );
  server.on('error', (error: NodeJS.ErrnoException) => {
    log.fatal(
      error.code === 'EADDRINUSE'
        ? `MEDIA_NODE_PORT ${config.httpPort} is already in use on ${config.httpHost}`
        : { err: error },
      'cannot listen',
    );
    process.exit(1);
  });

  let draining = false;
  const drain = (signal: string) => {
    if (draining) return;
    draining = true;
    log.info({ signal, timeoutSeconds: config.drainSeconds }, 'draining');
    // The API stays up while the edge moves this node's parties elsewhere; Ctrl-C does not wait.
    node
      .drain(signal === 'SIGTERM' ? config.drainSeconds * 1000 : 0)
      .then(() => {
        server.close();
        return node.close();
      })
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGTERM', () => drain('SIGTERM'));
  process.on('SIGINT', () => drain('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    log.fatal({ err: error }, 'media node failed to start');
  }
  process.exit(1);
});
