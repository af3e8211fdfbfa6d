/**
 * The listener's media for Node: mediasoup-client's Chrome handler running on libwebrtc
 * (`@roamhq/wrtc`), one Device per process shared by every listener in it (capabilities are the
 * same for all), and an audio output that feeds an `AudioMeter` instead of a loudspeaker.
 */

import type { AudioOutput, ListenerMedia } from '@dmp-party/app/party-media';
import type { RtpCapabilities } from '@dmp-party/protocol';
import { Device, type types } from 'mediasoup-client';
import type { AudioMeter } from './audio-meter';
import { installWrtc } from './wrtc-runtime';

let device: Promise<Device> | undefined;

function loadedDevice(routerRtpCapabilities: RtpCapabilities): Promise<Device> {
  installWrtc();
  device ??= (async () => {
    const created = new Device({ handlerName: 'Chrome111' });
    await created.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
    return created;
  })();
  return device;
}

export const nodeListenerMedia: ListenerMedia<types.Transport, types.Consumer> = {
  async loadDevice(routerRtpCapabilities) {
    return (await loadedDevice(routerRtpCapabilities)).rtpCapabilities as RtpCapabilities;
  },
  async createRecvTransport(options, signalling) {
    const loaded = await (device ?? Promise.reject(new Error('the device is not loaded')));
    const transport = loaded.createRecvTransport({
      id: options.transportId,
      iceParameters: options.iceParameters as types.IceParameters,
      iceCandidates: options.iceCandidates as types.IceCandidate[],
      dtlsParameters: options.dtlsParameters as types.DtlsParameters,
      iceServers: (options.iceServers ?? []) as RTCIceServer[],
    });
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      signalling.connect(dtlsParameters as never).then(() => callback(), errback);
    });
    return transport;
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

/** Sound "plays" into the meter (or nowhere): no autoplay policy, no volume. */
export function meterOutput(meter: AudioMeter | undefined): AudioOutput {
  return {
    attach: (track) => meter?.attach(track),
    play: async () => true,
    pause: () => undefined,
    setVolume: () => undefined,
    onceAudible: (listener) => listener(performance.now()),
  };
}
