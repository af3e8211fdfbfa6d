/**
 * With MUSIC_DIR unset, a fresh start shows a real catalog: a few artists and releases of short
 * synthesized stereo tracks (different tones left and right), with cover art, embedded and in folders.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthWav } from './synth-audio';
import { synthCoverPng } from './synth-image';

interface DemoRelease {
  artist: string;
  album: string;
  year: string;
  /** The cover's gradient, from top left to bottom right (CSS hex colours). */
  colors: [string, string];
  tracks: { title: string; artist?: string }[];
  embedCover?: boolean;
}

const DEMO: DemoRelease[] = [
  {
    artist: 'Aurora Tide',
    album: 'Low Orbit',
    year: '2024',
    colors: ['#142878', '#dc7828'],
    tracks: [{ title: 'Liftoff' }, { title: 'Apogee' }, { title: 'Reentry' }],
  },
  {
    artist: 'Aurora Tide',
    album: 'Harbour Lights',
    year: '2022',
    colors: ['#0a5a50', '#f0dc78'],
    tracks: [{ title: 'Tugboats' }, { title: 'Night Ferry' }],
    embedCover: true,
  },
  {
    artist: 'Mira Kovač',
    album: 'Tiny Rooms',
    year: '2023',
    colors: ['#78143c', '#fac8d2'],
    tracks: [{ title: 'Kitchen Radio' }, { title: 'Stairwell' }, { title: 'Skylight' }],
  },
  {
    artist: 'Various Artists',
    album: 'Friends of DMP, Vol. 1',
    year: '2025',
    colors: ['#1e1e1e', '#78e6a0'],
    tracks: [
      { title: 'Signal', artist: 'The Loopbacks' },
      { title: 'Jitter Buffer', artist: 'Mira Kovač' },
      { title: 'Open Invite', artist: 'Aurora Tide' },
    ],
  },
];

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** Writes the demo library into `dir` unless it already holds files. Returns the folder. */
export function ensureDemoLibrary(dir: string, secondsPerTrack = 20): string {
  if (existsSync(dir) && readdirSync(dir).length > 0) return dir;
  let tone = 0;
  for (const release of DEMO) {
    const folder = join(dir, release.artist, release.album);
    mkdirSync(folder, { recursive: true });
    const cover = synthCoverPng(256, hexToRgb(release.colors[0]), hexToRgb(release.colors[1]));
    if (!release.embedCover) writeFileSync(join(folder, 'cover.png'), cover);
    for (const [index, track] of release.tracks.entries()) {
      tone++;
      const number = String(index + 1).padStart(2, '0');
      const wav = synthWav({
        seconds: secondsPerTrack,
        leftHz: 220 + tone * 30,
        rightHz: 330 + tone * 45,
        id3: {
          title: track.title,
          artist: track.artist ?? release.artist,
          performerInfo: release.artist,
          album: release.album,
          year: release.year,
          trackNumber: `${index + 1}/${release.tracks.length}`,
          partOfSet: '1/1',
          ...(release.embedCover
            ? {
                image: {
                  mime: 'image/png',
                  type: { id: 3, name: 'front cover' },
                  description: 'cover',
                  imageBuffer: cover,
                },
              }
            : {}),
        },
      });
      writeFileSync(join(folder, `${number} - ${track.title}.wav`), wav);
    }
  }
  return dir;
}
