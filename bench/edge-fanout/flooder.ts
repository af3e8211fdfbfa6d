/**
 * Hostile listeners for the fan-out benchmark, in their own process (so their sending does not
 * share the measuring process's thread):
 * `node --import tsx flooder.ts <wsUrl> <origin> <count> <framesPerSecond>`.
 * Each joins as a listener from its own address (`CF-Connecting-IP`, which `wrangler dev` passes
 * through), sends `framesPerSecond` frames (as far as its socket drains: at most 1 MB queued), and
 * when closed comes straight back in a loop every 50 ms, ignoring Retry-After. On SIGTERM it prints
 * what happened as one JSON line.
 */
import WebSocket from 'ws';

const [wsUrl = '', origin = '', countText = '4', rateText = '170000'] = process.argv.slice(2);
/** Frames per flooder per millisecond. */
const perMs = Number(rateText) / 1000;
const totals = { sent: 0, policyCloses: 0, otherCloses: 0, refused: 0, connects: 0 };
const frame = JSON.stringify({
  type: 'nowPlaying',
  reqId: 1,
  track: { trackId: 'x', title: 'x', artist: 'x' },
});
let stopping = false;

function flood(ip: string): void {
  if (stopping) return;
  const ws = new WebSocket(wsUrl, { headers: { origin, 'cf-connecting-ip': ip }, perMessageDeflate: false });
  let again = false;
  const comeBack = () => {
    if (again) return;
    again = true;
    setTimeout(() => flood(ip), 50);
  };
  ws.on('unexpected-response', (request, response) => {
    if (response.statusCode === 429) totals.refused++;
    request.destroy();
    comeBack();
  });
  ws.on('error', () => undefined);
  ws.on('open', () => {
    totals.connects++;
    const startedAt = performance.now();
    let sent = 0;
    const pump = () => {
      const due = (performance.now() - startedAt) * perMs;
      while (ws.readyState === WebSocket.OPEN && sent < due && ws.bufferedAmount < 1_000_000) {
        ws.send(frame);
        sent++;
        totals.sent++;
      }
      if (ws.readyState === WebSocket.OPEN) setImmediate(pump);
    };
    pump();
  });
  ws.on('close', (code) => {
    if (code === 1008) totals.policyCloses++;
    else if (!again) totals.otherCloses++;
    comeBack();
  });
}

for (let i = 0; i < Number(countText); i++) flood(`198.51.100.${i + 1}`);
process.on('SIGTERM', () => {
  stopping = true;
  process.stdout.write(`${JSON.stringify(totals)}\n`);
  process.exit(0);
});
