/**
 * The sessions' media in the browser: mediasoup-client with one Device per page, transports whose
 * DTLS `connect` (and `produce`) go through the session's signalling, and the host's capture of
 * the player's `<audio>` element published with music settings.
 */
import type { DtlsParameters, RtpCapabilities, RtpParameters } from '@dmp-party/protocol';
import type { types } from 'mediasoup-client';
import { captureAudioElement, resumeCapture } from './audio-capture';
import { adoptingPeerConnection, claimEarlyReceive } from './early-receive';
import { pageCertificate, pageDtlsParameters } from './page-certificate';
import { loadDevice, loadedDevice, prepareDevice } from './page-device';
import type { HostMedia, ListenerMedia, TransportOptions, TransportSignalling } from './session-media';

/** Opus for music: stereo, 128 kbps, no DTX (silence suppression cuts quiet passages), in-band FEC. */
const MUSIC_CODEC_OPTIONS: types.ProducerCodecOptions = {
  opusStereo: true,
  opusDtx: false,
  opusFec: true,
  opusMaxAverageBitrate: 128_000,
};

function transportParameters(options: TransportOptions) {
  return {
    id: options.transportId,
    iceParameters: options.iceParameters as types.IceParameters,
    iceCandidates: options.iceCandidates as types.IceCandidate[],
    dtlsParameters: options.dtlsParameters as types.DtlsParameters,
    iceServers: (options.iceServers ?? []) as RTCIceServer[],
  };
}

/** Wires a transport's DTLS handshake and produce requests to the session's signalling. */
function signalThrough<T extends types.Transport>(transport: T, signalling: TransportSignalling): T {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    signalling.connect(dtlsParameters as DtlsParameters).then(() => callback(), errback);
  });
  const { produce } = signalling;
  if (produce)
    transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
      produce(kind, rtpParameters as RtpParameters).then((id) => callback({ id }), errback);
    });
  return transport;
}

/** The page's DTLS parameters, known before any transport exists (see `page-certificate.ts`). */
async function localDtlsParameters(): Promise<DtlsParameters | undefined> {
  const certificate = await pageCertificate();
  return certificate && pageDtlsParameters(certificate);
}

/** A transport's parameters with the page's certificate, whose fingerprint the edge may know already. */
async function withPageCertificate(options: TransportOptions) {
  const certificate = await pageCertificate();
  return {
    ...transportParameters(options),
    ...(certificate && { additionalSettings: { certificates: [certificate] } }),
  };
}

export const browserHostMedia: HostMedia<types.Transport, types.Producer> = {
  localDtlsParameters,
  async createSendTransport(routerRtpCapabilities, options, signalling) {
    const loaded = await loadDevice(routerRtpCapabilities);
    const parameters = await withPageCertificate(options);
    return signalThrough(loaded.createSendTransport(parameters), signalling);
  },
  async produce(transport) {
    const capture = captureAudioElement();
    await resumeCapture();
    return transport.produce({ track: capture.track, codecOptions: MUSIC_CODEC_OPTIONS, stopTracks: false });
  },
};

export const browserListenerMedia: ListenerMedia<types.Transport, types.Consumer> = {
  prepare: prepareDevice,
  async loadDevice(routerRtpCapabilities) {
    return (await loadDevice(routerRtpCapabilities)).rtpCapabilities as RtpCapabilities;
  },
  localDtlsParameters,
  async createRecvTransport(options, signalling) {
    const device = loadedDevice();
    if (!device) throw new Error('the device is not loaded');
    const parameters = await withPageCertificate(options);
    // The head script may be receiving on this very transport: its peer connection becomes this one's.
    const early = await claimEarlyReceive(options.transportId);
    const create = () => device.createRecvTransport(parameters);
    return signalThrough(early ? adoptingPeerConnection(early, create) : create(), signalling);
  },
  consume(transport, consumed) {
    return transport.consume({
      id: consumed.consumerId,
      producerId: consumed.producerId,
      kind: consumed.kind,
      rtpParameters: consumed.rtpParameters as unknown as types.RtpParameters,
    });
  },
};
