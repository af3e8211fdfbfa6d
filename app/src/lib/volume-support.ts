/**
 * Whether this browser lets a page set an audio element's volume. iOS ignores `volume` (the
 * hardware buttons rule): an element's volume reads back as 1 after setting it, so a volume slider
 * there would do nothing and is not shown.
 */
export function volumeIsAdjustable(): boolean {
  const probe = document.createElement('audio');
  probe.volume = 0.5;
  return probe.volume === 0.5;
}
