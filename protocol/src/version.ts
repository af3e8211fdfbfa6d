/**
 * Protocol version, announced by the edge in `welcome` and by the media node in `/v1` responses'
 * `x-protocol-version` header. Changes are additive; bump only for a breaking change.
 */
export const PROTOCOL_VERSION = 1;

/** Response header in which the media node announces `PROTOCOL_VERSION`. */
export const PROTOCOL_VERSION_HEADER = 'x-protocol-version';
