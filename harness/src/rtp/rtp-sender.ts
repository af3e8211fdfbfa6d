import { createSocket, type Socket } from 'node:dgram';
import { FRAME_MS, opusPacket } from './rtp-packets';

/** Sends a steady 128 kbps Opus-shaped RTP stream to a plain transport, one packet every 20 ms. */
export class RtpSender {
  readonly #socket: Socket = createSocket('udp4');
  #timer: NodeJS.Timeout | undefined;
  sent = 0;

  constructor(
    readonly ssrc: number,
    readonly ip: string,
    readonly port: number,
  ) {}

  start(): void {
    if (this.#timer) return;
    const startedAt = performance.now();
    const alreadySent = this.sent;
    // Catch up on missed ticks so the rate stays at 50 packets/s even when timers run late.
    const tick = () => {
      const due = alreadySent + Math.floor((performance.now() - startedAt) / FRAME_MS) + 1;
      while (this.sent < due) {
        this.#socket.send(opusPacket(this.ssrc, this.sent), this.port, this.ip);
        this.sent++;
      }
    };
    tick();
    this.#timer = setInterval(tick, FRAME_MS / 2);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  close(): void {
    this.stop();
    this.#socket.close();
  }
}
