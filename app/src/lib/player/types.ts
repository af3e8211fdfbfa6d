/** What the player needs to know about a track (no file paths: audio comes from /audio/:id). */
export interface PlayableTrack {
  id: string;
  title: string;
  artistName: string;
  releaseTitle: string;
  coverArtId: string | null;
  durationMs: number | null;
}
