/** Real WebRTC listeners in Node (libwebrtc via @roamhq/wrtc), for multi-node tests and load benchmarks. */
export { AUDIBLE_RMS, AudioMeter } from './audio-meter';
export { type PublishedTone, publishTone, startToneHost } from './node-host';
export { nodeListenerMedia } from './node-media';
export { type ReceiveStats, WebRtcListener, type WebRtcListenerOptions } from './webrtc-listener';
