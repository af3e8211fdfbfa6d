/**
 * Keeps the player's queue and position in sessionStorage, so a refresh or a navigation that
 * reloads the page (the party host's most common "reconnect") picks up where it was.
 */
import { getAudioElement, player, restoreQueue } from './player.svelte';
import type { PlayableTrack } from './types';

const KEY = 'dmp.player';

interface SavedPlayer {
  queue: PlayableTrack[];
  index: number;
  positionMs: number;
  playing: boolean;
}

function save(): void {
  if (player.index < 0) return;
  const saved: SavedPlayer = {
    queue: player.queue,
    index: player.index,
    positionMs: Math.round(getAudioElement().currentTime * 1000),
    playing: !getAudioElement().paused,
  };
  sessionStorage.setItem(KEY, JSON.stringify(saved));
}

function read(): SavedPlayer | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as SavedPlayer | null;
    return saved && Array.isArray(saved.queue) && saved.queue[saved.index] ? saved : null;
  } catch {
    return null;
  }
}

/**
 * Restores the saved player (if any) and keeps saving it. Resolves to false when playback should
 * have resumed but the browser's autoplay policy refused it.
 */
export async function persistPlayer(): Promise<boolean> {
  const element = getAudioElement();
  for (const event of ['play', 'pause', 'seeked', 'loadedmetadata']) element.addEventListener(event, save);
  let lastSave = 0;
  element.addEventListener('timeupdate', () => {
    if (Date.now() - lastSave < 1000) return;
    lastSave = Date.now();
    save();
  });
  addEventListener('pagehide', save);
  const saved = read();
  if (!saved) return true;
  return restoreQueue(saved.queue, saved.index, saved.positionMs, saved.playing);
}
