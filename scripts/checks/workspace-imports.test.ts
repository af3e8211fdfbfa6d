import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findImportViolations } from './workspace-imports';

const repoRoot = join(import.meta.dirname, '..', '..');
let fixture: string | undefined;

/** A throwaway repository with two workspaces, written file by file. */
function fixtureRepo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dmp-imports-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  execFileSync('git', ['init', '-q'], { cwd: root });
  fixture = root;
  return root;
}

const workspaces = {
  'package.json': JSON.stringify({ name: 'root', workspaces: ['alpha', 'beta'] }),
  'alpha/package.json': JSON.stringify({ name: '@fx/alpha', exports: { '.': './src/index.ts' } }),
  'beta/package.json': JSON.stringify({ name: '@fx/beta', exports: { '.': './src/index.ts' } }),
  'beta/src/index.ts': "export { inner } from './inner';\n",
  'beta/src/inner.ts': 'export const inner = 1;\n',
};

afterEach(() => {
  if (fixture) rmSync(fixture, { recursive: true, force: true });
  fixture = undefined;
});

describe('the workspace import check', () => {
  it('fails on a relative import that leaves its workspace, and on a deep import of an unexported path', () => {
    const root = fixtureRepo({
      ...workspaces,
      'alpha/src/index.ts': [
        "import { inner } from '../../beta/src/inner';",
        "import { inner as again } from '@fx/beta/src/inner';",
        "import { inner as fine } from '@fx/beta';",
        "import { local } from './local';",
        'export const all = [inner, again, fine, local];',
      ].join('\n'),
      'alpha/src/local.ts': 'export const local = 2;\n',
    });
    const violations = findImportViolations(root);
    expect(violations).toEqual([
      expect.objectContaining({ file: 'alpha/src/index.ts', line: 1, specifier: '../../beta/src/inner' }),
      expect.objectContaining({
        file: 'alpha/src/index.ts',
        line: 2,
        reason: "@fx/beta does not export './src/inner'",
      }),
    ]);
    expect(violations[0]?.reason).toMatch(/relative import leaves alpha for beta/);
  });

  it('counts the root package as a workspace of its own', () => {
    const root = fixtureRepo({ ...workspaces, 'scripts/tool.ts': "import '../beta/src/inner';\n" });
    expect(findImportViolations(root)).toEqual([
      expect.objectContaining({ file: 'scripts/tool.ts', specifier: '../beta/src/inner' }),
    ]);
  });

  it('finds nothing in this repository', () => {
    expect(findImportViolations(repoRoot)).toEqual([]);
  });
});
