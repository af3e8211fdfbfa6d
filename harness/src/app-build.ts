import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time under `dir` (recursively). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Whether `app/build` (adapter-node) is older than anything it is built from: the app's sources,
 * static files, build configuration, the protocol package and the installed dependencies. A warm
 * `npm start` then skips the ~20 s build.
 */
export function appBuildIsStale(root: string): boolean {
  const built = join(root, 'app', 'build', 'handler.js');
  if (!existsSync(built)) return true;
  const inputs = [
    newestMtime(join(root, 'app', 'src')),
    newestMtime(join(root, 'app', 'static')),
    newestMtime(join(root, 'protocol', 'src')),
    ...['app/svelte.config.js', 'app/vite.config.ts', 'app/package.json', 'package-lock.json'].map(
      (file) => statSync(join(root, file)).mtimeMs,
    ),
  ];
  return statSync(built).mtimeMs < Math.max(...inputs);
}
