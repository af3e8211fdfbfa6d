import type { CreateTransportRequest, CreateTransportResponse } from '@dmp-party/protocol';
import type { types } from 'mediasoup';
import type { WorkerSlot } from './worker-pool';

export interface TransportAddressing {
  listenIp: string;
  announcedAddress: string | undefined;
}

/**
 * A transport on `router`: WebRTC ones go through the worker's WebRtcServer (one port per worker,
 * ICE and DTLS), plain ones (encoders, load tests) get their own port, optionally with SRTP.
 * Returns the transport and what the caller is told about it.
 */
export async function createTransportOn(
  router: types.Router,
  slot: WorkerSlot,
  request: CreateTransportRequest,
  addressing: TransportAddressing,
): Promise<{ transport: types.WebRtcTransport | types.PlainTransport; info: CreateTransportResponse }> {
  if (request.type === 'webrtc') {
    const transport = await router.createWebRtcTransport({
      webRtcServer: slot.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 600_000,
    });
    return {
      transport,
      info: {
        type: 'webrtc',
        transportId: transport.id,
        iceParameters: transport.iceParameters,
        iceCandidates: transport.iceCandidates,
        dtlsParameters: transport.dtlsParameters,
      },
    };
  }
  const transport = await router.createPlainTransport({
    listenIp: { ip: addressing.listenIp, announcedIp: addressing.announcedAddress },
    rtcpMux: true,
    comedia: request.comedia,
    enableSrtp: request.srtp,
    srtpCryptoSuite: request.srtpCryptoSuite,
  });
  return {
    transport,
    info: {
      type: 'plain',
      transportId: transport.id,
      ip: addressing.announcedAddress ?? transport.tuple.localIp,
      port: transport.tuple.localPort,
      ...(transport.srtpParameters ? { srtpParameters: transport.srtpParameters } : {}),
    },
  };
}
