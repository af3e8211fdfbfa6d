import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Children spawned with `detached: true` lead their own process group; signalling the group (a
 * negative pid) reaches their children too (wrangler's workerd, tsx's node, mediasoup workers).
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/** SIGTERM to each child's group, SIGKILL to those still there after `graceMs`. */
export async function stopGroups(children: ChildProcess[], graceMs: number): Promise<void> {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) signalGroup(child, 'SIGTERM');
  const killer = setTimeout(() => {
    for (const child of running) signalGroup(child, 'SIGKILL');
  }, graceMs);
  await Promise.all(
    running.map((child) =>
      child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined,
    ),
  );
  clearTimeout(killer);
  // A group leader can exit before its children (wrangler before workerd): nothing may keep a port.
  for (const child of running) signalGroup(child, 'SIGKILL');
}
