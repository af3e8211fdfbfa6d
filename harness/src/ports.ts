import { createServer } from 'node:net';

/**
 * Port plan for tests that run at the same time (vitest runs the node and workerd projects
 * concurrently). Fixed media ranges sit below Linux's ephemeral range (32768+), where outgoing
 * connections and OS-assigned ports live, and each concurrent user gets its own block, so no two
 * components can pick the same port.
 */
export const TEST_RTC_BLOCKS = {
  /** media-node tests: one in-process node at a time. */
  mediaNodeTests: { start: 20_000, blocks: 10, size: 500 },
  /** media node processes started by process-level tests. */
  processTests: { start: 25_000, blocks: 4, size: 500 },
  /** the edge project's shared media node (globalSetup). */
  edgeTests: { start: 27_000, blocks: 6, size: 500 },
  /** the edge end-to-end tests under wrangler dev. */
  edgeE2e: { start: 30_000, blocks: 3, size: 500 },
  /** the party end-to-end tests and benchmarks (browsers, edge, media node and apps together). */
  partyE2e: { start: 31_500, blocks: 4, size: 250 },
  /** network-fault tests and the loss benchmark (their nftables rules name these ports). */
  networkFaults: { start: 18_000, blocks: 4, size: 500 },
  /** `npm start` from a fresh clone (scripts/start/npm-start.test.ts). */
  npmStart: { start: 32_500, blocks: 1, size: 200 },
  /** several media node processes for one party (cascade tests and benchmarks). */
  multiNode: { start: 16_000, blocks: 8, size: 200 },
  /** the media node's container (host network), in tests and benchmarks. */
  mediaContainer: { start: 32_700, blocks: 3, size: 20 },
} as const;

/** A random block of RTC ports for `owner`: `[min, max]`. */
export function rtcPortBlock(owner: keyof typeof TEST_RTC_BLOCKS): { min: number; max: number } {
  return rtcPortBlocks(owner)[0] as { min: number; max: number };
}

/** Every block of `owner`, in random order: to try another when one is taken. */
export function rtcPortBlocks(owner: keyof typeof TEST_RTC_BLOCKS): { min: number; max: number }[] {
  const { start, blocks, size } = TEST_RTC_BLOCKS[owner];
  return Array.from({ length: blocks }, (_, i) => ({
    min: start + i * size,
    max: start + (i + 1) * size - 1,
  }))
    .map((block) => ({ block, order: Math.random() }))
    .sort((a, b) => a.order - b.order)
    .map(({ block }) => block);
}

/** A TCP port the OS reports free right now (for a server started by a child process). */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
