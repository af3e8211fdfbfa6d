/** A reactive "now" that ticks while a component shows live progress. */
export function liveClock(everyMs = 250) {
  const clock = $state({ now: Date.now() });
  $effect(() => {
    const timer = setInterval(() => {
      clock.now = Date.now();
    }, everyMs);
    return () => clearInterval(timer);
  });
  return clock;
}
