/**
 * A listener's browser identity (issue 14): an id kept in localStorage, so the host's "remove"
 * holds for this browser, and the display name the listener picked (anonymous until then).
 */
import { DisplayNameSchema } from '@dmp-party/protocol';

/** Where the id lives (the invite page's head script reads it too: `early-socket.ts`). */
export const LISTENER_ID_KEY = 'dmp-party-listener-id';
export const LISTENER_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
const NAME_KEY = 'dmp-party-listener-name';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** This browser's listener id (made on first use). */
export function listenerId(): string {
  const store = storage();
  const saved = store?.getItem(LISTENER_ID_KEY);
  if (saved && LISTENER_ID_PATTERN.test(saved)) return saved;
  const id = crypto.randomUUID().replace(/-/g, '');
  store?.setItem(LISTENER_ID_KEY, id);
  return id;
}

export function savedName(): string | null {
  const parsed = DisplayNameSchema.safeParse(storage()?.getItem(NAME_KEY) ?? '');
  return parsed.success ? parsed.data : null;
}

export function saveName(name: string | null): void {
  if (name === null) storage()?.removeItem(NAME_KEY);
  else storage()?.setItem(NAME_KEY, name);
}
