/**
 * Between workspaces, only package names and public exports: a relative import that leaves its
 * workspace, or a deep import of a path another workspace does not export, is reported. The root
 * package (scripts, bench, configs) counts as a workspace of its own.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface ImportViolation {
  file: string;
  line: number;
  specifier: string;
  reason: string;
}

interface Workspace {
  dir: string;
  name: string;
  exports: Set<string>;
}

const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs|svelte)$/;
/** `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g;

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function workspacesOf(root: string): Workspace[] {
  const rootPackage = readJson(join(root, 'package.json'));
  const dirs = (rootPackage.workspaces as string[] | undefined) ?? [];
  return dirs.map((dir) => {
    const manifest = readJson(join(root, dir, 'package.json'));
    const exported = manifest.exports;
    const keys =
      typeof exported === 'object' && exported !== null ? Object.keys(exported) : exported ? ['.'] : [];
    return { dir: resolve(root, dir), name: String(manifest.name), exports: new Set(keys) };
  });
}

/** The workspace folder a path belongs to; the root package is ''. */
function owner(path: string, workspaces: Workspace[]): string {
  return (
    workspaces.find((workspace) => path === workspace.dir || path.startsWith(workspace.dir + sep))?.dir ?? ''
  );
}

function sourceFiles(root: string): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  return listed
    .split('\n')
    .filter((file) => SOURCE_FILE.test(file) && !file.endsWith('.d.ts'))
    .map((file) => join(root, file));
}

function checkPackageImport(specifier: string, workspaces: Workspace[]): string | undefined {
  const target = workspaces.find(
    (workspace) => specifier === workspace.name || specifier.startsWith(`${workspace.name}/`),
  );
  if (!target) return undefined;
  const subpath = `.${specifier.slice(target.name.length)}`;
  return target.exports.has(subpath) ? undefined : `${target.name} does not export '${subpath}'`;
}

export function findImportViolations(root: string): ImportViolation[] {
  const workspaces = workspacesOf(root);
  const violations: ImportViolation[] = [];
  for (const file of sourceFiles(root)) {
    const from = owner(file, workspaces);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      for (const match of text.matchAll(SPECIFIER)) {
        const specifier = match[2] ?? '';
        let reason: string | undefined;
        if (specifier.startsWith('.')) {
          const to = owner(resolve(dirname(file), specifier), workspaces);
          if (to !== from)
            reason = `relative import leaves ${relative(root, from) || 'the root package'} for ${relative(root, to) || 'the root package'}; import the package by name`;
        } else {
          reason = checkPackageImport(specifier, workspaces);
        }
        if (reason) violations.push({ file: relative(root, file), line: index + 1, specifier, reason });
      }
    });
  }
  return violations;
}
