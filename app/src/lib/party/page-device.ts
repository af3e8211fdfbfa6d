/**
 * The page's one mediasoup-client Device. Loading it asks the browser for its native capabilities
 * (a throwaway RTCPeerConnection and offer per direction), which needs nothing from the router:
 * `prepareDevice()` starts that while the join's answer is on its way, and `loadDevice()` then only
 * matches the answers with the router's capabilities.
 */
import type { RtpCapabilities } from '@dmp-party/protocol';
import { Device, type types } from 'mediasoup-client';

type Direction = 'sendonly' | 'recvonly';
type NativeCapabilities = (options: { direction: Direction }) => Promise<types.RtpCapabilities>;

let device: Device | undefined;
let loading: Promise<Device> | undefined;

/**
 * Asks the device's handler factory for both directions now and keeps the answers for `load()`.
 * The factory is a private field of mediasoup-client's Device (3.x): where it is not there, the
 * device loads the ordinary way.
 */
function askNativeCapabilitiesNow(created: Device): Device {
  const factory = (
    created as unknown as { _handlerFactory?: { getNativeRtpCapabilities?: NativeCapabilities } }
  )._handlerFactory;
  const ask = factory?.getNativeRtpCapabilities;
  if (!factory || typeof ask !== 'function') return created;
  const answers = new Map<Direction, Promise<types.RtpCapabilities>>();
  const remembered: NativeCapabilities = (options) => {
    let answer = answers.get(options.direction);
    if (!answer) {
      answer = ask.call(factory, options);
      answers.set(options.direction, answer);
      // A failed answer is asked again by `load()` (which then fails or not by itself).
      answer.catch(() => answers.delete(options.direction));
    }
    return answer;
  };
  factory.getNativeRtpCapabilities = remembered;
  for (const direction of ['recvonly', 'sendonly'] as const) remembered({ direction }).catch(() => undefined);
  return created;
}

/** Starts what loading the device needs from the browser alone (idempotent). */
export function prepareDevice(): void {
  device ??= askNativeCapabilitiesNow(new Device());
}

/** The page's Device, loaded with the router's capabilities (once: they never change per codec set). */
export function loadDevice(routerRtpCapabilities: RtpCapabilities): Promise<Device> {
  loading ??= (async () => {
    prepareDevice();
    const prepared = device as Device;
    await prepared.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
    return prepared;
  })().catch((error: unknown) => {
    // A device whose load failed cannot load again: the next try starts from a new one.
    device = undefined;
    loading = undefined;
    throw error;
  });
  return loading;
}

/** The loaded device, if any (transports are made only after a load). */
export const loadedDevice = (): Device | undefined => (device?.loaded ? device : undefined);
