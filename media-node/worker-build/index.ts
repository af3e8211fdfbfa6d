/** The worker build's public face: the binary (built once per machine) and Debian's packages. */
export { ensureWorkerBinary } from './build-worker';
export { debianSourceEntries } from './libsrtp-source';
export {
  ensureDebianPackages,
  isRoot,
  MissingRequirementsError,
  RUNTIME_PACKAGES,
} from './system-requirements';
