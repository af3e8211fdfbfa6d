/**
 * Covers and their thumbnails are addressed by a hash of the original image's bytes (and a fixed
 * size), so a URL's content never changes: browsers may keep it for a year without asking again.
 */
export function coverResponse(image: { mimeType: string; data: Uint8Array }): Response {
  return new Response(image.data as Uint8Array<ArrayBuffer>, {
    headers: {
      'content-type': image.mimeType,
      'content-length': String(image.data.byteLength),
      'cache-control': 'public, max-age=31536000, immutable',
    },
  });
}
