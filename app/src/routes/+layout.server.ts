import { getScanStatus } from '$lib/server/library/scan-status';
import type { LayoutServerLoad } from './$types';

/** The scan status rides along so the first render already shows a running scan's banner. */
export const load = (({ locals }) => ({
  role: locals.role,
  scan: getScanStatus(),
})) satisfies LayoutServerLoad;
