/**
 * A host without a browser, for load benchmarks: on a host socket that has created the party
 * (`hostParty`), it publishes a stereo tone (440 Hz left, 660 Hz right) from libwebrtc's audio
 * source through mediasoup-client, speaking the host's protocol as the host page does.
 */
import type { RtpCapabilities, ServerMessage } from '@dmp-party/protocol';
import { Device, type types } from 'mediasoup-client';
import WebSocket from 'ws';
import { audioSource } from './wrtc-runtime';

const SAMPLE_RATE = 48_000;
const FRAME = SAMPLE_RATE / 100;

export interface PublishedTone {
  producerId: string;
  stop(): void;
}

/** Request/reply over a raw socket, matched on `reqId`. */
function requester(ws: WebSocket) {
  let next = 1_000;
  return <T extends ServerMessage['type']>(message: Record<string, unknown>, expect: T) => {
    const reqId = next++;
    return new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (data: unknown) => {
        const reply = JSON.parse(String(data)) as ServerMessage & { reqId?: number };
        if (reply.reqId !== reqId) return;
        ws.off('message', onMessage);
        if (reply.type === expect) resolve(reply as Extract<ServerMessage, { type: T }>);
        else reject(new Error(`${String(message.type)}: ${JSON.stringify(reply)}`));
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ ...message, reqId }));
    });
  };
}

/**
 * Opens a host socket on `wsUrl` with `token`, creates the party and publishes the tone on it.
 * `stop` ends the tone and closes the socket.
 */
export async function startToneHost(wsUrl: string, token: string, origin: string): Promise<PublishedTone> {
  const host = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`, { headers: { origin } });
  await new Promise((resolve, reject) => host.once('open', resolve).once('error', reject));
  const created = await requester(host)({ type: 'createSession' }, 'sessionCreated');
  const tone = await publishTone(host, created.routerRtpCapabilities);
  return {
    producerId: tone.producerId,
    stop() {
      tone.stop();
      host.terminate();
    },
  };
}

export async function publishTone(
  host: WebSocket,
  routerRtpCapabilities: RtpCapabilities,
): Promise<PublishedTone> {
  const request = requester(host);
  const source = audioSource();
  const device = new Device({ handlerName: 'Chrome111' });
  await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
  const options = await request({ type: 'createTransport', direction: 'send' }, 'transportCreated');
  const transport = device.createSendTransport({
    id: options.transportId,
    iceParameters: options.iceParameters as types.IceParameters,
    iceCandidates: options.iceCandidates as types.IceCandidate[],
    dtlsParameters: options.dtlsParameters as types.DtlsParameters,
  });
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    request({ type: 'connectTransport', transportId: transport.id, dtlsParameters }, 'ok').then(
      () => callback(),
      errback,
    );
  });
  transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
    request({ type: 'produce', transportId: transport.id, kind, rtpParameters }, 'produced').then(
      ({ producerId }) => callback({ id: producerId }),
      errback,
    );
  });
  let frame = 0;
  const push = () => {
    const samples = new Int16Array(FRAME * 2);
    for (let i = 0; i < FRAME; i++) {
      const t = (frame * FRAME + i) / SAMPLE_RATE;
      samples[2 * i] = Math.round(8_000 * Math.sin(2 * Math.PI * 440 * t));
      samples[2 * i + 1] = Math.round(8_000 * Math.sin(2 * Math.PI * 660 * t));
    }
    frame++;
    source.onData({
      samples,
      sampleRate: SAMPLE_RATE,
      bitsPerSample: 16,
      channelCount: 2,
      numberOfFrames: FRAME,
    });
  };
  // Pushed by wall clock: a late timer catches up rather than slowing the stream down.
  const startedAt = performance.now();
  const timer = setInterval(() => {
    while (frame < Math.floor((performance.now() - startedAt) / 10) + 1) push();
  }, 5);
  const producer = await transport.produce({
    track: source.createTrack(),
    codecOptions: { opusStereo: true, opusDtx: false, opusFec: true, opusMaxAverageBitrate: 128_000 },
  });
  return {
    producerId: producer.id,
    stop() {
      clearInterval(timer);
      producer.close();
      transport.close();
    },
  };
}
