/**
 * Cuts the host page's network for a while, as a Wi-Fi drop would: the page goes offline
 * (Playwright: no new HTTP or WebSocket connections, the open ones stall) and, since that does not
 * touch WebRTC, nftables drops every UDP packet to and from the host's own ICE port (read from its
 * RTCPeerConnection's selected candidate pair). The rules live in a table of this process's own
 * (`NetFaults`, which installs nftables where it is missing), deleted afterwards; nothing else on
 * the machine is matched.
 */
import { NetFaults } from '@dmp-party/harness/net-faults';
import type { Page } from 'playwright-core';

declare global {
  interface Window {
    __hostPeerConnections?: RTCPeerConnection[];
  }
}

/** Keeps every RTCPeerConnection the page makes (before the page's own scripts run). */
export async function capturePeerConnections(page: Page): Promise<void> {
  await page.addInitScript({
    content: `(() => {
      const Native = window.RTCPeerConnection;
      const made = (window.__hostPeerConnections = []);
      window.RTCPeerConnection = class extends Native {
        constructor(...args) { super(...args); made.push(this); }
      };
    })();`,
  });
}

/** The local UDP port of the page's live, connected peer connection (the host's send transport). */
async function iceLocalPort(page: Page): Promise<number> {
  const port = await page.evaluate(async () => {
    for (const pc of [...(window.__hostPeerConnections ?? [])].reverse()) {
      if (pc.connectionState !== 'connected') continue;
      const stats: Record<string, unknown>[] = [];
      (await pc.getStats()).forEach((entry) => {
        stats.push(entry);
      });
      const transport = stats.find((entry) => entry.type === 'transport');
      const pair = stats.find((entry) => entry.id === transport?.selectedCandidatePairId);
      const local = stats.find((entry) => entry.id === pair?.localCandidateId);
      if (typeof local?.port === 'number') return local.port;
    }
    return null;
  });
  if (port === null) throw new Error('the host page has no connected peer connection');
  return port;
}

/** Takes the host page off the network for `ms`; resolves with the moment it is back. */
export async function dropHostNetwork(page: Page, ms: number): Promise<{ cutAt: number; backAt: number }> {
  const port = await iceLocalPort(page);
  const faults = NetFaults.open('recovery_host_drop');
  faults.block({ sport: port });
  const cutAt = Date.now();
  try {
    await page.context().setOffline(true);
    await new Promise((resolve) => setTimeout(resolve, ms));
  } finally {
    faults.close();
    await page.context().setOffline(false);
  }
  return { cutAt, backAt: Date.now() };
}
