/**
 * mediasoup-client plumbing shared by host and listener: one Device per page, and transports
 * whose DTLS `connect` goes through the party socket.
 */
import type { DtlsParameters, RtpCapabilities } from '@dmp-party/protocol';
import { Device, type types } from 'mediasoup-client';
import type { PartySocket, ServerMessageOf } from './party-socket';

let device: Device | undefined;

/** The page's Device, loaded with the router's capabilities (once: they never change per codec set). */
export async function loadDevice(routerRtpCapabilities: RtpCapabilities): Promise<Device> {
  if (device?.loaded) return device;
  device = new Device();
  await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
  return device;
}

type TransportOptions = ServerMessageOf<'transportCreated'>;

function transportParameters(options: TransportOptions) {
  return {
    id: options.transportId,
    iceParameters: options.iceParameters as types.IceParameters,
    iceCandidates: options.iceCandidates as types.IceCandidate[],
    dtlsParameters: options.dtlsParameters as types.DtlsParameters,
    iceServers: (options.iceServers ?? []) as RTCIceServer[],
  };
}

/** Wires a transport's DTLS handshake to the edge's `connectTransport` (validated there by schema). */
function connectThrough(socket: PartySocket, transport: types.Transport): void {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    socket
      .request(
        {
          type: 'connectTransport',
          transportId: transport.id,
          dtlsParameters: dtlsParameters as DtlsParameters,
        },
        'ok',
      )
      .then(() => callback(), errback);
  });
}

export function createSendTransport(device: Device, socket: PartySocket, options: TransportOptions) {
  const transport = device.createSendTransport(transportParameters(options));
  connectThrough(socket, transport);
  return transport;
}

export function createRecvTransport(device: Device, socket: PartySocket, options: TransportOptions) {
  const transport = device.createRecvTransport(transportParameters(options));
  connectThrough(socket, transport);
  return transport;
}
