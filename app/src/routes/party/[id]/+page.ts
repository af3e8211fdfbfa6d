import { SessionIdSchema } from '@dmp-party/protocol';
import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load = (({ params }) => {
  const sessionId = SessionIdSchema.safeParse(params.id);
  if (!sessionId.success) error(404, { message: 'No such party', code: 'NOT_FOUND' });
  return { sessionId: sessionId.data };
}) satisfies PageLoad;
