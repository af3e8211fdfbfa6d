/** The browser around a session, for its unit tests: timers run by hand, storage in memory. */
import type { Every } from '../host-metadata';

/** Interval timers the test runs by hand. */
export class FakeTimers {
  readonly tasks = new Set<() => void>();

  readonly every: Every = (_ms, task) => {
    this.tasks.add(task);
    return () => this.tasks.delete(task);
  };

  runAll(): void {
    for (const task of this.tasks) task();
  }
}

/** sessionStorage, in memory. */
export class MemoryStorage {
  readonly #items = new Map<string, string>();

  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }

  removeItem(key: string): void {
    this.#items.delete(key);
  }
}

/** Lets every pending promise chain run (the fakes answer in microtasks). */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The host's app server as far as the live party goes: what it was told to remember. */
export class FakeRememberedParty {
  sessionId: string | null = null;
  readonly calls: string[] = [];

  remember(sessionId: string): void {
    this.calls.push(`remember ${sessionId}`);
    this.sessionId = sessionId;
  }

  forget(sessionId: string): void {
    this.calls.push(`forget ${sessionId}`);
    if (this.sessionId === sessionId) this.sessionId = null;
  }
}
