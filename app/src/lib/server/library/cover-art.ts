import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';

export interface CoverImage {
  id: string;
  mimeType: string;
  data: Uint8Array;
}

const FOLDER_COVER_NAMES = ['cover', 'folder', 'front', 'album', 'albumart'];
const IMAGE_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

export function coverFromBytes(data: Uint8Array, mimeType: string): CoverImage {
  return { id: createHash('sha256').update(data).digest('base64url').slice(0, 32), mimeType, data };
}

/** A cover image next to the audio file (cover.jpg, folder.png, ...), or undefined. */
export async function folderCover(audioFile: string): Promise<CoverImage | undefined> {
  const folder = dirname(audioFile);
  const names = await readdir(folder).catch(() => []);
  for (const wanted of FOLDER_COVER_NAMES) {
    const name = names.find((candidate) => {
      const extension = extname(candidate).toLowerCase();
      return extension in IMAGE_TYPES && candidate.slice(0, -extension.length).toLowerCase() === wanted;
    });
    if (name) {
      const mimeType = IMAGE_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
      return coverFromBytes(await readFile(join(folder, name)), mimeType);
    }
  }
  return undefined;
}
