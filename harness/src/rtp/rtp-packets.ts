/** Opus RTP as a music producer sends it: 20 ms frames, 48 kHz clock. */
export const OPUS_PAYLOAD_TYPE = 100;
export const FRAME_MS = 20;
/** 128 kbps for 20 ms = 320 bytes of payload per packet. */
export const PAYLOAD_BYTES_128K = 320;

/** Producer RTP parameters matching the packets `opusPacket` builds. */
export function opusProducerParameters(ssrc: number) {
  return {
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: OPUS_PAYLOAD_TYPE,
        clockRate: 48_000,
        channels: 2,
        parameters: { 'sprop-stereo': 1, useinbandfec: 1 },
      },
    ],
    encodings: [{ ssrc }],
  };
}

/**
 * One RTP packet with an Opus TOC byte for a 20 ms stereo CELT fullband frame; the rest of the
 * payload is filler (mediasoup forwards Opus without decoding it).
 */
export function opusPacket(ssrc: number, sequence: number, payloadBytes = PAYLOAD_BYTES_128K): Buffer {
  const packet = Buffer.alloc(12 + payloadBytes);
  packet[0] = 0x80;
  packet[1] = OPUS_PAYLOAD_TYPE;
  packet.writeUInt16BE(sequence & 0xffff, 2);
  packet.writeUInt32BE((sequence * 960) >>> 0, 4);
  packet.writeUInt32BE(ssrc >>> 0, 8);
  packet[12] = 0xfc;
  for (let i = 13; i < packet.length; i++) packet[i] = (sequence + i) & 0xff;
  return packet;
}

/** RTCP packet types (200-206) share the port under rtcp-mux; they are not counted as audio. */
export function isRtcp(packet: Buffer): boolean {
  const type = packet[1] ?? 0;
  return type >= 200 && type <= 206;
}
