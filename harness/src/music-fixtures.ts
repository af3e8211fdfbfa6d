import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';

/** The tones of every `writeTestAlbum` track: 300 Hz on the left, 500 Hz on the right. */
export const TEST_ALBUM_TONES = { leftHz: 300, rightHz: 500 } as const;

/**
 * Writes one album of tagged stereo WAV tracks (`TEST_ALBUM_TONES`, 1 s each unless `seconds`)
 * into `musicDir/artist/album/`, named `01 - Title.wav` and so on, as a music folder a host would scan.
 */
export function writeTestAlbum(
  musicDir: string,
  artist: string,
  album: string,
  titles: string[],
  seconds = 1,
): void {
  const folder = join(musicDir, artist, album);
  mkdirSync(folder, { recursive: true });
  for (const [i, title] of titles.entries())
    writeFileSync(
      join(folder, `${String(i + 1).padStart(2, '0')} - ${title}.wav`),
      synthWav({ seconds, ...TEST_ALBUM_TONES, id3: { title, artist, album } }),
    );
}
