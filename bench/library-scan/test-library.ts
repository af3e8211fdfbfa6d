/**
 * The scan benchmark's music folder: releases of 10 tracks in `Artist/Album/` folders (20 artists),
 * every file tagged with title, artist, album and track number. `wav`: PCM WAV with an ID3 chunk,
 * as the demo library makes. `encoded`: release folders alternately MP3 and FLAC (see
 * encoded-library.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';
import { encodedFileMaker, type FileTags } from './encoded-library';

export type LibraryFormat = 'wav' | 'encoded';

const TRACKS_PER_RELEASE = 10;

export function writeTestLibrary(musicDir: string, files: number, format: LibraryFormat): void {
  const encoded = format === 'encoded' ? encodedFileMaker() : undefined;
  for (let i = 0; i < files; i++) {
    const release = Math.floor(i / TRACKS_PER_RELEASE);
    const tags: FileTags = {
      title: `Track ${i}`,
      artist: `Artist ${release % 20}`,
      album: `Album ${release}`,
      track: (i % TRACKS_PER_RELEASE) + 1,
    };
    const folder = join(musicDir, tags.artist, tags.album);
    if (tags.track === 1) mkdirSync(folder, { recursive: true });
    const name = join(folder, `${String(tags.track).padStart(2, '0')} - ${tags.title}`);
    if (encoded) {
      const extension = release % 2 === 0 ? 'mp3' : 'flac';
      writeFileSync(`${name}.${extension}`, encoded[extension](tags));
    } else {
      const wav = synthWav({
        seconds: 0.1,
        leftHz: 200 + (i % 50),
        rightHz: 300 + (i % 70),
        id3: { title: tags.title, artist: tags.artist, album: tags.album, trackNumber: String(tags.track) },
      });
      writeFileSync(`${name}.wav`, wav);
    }
  }
}
