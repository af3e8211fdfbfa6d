import { fileURLToPath } from 'node:url';

/** The repository's root folder, wherever the caller runs from. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
