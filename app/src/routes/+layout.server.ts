import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => ({ role: locals.role })) satisfies LayoutServerLoad;
