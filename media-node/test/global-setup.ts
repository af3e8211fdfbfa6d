import type { TestProject } from 'vitest/node';
import { ensureWorkerBinary } from '../worker-build/build-worker';

/** Builds (or reuses) the mediasoup worker once for the whole run, and hands its path to tests. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('workerBinary', await ensureWorkerBinary());
}

declare module 'vitest' {
  export interface ProvidedContext {
    workerBinary: string;
  }
}
