/** The catalog as other workspaces may use it (benchmarks seed it directly). */
export { sortName, stableId } from '../library/ids';
export { type Catalog, openCatalog } from './connect';
export { artists, releases, tracks } from './schema';
