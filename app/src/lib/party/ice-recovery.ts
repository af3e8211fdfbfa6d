/**
 * Keeps a transport's network path alive without reloading anything: when its connection stays
 * `disconnected` for a moment or turns `failed` (a phone moving from Wi-Fi to cellular, a laptop
 * changing networks), it asks the edge for new ICE credentials and restarts ICE on the same
 * transport, so the DTLS session, the producer or consumer and the audio element all stay. When a
 * restart is refused (the transport is gone on the node) or several in a row do not bring the
 * connection back, it hands over to its owner to rebuild the path (a new transport).
 */
import { errorCodeOf, type PartyConnection } from './party-connection';
import type { MediaTransport } from './session-media';

export const ICE_RECOVERY_TIMING = {
  /**
   * How long `disconnected` may last before a restart. Browsers report it after ~2.5 s without
   * packets and often recover by themselves from a short glitch; a changed network never does.
   */
  disconnectedGraceMs: 2000,
  /** How long a restart may take to connect before the next try. */
  restartTimeoutMs: 6000,
  /** Restarts in a row that may fail before the owner rebuilds the path. */
  maxRestarts: 3,
};

export interface IceRecoveryEvents {
  /** ICE could not be restarted on this transport: make a new one. */
  rebuild(reason: string): void;
  /** A restart is being asked for (for logs and tests). */
  restarting?(attempt: number): void;
}

export class IceRecovery {
  readonly #transport: MediaTransport;
  readonly #connection: PartyConnection;
  readonly #events: IceRecoveryEvents;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempts = 0;
  #inFlight = false;
  #stopped = false;

  constructor(transport: MediaTransport, connection: PartyConnection, events: IceRecoveryEvents) {
    this.#transport = transport;
    this.#connection = connection;
    this.#events = events;
    transport.on('connectionstatechange', (state) => this.#onState(state));
  }

  /** Restarts done since the connection last worked. */
  get attempts(): number {
    return this.#attempts;
  }

  /** The transport is being replaced or closed: do nothing more for it. */
  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
  }

  #onState(state: string): void {
    if (this.#stopped) return;
    if (state === 'connected') {
      this.#attempts = 0;
      this.#clearTimer();
    } else if (state === 'disconnected') {
      this.#schedule(ICE_RECOVERY_TIMING.disconnectedGraceMs);
    } else if (state === 'failed') {
      this.#clearTimer();
      void this.#restart();
    } else if (state === 'closed') {
      this.stop();
    }
  }

  #schedule(ms: number): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#restart();
    }, ms);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #restart(): Promise<void> {
    if (this.#stopped || this.#inFlight || this.#transport.connectionState === 'connected') return;
    if (this.#attempts >= ICE_RECOVERY_TIMING.maxRestarts)
      return this.#giveUp('ICE restarts did not reconnect');
    this.#attempts += 1;
    this.#inFlight = true;
    this.#events.restarting?.(this.#attempts);
    try {
      const reply = await this.#connection.request(
        { type: 'restartIce', transportId: this.#transport.id },
        'iceRestarted',
      );
      if (this.#stopped) return;
      await this.#transport.restartIce({ iceParameters: reply.iceParameters });
    } catch (error) {
      if (this.#stopped) return;
      // The socket is down: it reconnects by itself, and the next try goes through it.
      if (errorCodeOf(error) === 'DISCONNECTED') this.#attempts -= 1;
      else return this.#giveUp(`ICE restart refused: ${(error as Error).message}`);
    } finally {
      this.#inFlight = false;
    }
    // Not connected again in time (or not at all): try once more.
    if (!this.#stopped) this.#schedule(ICE_RECOVERY_TIMING.restartTimeoutMs);
  }

  #giveUp(reason: string): void {
    this.stop();
    this.#events.rebuild(reason);
  }
}
