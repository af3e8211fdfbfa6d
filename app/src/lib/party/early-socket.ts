/**
 * The invite page opens its party socket and sends its `join` from a tiny inline script in the
 * HTML head, before the app's JavaScript has loaded: the WebSocket handshake and the join's
 * exchange (transport and consumer included, and the transport's DTLS connect, with the page's
 * certificate made meanwhile: `page-certificate.ts`) run while the page downloads and hydrates,
 * instead of after. The app starts its listener from `hooks.client.ts` as soon as its first script
 * runs, without waiting for the route's components; the listener's `PartySocket` adopts that socket
 * as its first connection (partysocket builds sockets through `earlySocketFactory`), and its first
 * `join` takes the early join's answer instead of asking again. Reconnections are ordinary sockets.
 */

import { partySocketPath } from '@dmp-party/protocol';
import { LISTENER_ID_KEY, LISTENER_ID_PATTERN } from './audience/listener-identity';
import { dropEarlyReceive, startEarlyReceive } from './early-receive';
import { earlyReceiveOffer, MEDIASOUP_CLIENT_VERSION, stereoAnswer } from './early-receive-offer';
import { DTLS_FINGERPRINT_ALGORITHMS } from './page-certificate';
import { PARTY_AUDIO_ID } from './party-audio-id';

/** The early join's request id: a string, so it never meets the connection's numbered ones. */
export const EARLY_JOIN_REQ_ID = 'early-join';

/** How the early join's answer reads in a frame (the edge writes frames with `JSON.stringify`). */
const EARLY_JOIN_ANSWER = `"reqId":"${EARLY_JOIN_REQ_ID}"`;

/** Whether a kept frame is the early join's answer (a cheap look: the connection parses it). */
const isEarlyJoinAnswer = (data: string): boolean => data.includes(EARLY_JOIN_ANSWER);

/** What the inline script leaves on `window` for the app to adopt. */
export interface EarlySocket {
  url: string;
  /** The party the page joins, as the app's `joinParty` takes it. */
  wsBase: string;
  sessionId: string;
  socket: WebSocket;
  /** Frames that came before the app adopted the socket. */
  frames: string[];
  /** Set on adoption: frames from then on go straight here. */
  deliver: ((data: string) => void) | null;
  /**
   * Settles once the head script's receive path needs the main thread no more (its sound started,
   * or there is none to start: no consumer in the answer, a failure, the socket gone).
   */
  settled: Promise<void>;
}

declare global {
  interface Window {
    __partyEarlySocket?: EarlySocket;
  }
}

/**
 * The inline script element for the invite page's head: makes the page's DTLS certificate, opens
 * the party socket for `sessionId` at `wsBase` as this browser's listener (the id
 * `listenerId()` reads or makes, so the app asks for the same URL) and joins (asking for the
 * receive path, connected with the certificate, in the same exchange), keeping what comes back
 * until the app adopts the socket. With the answer it starts receiving (`early-receive.ts`).
 */
export function earlySocketTag(wsBase: string, sessionId: string): string {
  // `<` escaped, so no value can close the script element.
  const literal = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  const listenerUrl =
    `var k=${literal(LISTENER_ID_KEY)},i=null;try{i=localStorage.getItem(k)}catch(_){}` +
    `if(!i||!${LISTENER_ID_PATTERN}.test(i)){i=crypto.randomUUID().replace(/-/g,'');try{localStorage.setItem(k,i)}catch(_){}}` +
    `var u=${literal(wsBase + partySocketPath(sessionId))}+'?listener='+encodeURIComponent(i);`;
  // The same DTLS parameters as `pageDtlsParameters` (page-certificate.ts) gives the app.
  const certificate =
    `var c=null,P=window.RTCPeerConnection,cp=P&&P.generateCertificate?P.generateCertificate({name:'ECDSA',namedCurve:'P-256'}).then(function(x){return c=x},function(){}):Promise.resolve();` +
    `window.__partyCertificate=cp;` +
    `function dtls(){if(!c)return;var f=c.getFingerprints().filter(function(p){return p.value&&${literal(DTLS_FINGERPRINT_ALGORITHMS)}.indexOf(p.algorithm)>=0}).map(function(p){return{algorithm:p.algorithm,value:p.value.toUpperCase()}});` +
    `return f.length?{role:'client',fingerprints:f}:undefined}`;
  const join = `{type:'join',reqId:${literal(EARLY_JOIN_REQ_ID)},receive:{dtlsParameters:dtls()}}`;
  // The functions go in as their own source text (each uses nothing outside its body).
  const receive =
    `function R(d){try{(${startEarlyReceive})(JSON.parse(d),c,${earlyReceiveOffer},${stereoAnswer},` +
    `${literal(MEDIASOUP_CLIENT_VERSION)},${literal(PARTY_AUDIO_ID)},S)}catch(_){S()}}`;
  return `<script>(function(){try{performance.mark('party:early-script');${listenerUrl}${certificate}
${receive}
var S,a=0,s=new WebSocket(u),e={url:u,wsBase:${literal(wsBase)},sessionId:${literal(sessionId)},socket:s,frames:[],deliver:null,settled:new Promise(function(r){S=r})};
s.addEventListener('close',function(){S()});
s.addEventListener('open',function(){performance.mark('party:early-open');cp.then(function(){if(s.readyState===1){s.send(JSON.stringify(${join}));performance.mark('party:early-join-sent')}})});
s.addEventListener('message',function(m){if(typeof m.data!=='string')return;if(!a&&m.data.indexOf(${literal(EARLY_JOIN_ANSWER)})>=0){a=1;performance.mark('party:early-answer');R(m.data)}e.deliver?e.deliver(m.data):e.frames.push(m.data)});
window.__partyEarlySocket=e}catch(_){}})();</script>`;
}

