import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';

/**
 * Writes one album of short tagged stereo WAV tracks (300 Hz left, 500 Hz right) into
 * `musicDir/artist/album/`, named `01 - Title.wav` and so on, as a music folder a host would scan.
 */
export function writeTestAlbum(musicDir: string, artist: string, album: string, titles: string[]): void {
  const folder = join(musicDir, artist, album);
  mkdirSync(folder, { recursive: true });
  for (const [i, title] of titles.entries())
    writeFileSync(
      join(folder, `${String(i + 1).padStart(2, '0')} - ${title}.wav`),
      synthWav({ seconds: 1, leftHz: 300, rightHz: 500, id3: { title, artist, album } }),
    );
}
