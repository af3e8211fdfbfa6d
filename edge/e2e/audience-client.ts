/**
 * A raw `ws` party client for the audience tests under `wrangler dev`: keeps every frame, answers
 * requests by `reqId`, waits for conditions on what arrived.
 */
import WebSocket from 'ws';

export type Frame = Record<string, unknown> & { type: string };

export class AudienceClient {
  readonly frames: Frame[] = [];
  closedWith: number | undefined;
  #nextReqId = 1;
  #waits: { check: () => boolean; resolve: () => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      this.#poke();
    });
    ws.on('close', (code) => {
      this.closedWith = code;
      this.#poke();
    });
  }

  static open(url: string, origin: string): Promise<AudienceClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { origin }, perMessageDeflate: false });
      const client = new AudienceClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Resolves once `check` holds (re-checked on every frame and on close). */
  until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
      this.#waits.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Frames of `type`. */
  all(type: string): Frame[] {
    return this.frames.filter((frame) => frame.type === type);
  }

  last(type: string): Frame | undefined {
    return this.all(type).at(-1);
  }

  /** Sends a request and resolves with its reply (or error frame). */
  async request(message: Record<string, unknown>): Promise<Frame> {
    const reqId = this.#nextReqId++;
    this.ws.send(JSON.stringify({ ...message, reqId }));
    let reply: Frame | undefined;
    await this.until(() => {
      reply = this.frames.find((frame) => frame.reqId === reqId);
      return reply !== undefined;
    });
    return reply as Frame;
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /**
   * Resolves with the close code once the edge's close frame arrived. Under `wrangler dev` the TCP
   * connection lingers after the close handshake (ws then waits 30 s to emit 'close'), so this
   * watches for the CLOSING state, which ws enters only on the peer's close frame here.
   */
  async untilClosed(): Promise<number> {
    while (this.closedWith === undefined && this.ws.readyState === WebSocket.OPEN)
      await new Promise((resolve) => setTimeout(resolve, 50));
    return this.closedWith ?? (this.ws as unknown as { _closeCode: number })._closeCode;
  }

  #poke(): void {
    for (const wait of this.#waits.splice(0)) {
      if (wait.check()) wait.resolve();
      else this.#waits.push(wait);
    }
  }
}
