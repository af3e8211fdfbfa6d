/**
 * The sockets of one Durable Object on the WebSocket Hibernation API: accepted with a tag, each
 * carrying a typed attachment that survives hibernation. Only open sockets are counted or sent to;
 * a send to a socket that is closing is dropped (its close handler cleans up).
 */
export class SocketHub<Tag extends string, Attachment, Outbound> {
  readonly #ctx: DurableObjectState;

  constructor(ctx: DurableObjectState) {
    this.#ctx = ctx;
  }

  accept(ws: WebSocket, tag: Tag, attachment: Attachment): void {
    this.#ctx.acceptWebSocket(ws, [tag]);
    ws.serializeAttachment(attachment);
  }

  /** The socket's attachment, or null for a socket this hub never accepted. */
  attachmentOf(ws: WebSocket): Attachment | null {
    return (ws.deserializeAttachment() as Attachment | null) ?? null;
  }

  /**
   * Rewrites the attachment from its current stored value: another message of the same socket may
   * have changed it while the caller awaited something.
   */
  updateAttachment(ws: WebSocket, change: (current: Attachment) => Attachment): Attachment | null {
    const current = this.attachmentOf(ws);
    if (current === null) return null;
    const next = change(current);
    ws.serializeAttachment(next);
    return next;
  }

  /** Open sockets, all or those with `tag`. */
  open(tag?: Tag): WebSocket[] {
    return this.#ctx.getWebSockets(tag).filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  /** Every socket the runtime still holds (open or closing), all or those with `tag`. */
  all(tag?: Tag): WebSocket[] {
    return this.#ctx.getWebSockets(tag);
  }

  count(tag?: Tag): number {
    return this.open(tag).length;
  }

  send(ws: WebSocket, message: Outbound): void {
    try {
      ws.send(JSON.stringify(message));
    } catch {
      // The socket is closing; its close handler cleans up.
    }
  }

  /** Sends one serialization of `message` to every open socket (with `tag`, if given). */
  broadcast(tag: Tag | undefined, message: Outbound): void {
    const text = JSON.stringify(message);
    for (const ws of this.open(tag)) {
      try {
        ws.send(text);
      } catch {
        // Closing socket.
      }
    }
  }

  close(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }
}