/** Takes the early socket for `url` (once), unless it is gone already. */
function claimEarlySocket(url: string): EarlySocket | undefined {
  const early = typeof window === 'undefined' ? undefined : window.__partyEarlySocket;
  if (!early || early.url !== url) return undefined;
  window.__partyEarlySocket = undefined;
  const state = early.socket.readyState;
  if (state === WebSocket.OPEN || state === WebSocket.CONNECTING) return early;
  // Its socket is gone, and with it the transport the head script receives on.
  dropEarlyReceive();
  return undefined;
}

/**
 * The early socket as partysocket sees a fresh WebSocket: its events re-dispatched from here, an
 * `open` (and the frames kept so far) replayed when it opened before adoption.
 */
class AdoptedSocket extends EventTarget {
  readonly #early: EarlySocket;

  constructor(early: EarlySocket) {
    super();
    this.#early = early;
    const { socket } = early;
    const deliver = (data: string) => this.dispatchEvent(new MessageEvent('message', { data }));
    // The frames kept after the early join's answer, one task each, as the network delivers them:
    // whatever the join's continuation does happens before the next event, such as
    // `producerAvailable`.
    const drain = () => {
      const data = early.frames.shift();
      if (data === undefined) {
        early.deliver = deliver;
        return;
      }
      deliver(data);
      setTimeout(drain);
    };
    // `open`, then the kept frames up to the early join's answer (the `welcome` before it, and the
    // answer, which the connection keeps until its join asks) at once: no task of the hydrating
    // page's comes between them and the join.
    const opened = () => {
      this.dispatchEvent(new Event('open'));
      const answer = early.frames.findIndex(isEarlyJoinAnswer);
      if (answer < 0) return drain();
      for (const data of early.frames.splice(0, answer + 1)) deliver(data);
      setTimeout(drain);
    };
    socket.addEventListener('close', (event) =>
      this.dispatchEvent(
        new CloseEvent('close', { code: event.code, reason: event.reason, wasClean: event.wasClean }),
      ),
    );
    socket.addEventListener('error', () => this.dispatchEvent(new Event('error')));
    // partysocket adds its listeners right after construction, in the same task: open once they
    // are there.
    if (socket.readyState === WebSocket.OPEN) queueMicrotask(opened);
    else socket.addEventListener('open', opened);
  }

  get readyState(): number {
    return this.#early.socket.readyState;
  }
  get url(): string {
    return this.#early.socket.url;
  }
  get protocol(): string {
    return this.#early.socket.protocol;
  }
  get extensions(): string {
    return this.#early.socket.extensions;
  }
  get bufferedAmount(): number {
    return this.#early.socket.bufferedAmount;
  }
  get binaryType(): BinaryType {
    return this.#early.socket.binaryType;
  }
  set binaryType(type: BinaryType) {
    this.#early.socket.binaryType = type;
  }
  send(data: string): void {
    this.#early.socket.send(data);
  }
  close(code?: number, reason?: string): void {
    this.#early.socket.close(code, reason);
  }
}

/**
 * partysocket's WebSocket constructor: the early socket for its URL the first time, when the page
 * has one, else a plain WebSocket. `adopted` hears when the early socket was taken.
 */
export function earlySocketFactory(adopted: () => void): typeof WebSocket {
  return function EarlyOrPlainSocket(url: string | URL, protocols?: string | string[]) {
    const early = claimEarlySocket(String(url));
    if (!early) return new WebSocket(url, protocols);
    adopted();
    return new AdoptedSocket(early);
  } as unknown as typeof WebSocket;
}
