import { describe, expect, it } from 'vitest';
import { type KeyPress, SHORTCUTS, shortcutFor } from './player-shortcuts';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  defaultPrevented: false,
  target: { tagName: 'BODY' },
  ...extra,
});

describe('player keyboard shortcuts', () => {
  it('maps space, arrows, N, P and ? to player actions', () => {
    expect(shortcutFor(press(' '))).toBe('toggle');
    expect(shortcutFor(press('ArrowLeft'))).toBe('seek-back');
    expect(shortcutFor(press('ArrowRight'))).toBe('seek-forward');
    expect(shortcutFor(press('ArrowUp', { shiftKey: true }))).toBe('volume-up');
    expect(shortcutFor(press('ArrowDown', { shiftKey: true }))).toBe('volume-down');
    expect(shortcutFor(press('N', { shiftKey: true }))).toBe('next');
    expect(shortcutFor(press('p'))).toBe('previous');
    expect(shortcutFor(press('?', { shiftKey: true }))).toBe('help');
  });

  it('leaves the page its own keys: scrolling, typing, focused buttons and browser shortcuts', () => {
    expect(shortcutFor(press('ArrowUp'))).toBeNull();
    expect(shortcutFor(press('ArrowDown'))).toBeNull();
    expect(shortcutFor(press('x'))).toBeNull();
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT'])
      expect(shortcutFor(press('ArrowRight', { target: { tagName } }))).toBeNull();
    expect(shortcutFor(press('n', { target: { tagName: 'DIV', isContentEditable: true } }))).toBeNull();
    // Space on a focused button or link activates it; toggling too would undo the click.
    expect(shortcutFor(press(' ', { target: { tagName: 'BUTTON' } }))).toBeNull();
    expect(shortcutFor(press(' ', { target: { tagName: 'A' } }))).toBeNull();
    const inDialog = (open: boolean) => ({
      tagName: 'BUTTON',
      closest: (selector: string) => (selector === 'dialog:not([open])' && !open ? {} : null),
    });
    expect(shortcutFor(press(' ', { target: inDialog(true) }))).toBeNull();
    // The help's Close button right after Escape closed it: Space toggles, as it does everywhere else.
    expect(shortcutFor(press(' ', { target: inDialog(false) }))).toBe('toggle');
    expect(shortcutFor(press('ArrowRight', { target: { tagName: 'BUTTON' } }))).toBe('seek-forward');
    expect(shortcutFor(press('ArrowLeft', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('p', { metaKey: true }))).toBeNull();
    expect(shortcutFor(press('n', { altKey: true }))).toBeNull();
    expect(shortcutFor(press(' ', { defaultPrevented: true }))).toBeNull();
  });

  it('lists every action once in the help overlay', () => {
    const actions = SHORTCUTS.map((shortcut) => shortcut.action);
    expect(new Set(actions).size).toBe(actions.length);
    expect(actions).toEqual(
      expect.arrayContaining(['toggle', 'seek-back', 'seek-forward', 'volume-up', 'volume-down', 'help']),
    );
  });
});
