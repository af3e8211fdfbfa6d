/** `npm run lint`'s import check: exits 1 and lists every import that crosses a workspace wrongly. */
import { findImportViolations } from './workspace-imports';

const violations = findImportViolations(process.cwd());
for (const { file, line, specifier, reason } of violations)
  console.error(`${file}:${line}: '${specifier}': ${reason}`);
if (violations.length > 0) {
  console.error(`\n${violations.length} import(s) cross workspaces; see docs/ARCHITECTURE.md.`);
  process.exit(1);
}
