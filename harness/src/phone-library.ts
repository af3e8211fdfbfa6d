/**
 * A small library for the page tests: enough releases that covers reach below a phone's fold, one
 * large JPEG cover (so a thumbnail is measurably smaller than the original), a compilation, and
 * long names that would push a careless layout sideways.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthWav } from '@dmp-party/app/synth-audio';
import { synthCoverPng } from '@dmp-party/app/synth-image';
import sharp from 'sharp';

export const BIG_COVER_ALBUM = 'Harbour Lights';
export const LONG_TITLE = 'An Extraordinarily Long Song Title That Keeps Going Well Past Any Phone Width';

export async function writePhoneLibrary(musicDir: string): Promise<void> {
  const albums = [
    BIG_COVER_ALBUM,
    'Low Orbit',
    'Tiny Rooms',
    'Night Ferry',
    'Kitchen Radio',
    'Stairwell',
    'Skylight',
    'Apogee',
    'Reentry',
  ];
  for (const [index, album] of albums.entries()) {
    const artist = index % 2 === 0 ? 'Aurora Tide' : 'Mira Kovač With A Rather Long Band Name';
    const folder = join(musicDir, artist, album);
    mkdirSync(folder, { recursive: true });
    const cover =
      album === BIG_COVER_ALBUM
        ? await sharp(synthCoverPng(300, [20, 40, 120], [220, 120, 40]))
            .resize(1200, 1200)
            .jpeg({ quality: 92 })
            .toBuffer()
        : synthCoverPng(400, [index * 25, 60, 160 - index * 10], [240, 160, index * 20]);
    writeFileSync(join(folder, album === BIG_COVER_ALBUM ? 'cover.jpg' : 'cover.png'), cover);
    for (const [number, title] of [
      `${album} Opening`,
      index === 0 ? LONG_TITLE : `${album} Closer`,
    ].entries())
      writeFileSync(
        join(folder, `0${number + 1} - track.wav`),
        synthWav({
          seconds: 20,
          sampleRate: 8000,
          leftHz: 300 + index * 20,
          rightHz: 500 + index * 20,
          id3: { title, artist, album, trackNumber: String(number + 1), year: String(2015 + index) },
        }),
      );
  }
  const compilation = join(musicDir, 'Compilations', 'Friends of DMP');
  mkdirSync(compilation, { recursive: true });
  for (const [number, artist] of ['The Loopbacks', 'Aurora Tide'].entries())
    writeFileSync(
      join(compilation, `0${number + 1} - song.wav`),
      synthWav({
        seconds: 5,
        sampleRate: 8000,
        leftHz: 440,
        rightHz: 660,
        id3: {
          title: `Signal ${number + 1}`,
          artist,
          album: 'Friends of DMP',
          performerInfo: 'Various Artists',
        },
      }),
    );
}
