/**
 * The host player's keyboard shortcuts: which key does what, and when a key press is the page's
 * rather than the player's (typing in a field, activating a focused button, a browser shortcut).
 * Plain data and one function, so the help overlay lists exactly what the handler does.
 */
export type PlayerAction =
  | 'toggle'
  | 'seek-back'
  | 'seek-forward'
  | 'volume-up'
  | 'volume-down'
  | 'next'
  | 'previous'
  | 'help';

export interface Shortcut {
  /** How the help overlay shows the keys. */
  keys: string[];
  action: PlayerAction;
  description: string;
}

export const SEEK_STEP_MS = 5_000;
export const VOLUME_STEP = 0.1;

export const SHORTCUTS: Shortcut[] = [
  { keys: ['Space'], action: 'toggle', description: 'Play or pause' },
  { keys: ['←'], action: 'seek-back', description: `Back ${SEEK_STEP_MS / 1000} seconds` },
  { keys: ['→'], action: 'seek-forward', description: `Forward ${SEEK_STEP_MS / 1000} seconds` },
  { keys: ['Shift', '↑'], action: 'volume-up', description: 'Volume up' },
  { keys: ['Shift', '↓'], action: 'volume-down', description: 'Volume down' },
  { keys: ['N'], action: 'next', description: 'Next track' },
  { keys: ['P'], action: 'previous', description: 'Previous track (or back to the start)' },
  { keys: ['?'], action: 'help', description: 'Show these shortcuts' },
];

/** The parts of a KeyboardEvent the decision needs (a plain object in unit tests). */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
  target: EventTarget | KeyTarget | null;
}

interface KeyTarget {
  tagName?: string;
  isContentEditable?: boolean;
  closest?(selector: string): unknown;
}

const TYPING = ['INPUT', 'TEXTAREA', 'SELECT'];
/** Elements that Space activates by themselves. */
const SPACE_ACTIVATES = ['BUTTON', 'A', 'SUMMARY'];

function actionOf(key: string, shift: boolean): PlayerAction | undefined {
  // Up and down scroll the page unless Shift is held, so only Shift+arrow changes the volume.
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    if (!shift) return undefined;
    return key === 'ArrowUp' ? 'volume-up' : 'volume-down';
  }
  const simple: Record<string, PlayerAction> = {
    ' ': 'toggle',
    ArrowLeft: 'seek-back',
    ArrowRight: 'seek-forward',
    n: 'next',
    p: 'previous',
    '?': 'help',
  };
  return simple[key.length === 1 ? key.toLowerCase() : key];
}

/** The player action a key press asks for, or null when the press belongs to the page. */
export function shortcutFor(press: KeyPress): PlayerAction | null {
  if (press.defaultPrevented || press.ctrlKey || press.metaKey || press.altKey) return null;
  const action = actionOf(press.key, press.shiftKey);
  if (!action) return null;
  const target = press.target as KeyTarget | null;
  const tag = target?.tagName ?? '';
  if (TYPING.includes(tag) || target?.isContentEditable) return null;
  // Focus leaves a dialog that has just closed (the shortcuts help after Escape) only at the next
  // rendering step: a key pressed before then still targets its Close button, which Space would
  // not activate anyway, so Space is the player's.
  const inClosedDialog = target?.closest?.('dialog:not([open])') != null;
  if (press.key === ' ' && SPACE_ACTIVATES.includes(tag) && !inClosedDialog) return null;
  return action;
}
