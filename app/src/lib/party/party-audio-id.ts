/** The id of the listener's `<audio>` element, which the head script may make before the app does. */
export const PARTY_AUDIO_ID = 'party-audio';
