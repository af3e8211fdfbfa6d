import { basename, dirname, extname, sep } from 'node:path';

/** What a file's location says when its tags do not: `Artist/Album/01 - Title.ext`. */
export interface PathGuess {
  artist: string | undefined;
  album: string | undefined;
  title: string;
  trackNumber: number | undefined;
  discNumber: number | undefined;
}

const DISC_FOLDER = /^(?:cd|dis[ck])\s*(\d{1,2})$/i;

export function guessFromPath(relativePath: string): PathGuess {
  const stem = basename(relativePath, extname(relativePath));
  const folders = dirname(relativePath)
    .split(sep)
    .filter((part) => part && part !== '.');
  let discNumber: number | undefined;
  const last = folders.at(-1);
  const discMatch = last ? DISC_FOLDER.exec(last) : null;
  if (discMatch) {
    discNumber = Number(discMatch[1]);
    folders.pop();
  }
  const numbered = /^(?:(\d)[-.])?(\d{1,3})\s*[-._ ]\s*(.+)$/.exec(stem);
  return {
    album: folders.at(-1),
    artist: folders.at(-2),
    title: (numbered?.[3] ?? stem).trim(),
    trackNumber: numbered?.[2] ? Number(numbered[2]) : undefined,
    discNumber: discNumber ?? (numbered?.[1] ? Number(numbered[1]) : undefined),
  };
}
