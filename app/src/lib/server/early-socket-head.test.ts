import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EARLY_SOCKET_SLOT, earlySocketHead, fillEarlySocketSlot } from './early-socket-head';

const partyOn = { PARTY_ENABLED: true, PARTY_URL: 'https://party.example' };
const invite = (id: string, routeId: string | null = '/party/[id]') => ({
  route: { id: routeId },
  params: { id },
  url: new URL(`https://listen.example/party/${id}`),
});

describe('the early socket in the HTML head', () => {
  it('app.html has the slot before the stylesheets and scripts SvelteKit adds', () => {
    const html = readFileSync(new URL('../../app.html', import.meta.url), 'utf8');
    expect(html.indexOf(EARLY_SOCKET_SLOT)).toBeGreaterThan(0);
    expect(html.indexOf(EARLY_SOCKET_SLOT)).toBeLessThan(html.indexOf('%sveltekit.head%'));
  });

  it('is the invite page’s socket script, for the edge the site is configured with', () => {
    const script = earlySocketHead(invite('AbCdEfGhIjKl'), partyOn);
    expect(script.startsWith('<script>')).toBe(true);
    expect(script).toContain('wss://party.example/party/AbCdEfGhIjKl/ws');
  });

  it('is nothing on other pages, for a malformed party id, or with party mode off', () => {
    expect(earlySocketHead(invite('AbCdEfGhIjKl', '/releases/[id]'), partyOn)).toBe('');
    expect(earlySocketHead(invite('no spaces allowed'), partyOn)).toBe('');
    expect(earlySocketHead(invite('AbCdEfGhIjKl'), { PARTY_ENABLED: false, PARTY_URL: undefined })).toBe('');
  });

  it('fills the slot with the script exactly, `$` patterns in its text included', () => {
    const page = `<head>${EARLY_SOCKET_SLOT}<link rel="stylesheet"></head>`;
    for (const script of [
      earlySocketHead(invite('AbCdEfGhIjKl'), partyOn),
      "<script>/(.*)$`/;'$&$'$1'</script>",
    ])
      expect(fillEarlySocketSlot(page, script)).toBe(`<head>${script}<link rel="stylesheet"></head>`);
    expect(fillEarlySocketSlot(page, '')).toBe('<head><link rel="stylesheet"></head>');
  });
});
