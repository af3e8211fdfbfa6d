/**
 * Every shared secret (MEDIA_NODE_SECRET, PARTY_HOST_SECRET, TURN_SECRET) must be at least this many
 * characters: short enough to type, long enough that guessing an HMAC key is hopeless.
 */
export const MIN_SECRET_LENGTH = 32;
