import { createSocket, type Socket } from 'node:dgram';
import { isRtcp } from './rtp-packets';

interface StreamCount {
  received: number;
  firstSequence: number;
  /** Extended (wrap-aware) highest sequence number seen. */
  highestSequence: number;
}

/** Received, expected and lost packets, summed over streams. */
export interface SinkTotals {
  streams: number;
  received: number;
  expected: number;
  lost: number;
  bytes: number;
}

/**
 * A UDP socket that counts RTP (or SRTP: the header stays in clear) packets per SSRC and derives
 * loss from sequence-number gaps. Many consumers can send to one sink.
 */
export class RtpSink {
  readonly #socket: Socket = createSocket('udp4');
  readonly #streams = new Map<number, StreamCount>();
  #bytes = 0;

  async bind(ip = '127.0.0.1', receiveBufferBytes = 8 * 1024 * 1024): Promise<number> {
    this.#socket.on('message', (packet) => this.#count(packet));
    await new Promise<void>((resolve) => this.#socket.bind(0, ip, resolve));
    try {
      this.#socket.setRecvBufferSize(receiveBufferBytes);
    } catch {
      // The kernel caps the size at net.core.rmem_max; a smaller buffer still works.
    }
    return this.#socket.address().port;
  }

  #count(packet: Buffer): void {
    if (packet.length < 12 || isRtcp(packet)) return;
    this.#bytes += packet.length;
    const ssrc = packet.readUInt32BE(8);
    const sequence = packet.readUInt16BE(2);
    const stream = this.#streams.get(ssrc);
    if (!stream) {
      this.#streams.set(ssrc, { received: 1, firstSequence: sequence, highestSequence: sequence });
      return;
    }
    stream.received++;
    const cycle = stream.highestSequence & ~0xffff;
    let extended = cycle | sequence;
    if (extended < stream.highestSequence - 0x8000) extended += 0x10000;
    if (extended > stream.highestSequence) stream.highestSequence = extended;
  }

  /** Packets received per SSRC. */
  counts(): Map<number, number> {
    return new Map([...this.#streams].map(([ssrc, stream]) => [ssrc, stream.received]));
  }

  totals(): SinkTotals {
    let received = 0;
    let expected = 0;
    for (const stream of this.#streams.values()) {
      received += stream.received;
      expected += stream.highestSequence - stream.firstSequence + 1;
    }
    return {
      streams: this.#streams.size,
      received,
      expected,
      lost: Math.max(0, expected - received),
      bytes: this.#bytes,
    };
  }

  reset(): void {
    this.#streams.clear();
    this.#bytes = 0;
  }

  close(): void {
    this.#socket.close();
  }
}
