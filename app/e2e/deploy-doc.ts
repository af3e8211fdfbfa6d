/**
 * docs/DEPLOY.md as a script: its shell blocks, split into commands and words the way `sh` reads
 * the simple forms the document uses (quotes, `\` line continuations, `#` comments; `$(...)` stays
 * literal). The production topology test runs what these say, so the document cannot drift from
 * what was run.
 */
import { readFileSync } from 'node:fs';

const DEPLOY_DOC = new URL('../../docs/DEPLOY.md', import.meta.url);

/** The fenced code blocks in the section under the heading that starts with `heading`. */
export function codeBlocksUnder(heading: string, doc = readFileSync(DEPLOY_DOC, 'utf8')): string[] {
  // Heading levels per line, none inside fences (a shell comment there starts with `#` too).
  let fenced = false;
  const levels = doc.split('\n').map((line) => {
    if (line.startsWith('```')) fenced = !fenced;
    return fenced ? undefined : /^(#+) /.exec(line)?.[1]?.length;
  });
  const lines = doc.split('\n');
  const start = lines.findIndex((line, i) => levels[i] && line.replace(/^#+ /, '').startsWith(heading));
  if (start < 0) throw new Error(`docs/DEPLOY.md has no section "${heading}"`);
  const end = levels.findIndex(
    (level, i) => i > start && level !== undefined && level <= (levels[start] ?? 0),
  );
  const section = lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
  return [...section.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? '');
}

/** One block's commands, each as its words. */
export function commandsIn(block: string): string[][] {
  return block
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(shellWords)
    .filter((words) => words.length > 0);
}

/** Splits one command line into words: quotes group, a `#` starting a word starts a comment. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const char of line) {
    if (quote) {
      if (char === quote) quote = undefined;
      else word = (word ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === '#' && word === undefined) {
      break;
    } else word = (word ?? '') + char;
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`);
  if (word !== undefined) words.push(word);
  return words;
}

/** `NAME=value ... command args`: the leading assignments and the command after them. */
export function splitAssignments(words: string[]): { env: Map<string, string>; command: string[] } {
  const env = new Map<string, string>();
  let index = 0;
  for (; index < words.length; index++) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(words[index] ?? '');
    if (!match) break;
    env.set(match[1] as string, match[2] as string);
  }
  return { env, command: words.slice(index) };
}
