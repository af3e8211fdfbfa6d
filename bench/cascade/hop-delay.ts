/**
 * What one extra hop costs: a plain RTP producer on one media node (the origin), piped to a second
 * node (SRTP on the pipe, as the edge sets it up), and one plain RTP listener on each node, both
 * sending to one local socket. Each packet carries its own counter in the payload (mediasoup
 * forwards payloads untouched), so the same packet's arrival through the origin and through the
 * relay can be compared: the difference is the hop. CPU: each node's worker over a window without
 * the pipe, then with it.
 */
import { createSocket } from 'node:dgram';
import { startMediaNodeFleet } from '@dmp-party/harness/media-node-fleet';
import { isRtcp, OPUS_PAYLOAD_TYPE, opusProducerParameters } from '@dmp-party/harness/rtp';
import { resolveWorkerBinary } from '@dmp-party/media-node';
import { type MediaApiClient, pipeProducer, type RtpCapabilities } from '@dmp-party/protocol';

export interface HopResult {
  packets: number;
  extraDelayMedianMs: number;
  extraDelayP95Ms: number;
  extraDelayMaxMs: number;
  /** Worker CPU, ms per second, of the origin without and with one pipe, and of the relay. */
  originCpuNoPipe: number;
  originCpuWithPipe: number;
  relayCpuWithPipe: number;
  /** On-the-wire rate of the pipe (RTP payload, headers, SRTP tag, UDP/IP), kbit/s. */
  pipeKbps: number;
}

const SESSION = 'cascade-hop-delay';
const PAYLOAD_BYTES = 320;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A plain, unencrypted listener sending to `port`; its SSRC. */
async function plainListener(
  client: MediaApiClient,
  producerId: string,
  caps: RtpCapabilities,
  port: number,
) {
  const transport = await client.createTransport(SESSION, {
    type: 'plain',
    peerId: 'probe',
    direction: 'recv',
  });
  await client.connectTransport(SESSION, transport.transportId, { ip: '127.0.0.1', port });
  const rtpCapabilities = { codecs: caps.codecs, headerExtensions: [] };
  const consumer = await client.consume(SESSION, {
    transportId: transport.transportId,
    producerId,
    rtpCapabilities,
  });
  await client.resumeConsumer(SESSION, consumer.consumerId);
  const encodings = (consumer.rtpParameters as { encodings?: { ssrc?: number }[] }).encodings;
  return encodings?.[0]?.ssrc as number;
}

/** Where an RTP packet's payload starts: past its CSRCs and header extensions (mediasoup adds some). */
function payloadOffset(packet: Buffer): number {
  const csrcEnd = 12 + 4 * ((packet[0] as number) & 0x0f);
  if (((packet[0] as number) & 0x10) === 0) return csrcEnd;
  return csrcEnd + 4 + 4 * packet.readUInt16BE(csrcEnd + 2);
}

const workerMs = async (client: MediaApiClient) =>
  (await client.workers()).workers.reduce((sum, worker) => sum + worker.cpuMs, 0);

export async function runHopDelay(seconds: number): Promise<HopResult> {
  const fleet = await startMediaNodeFleet(2, {
    MEDIASOUP_WORKERS: '1',
    MEDIASOUP_WORKER_BIN: resolveWorkerBinary(),
    MEDIA_NODE_LOG_LEVEL: 'error',
    MEDIA_NODE_DRAIN_SECONDS: '0',
  });
  const [origin, relay] = fleet.nodes.map((node) => node.client) as [MediaApiClient, MediaApiClient];
  const sink = createSocket('udp4');
  const sender = createSocket('udp4');
  try {
    const { routerRtpCapabilities: caps } = await origin.createSession(SESSION);
    await relay.createSession(SESSION);
    const ingest = await origin.createTransport(SESSION, {
      type: 'plain',
      peerId: 'host',
      direction: 'send',
      comedia: true,
    });
    if (ingest.type !== 'plain') throw new Error('expected a plain transport');
    const { producerId } = await origin.produce(SESSION, {
      transportId: ingest.transportId,
      kind: 'audio',
      rtpParameters: opusProducerParameters(4242),
    });
    await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
    const arrivals = new Map<number, Map<number, number>>();
    sink.on('message', (packet) => {
      if (packet.length < 17 || isRtcp(packet) || payloadOffset(packet) + 5 > packet.length) return;
      const ssrc = packet.readUInt32BE(8);
      const seen = arrivals.get(ssrc) ?? new Map<number, number>();
      arrivals.set(ssrc, seen);
      seen.set(packet.readUInt32BE(payloadOffset(packet) + 1), performance.now());
    });
    let counter = 0;
    const send = () => {
      const packet = Buffer.alloc(12 + PAYLOAD_BYTES);
      packet[0] = 0x80;
      packet[1] = OPUS_PAYLOAD_TYPE;
      packet.writeUInt16BE(counter & 0xffff, 2);
      packet.writeUInt32BE((counter * 960) >>> 0, 4);
      packet.writeUInt32BE(4242, 8);
      packet[12] = 0xfc;
      packet.writeUInt32BE(counter, 13);
      counter++;
      sender.send(packet, ingest.port, ingest.ip);
    };
    const timer = setInterval(send, 20);

    const port = sink.address().port;
    const direct = await plainListener(origin, producerId, caps, port);
    const window = async (client: MediaApiClient) => {
      const before = await workerMs(client);
      await sleep(seconds * 1000);
      return ((await workerMs(client)) - before) / seconds;
    };
    await sleep(2_000);
    const originCpuNoPipe = await window(origin);

    await pipeProducer(SESSION, origin, relay, producerId);
    const relayed = await plainListener(relay, producerId, caps, port);
    await sleep(2_000);
    arrivals.clear();
    const [originCpuWithPipe, relayCpuWithPipe] = await Promise.all([window(origin), window(relay)]);
    clearInterval(timer);
    await sleep(300);

    const viaOrigin = arrivals.get(direct) ?? new Map<number, number>();
    const viaRelay = arrivals.get(relayed) ?? new Map<number, number>();
    const extra: number[] = [];
    for (const [id, at] of viaRelay) {
      const first = viaOrigin.get(id);
      if (first !== undefined) extra.push(at - first);
    }
    extra.sort((a, b) => a - b);
    const pick = (q: number) => extra[Math.min(extra.length - 1, Math.floor(q * extra.length))] ?? Number.NaN;
    // RTP header + payload + SRTP auth tag (10) + UDP/IPv4 (28), 50 packets a second.
    const pipeKbps = ((12 + PAYLOAD_BYTES + 10 + 28) * 8 * 50) / 1000;
    return {
      packets: extra.length,
      extraDelayMedianMs: pick(0.5),
      extraDelayP95Ms: pick(0.95),
      extraDelayMaxMs: extra.at(-1) ?? Number.NaN,
      originCpuNoPipe,
      originCpuWithPipe,
      relayCpuWithPipe,
      pipeKbps,
    };
  } finally {
    sink.close();
    sender.close();
    await fleet.stop();
  }
}
