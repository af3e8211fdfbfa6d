import { opendir } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';

/** Extensions the scanner reads: MP3, FLAC, Ogg Opus/Vorbis, M4A/MP4 audio, WAV. */
export const AUDIO_EXTENSIONS = new Set(['.mp3', '.flac', '.ogg', '.oga', '.opus', '.m4a', '.mp4', '.wav']);

/** Relative paths of audio files under `root`, streamed (no full tree in memory), sorted per folder. */
export async function* walkAudioFiles(root: string, folder = root): AsyncGenerator<string> {
  const entries: { name: string; isDirectory: boolean }[] = [];
  for await (const entry of await opendir(folder)) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory() || (entry.isFile() && AUDIO_EXTENSIONS.has(extname(entry.name).toLowerCase()))) {
      entries.push({ name: entry.name, isDirectory: entry.isDirectory() });
    }
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) yield* walkAudioFiles(root, path);
    else yield relative(root, path);
  }
}
