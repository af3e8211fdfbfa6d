/** Plain RTP/SRTP media flows for media-node tests and the fan-out benchmark. */
export * from './media-flows';
export * from './rtp-packets';
export * from './rtp-sender';
export * from './rtp-sink';
