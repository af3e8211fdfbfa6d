import { json } from '@sveltejs/kit';
import { getScanStatus } from '$lib/server/library/scan-status';
import type { RequestHandler } from './$types';

/** The library scan's progress, polled by the layout's banner. Read-only, so listeners get it too (idle). */
export const GET: RequestHandler = () => json(getScanStatus(), { headers: { 'cache-control': 'no-store' } });
